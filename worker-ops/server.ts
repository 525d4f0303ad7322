/**
 * The worker's ops port: `/healthz` (the process answers), `/readyz` (200 while the worker polls its task
 * queue, 503 while starting or draining, so an orchestrator sends no traffic and restarts a stuck one) and
 * `/metrics` (Prometheus; behind METRICS_TOKEN when set, as on the gateway). Plain node:http: a few requests
 * a minute from a scraper need nothing more.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsAllowed } from '../gateway/http/metrics-auth';
import type { Registry } from 'prom-client';

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

export interface OpsDeps {
  state: () => string;
  registry: Registry;
  metricsToken?: string;
}

export function startOpsServer(host: string, port: number, deps: OpsDeps): Promise<OpsServer> {
  const server = http.createServer((req, res) => {
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const json = (status: number, body: unknown) =>
      send(status, 'application/json; charset=utf-8', JSON.stringify(body));
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: { code: 'method_not_allowed' } });
    if (path === '/healthz') return json(200, { status: deps.state() });
    if (path === '/readyz') {
      const state = deps.state();
      return json(state === 'ready' ? 200 : 503, { ready: state === 'ready', state });
    }
    if (path === '/metrics') {
      if (!metricsAllowed(deps.metricsToken, req.headers.authorization ?? ''))
        return json(401, { error: { code: 'unauthorized', message: 'metrics need the bearer token' } });
      void deps.registry.metrics().then(
        (text) => send(200, deps.registry.contentType, text),
        () => json(500, { error: { code: 'internal' } }),
      );
      return;
    }
    json(404, { error: { code: 'not_found' } });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}
