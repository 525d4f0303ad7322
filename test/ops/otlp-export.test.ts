/**
 * OTEL_EXPORTER_OTLP_ENDPOINT alone turns tracing on and sends spans over OTLP/HTTP to `<endpoint>/v1/traces`,
 * named by the service: checked against a local HTTP server standing in for the collector.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { loadConfig } from '../../core/config';
import { startTracing } from '../../core/tracing';

test('spans reach the configured collector over OTLP/HTTP', async () => {
  const received: { url?: string; type?: string; body: string }[] = [];
  const collector = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ url: req.url, type: req.headers['content-type'], body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const { port } = collector.address() as AddressInfo;
  try {
    const cfg = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
    const tracing = startTracing(cfg.tracing, 'worker');
    assert.ok(tracing, 'an endpoint turns tracing on');
    tracing.tracer.startSpan('ticket-events publish').end();
    await tracing.flush();
    await tracing.shutdown();
    assert.equal(received.length, 1);
    assert.equal(received[0]?.url, '/v1/traces');
    assert.match(received[0]?.type ?? '', /application\/json/);
    assert.match(received[0]?.body ?? '', /ticket-events publish/);
    assert.match(received[0]?.body ?? '', /ticketflow-worker/);
  } finally {
    collector.close();
  }
});
