/** With METRICS_TOKEN set, /metrics answers only a scraper that sends it as a bearer token; every answer carries Permissions-Policy. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gatewayPerFile, type RunningGateway } from './harness';

let g: RunningGateway;
gatewayPerFile({ env: { METRICS_TOKEN: 'ops-scraper-token-0123456789' } }, (started) => (g = started));

void test('/metrics is behind METRICS_TOKEN', async () => {
  const get = (authorization?: string) =>
    fetch(`${g.url}/metrics`, { headers: authorization ? { authorization } : {} });
  assert.equal((await get()).status, 401, 'no token');
  assert.equal((await get('Bearer ops-scraper-token-wrong')).status, 401, 'wrong token');
  const ok = await get('Bearer ops-scraper-token-0123456789');
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), /ticketflow_gateway_/);
});

void test('answers carry a Permissions-Policy that refuses camera, microphone and location', async () => {
  for (const path of ['/healthz', '/metrics', '/no-such-route']) {
    const policy = (await fetch(`${g.url}${path}`)).headers.get('permissions-policy') ?? '';
    assert.match(policy, /camera=\(\)/, path);
    assert.match(policy, /geolocation=\(\)/, path);
  }
});
