/**
 * The compose file's load balancer, really run: nginx (installed from Debian's package when missing, as the
 * browser tests get Chromium) with deploy/nginx-gateways.conf itself as its nginx.conf, only its listen port
 * and upstream addresses replaced by free local ones. Its prefix, pid and logs are in a folder of its own
 * (request bodies and responses too large for memory would go to the package's temp folders). Stopped by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../scripts/infra/paths';
import { ensureNginx } from '../../scripts/infra/nginx';
import { freePort } from '../../scripts/chaos/ports';
import { waitFor } from '../helpers/wait';

export const BALANCER_CONFIG = path.join(repoRoot, 'deploy', 'nginx-gateways.conf');
/** The gateways the file names (as compose runs them), in order. */
const COMPOSE_UPSTREAMS = ['gateway-a:8080', 'gateway-b:8080'];

/** The file with its one listen port and its upstreams made local; each must be found exactly once. */
export function renderBalancerConfig(text: string, listenPort: number, upstreamPorts: number[]): string {
  if (upstreamPorts.length !== COMPOSE_UPSTREAMS.length) throw new Error('one port per gateway of the file');
  const swaps: [RegExp, string][] = [
    [/^(\s*)listen 8080;$/m, `$1listen 127.0.0.1:${listenPort};`],
    ...COMPOSE_UPSTREAMS.map((u, i): [RegExp, string] => [
      new RegExp(`^(\\s*)server ${u};$`, 'm'),
      `$1server 127.0.0.1:${upstreamPorts[i]};`,
    ]),
  ];
  return swaps.reduce((out, [pattern, replacement]) => {
    const hits = out.match(new RegExp(pattern.source, 'gm'))?.length ?? 0;
    if (hits !== 1) throw new Error(`${BALANCER_CONFIG}: expected one line matching ${pattern}, found ${hits}`);
    return out.replace(pattern, replacement);
  }, text);
}

export interface Balancer {
  port: number;
  url: string;
  wsUrl: string;
  pid: number;
  /** nginx's error log so far (failed upstream connections show here). */
  errorLog(): string;
  stop(): Promise<void>;
}

export async function startBalancer(upstreamPorts: number[]): Promise<Balancer> {
  const nginx = ensureNginx();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-nginx-'));
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  fs.writeFileSync(conf, renderBalancerConfig(fs.readFileSync(BALANCER_CONFIG, 'utf8'), port, upstreamPorts));
  // The file logs requests to stdout (the container's log): here that is a file in the folder.
  const accessLog = fs.openSync(path.join(dir, 'access.log'), 'a');
  const child: ChildProcess = spawn(
    nginx,
    ['-p', dir, '-c', conf, '-e', path.join(dir, 'error.log'), '-g', `daemon off; pid ${path.join(dir, 'nginx.pid')};`],
    { stdio: ['ignore', accessLog, 'pipe'] },
  );
  fs.closeSync(accessLog);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.pid === undefined) throw new Error(`could not start ${nginx}`);
  const pid = child.pid;
  const errorLog = () => {
    try {
      return fs.readFileSync(path.join(dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGTERM');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(async () => child.exitCode !== null || accepts(port), {
      timeoutMs: 15_000,
      message: `nginx listening on ${port}`,
    });
    if (child.exitCode !== null) throw new Error(`nginx exited ${child.exitCode}: ${stderr}${errorLog()}`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}`, pid, errorLog, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
