/**
 * The `ws` comparator keeps its sockets alive as the uWS gateway does: a spread ping per socket per
 * `WS_PING_INTERVAL`, and a peer that answers nothing is dropped after `idleTimeoutSeconds` without a close
 * frame. Before, it pinged none, so the benchmark compared a gateway doing that work with one that did not.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { createLogger } from '../../core/logger';
import { createJwtAuth } from '../../gateway/auth/jwt';
import { idleTimeoutSeconds } from '../../gateway/stream/pinger';
import { createWsGateway, type WsGateway } from '../../bench/ws-gateway';
import { createTopic, deleteTopic, testConfig, testKafkaBrokers, uniqueName } from '../helpers/infra';
import { waitFor } from '../helpers/wait';

const cfg = testConfig({
  KAFKA_BROKERS: testKafkaBrokers().join(','),
  JWT_SECRET: crypto.randomBytes(32).toString('base64'),
  WS_PING_INTERVAL: '200ms',
});
const topic = uniqueName('ws-keepalive');
let gw: WsGateway;
let port: number;

before(async () => {
  await createTopic(topic);
  gw = createWsGateway({
    config: cfg,
    snapshots: { getSnapshot: () => Promise.resolve({ status: 'open', events: [], lastSeq: 0 }) },
    topic,
    instanceId: uniqueName('ws-keepalive'),
    logger: createLogger('ws-keepalive-test'),
  });
  port = await gw.listen(0, '127.0.0.1');
  await gw.waitReady(60_000);
});

after(async () => {
  await gw?.stop();
  await deleteTopic(topic);
});

function connect(ticketId: string, opts: { autoPong: boolean }): WebSocket {
  const token = createJwtAuth(cfg.jwt).signAccessToken(
    { sub: 'cust-1', role: 'customer', incidentId: ticketId },
    300_000,
  );
  return new WebSocket(`ws://127.0.0.1:${port}/v1/tickets/${ticketId}/stream`, {
    headers: { authorization: `Bearer ${token}` },
    autoPong: opts.autoPong,
  });
}

test('the ws comparator pings a live socket every interval and drops a silent one', { timeout: 60_000 }, async () => {
  const live = connect('T-KEEP-1', { autoPong: true });
  const silent = connect('T-KEEP-2', { autoPong: false });
  let pings = 0;
  live.on('ping', () => pings++);
  let silentClose: number | undefined;
  let silentPings = 0;
  silent.on('ping', () => silentPings++);
  silent.on('close', (code) => (silentClose = code));
  const openedAt = Date.now();

  await waitFor(() => pings >= 3, { timeoutMs: 10_000, message: 'three pings on the live socket' });
  const idleMs = idleTimeoutSeconds(cfg.gateway.pingIntervalMs) * 1000;
  await waitFor(() => silentClose, { timeoutMs: idleMs + 15_000, message: 'the silent socket dropped' });
  assert.ok(silentPings >= 1, 'the silent socket was pinged before it was dropped');
  assert.equal(silentClose, 1006, 'dropped without a close frame, as uWS drops an idle socket');
  assert.ok(Date.now() - openedAt >= idleMs - 1_000, 'not dropped before the idle timeout');
  assert.equal(live.readyState, WebSocket.OPEN, 'the socket that answers its pings stays open');
  live.close();
});
