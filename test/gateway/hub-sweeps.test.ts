/**
 * The hub's periodic work looks at sockets only when something can be due: the slow-socket check asks uWS
 * for send buffers only once the bytes published to a ticket could have filled one, and the token-expiry
 * sweep walks the sockets only once the earliest expiry has come. Both still close what they must.
 * (A fake uWS app and sockets count the native calls; no timing.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TemplatedApp } from 'uWebSockets.js';
import { createLogger } from '../../core/logger';
import { CloseCode } from '../../gateway/close-codes';
import { createGatewayMetrics } from '../../gateway/metrics';
import { TicketHub, type StreamSocket, type StreamSocketData } from '../../gateway/stream/hub';
import { START } from '../../gateway/stream/position';
import { ev } from './harness';

const LIMIT = 64 * 1024;

function setup(now: () => number = Date.now) {
  const app = { publish: () => true } as unknown as TemplatedApp;
  const hub = new TicketHub({
    app,
    metrics: createGatewayMetrics({ instanceId: 'hub-sweeps' }),
    logger: createLogger('hub-sweeps-test'),
    maxBackpressureBytes: LIMIT,
    customerView: (e) => e,
    now,
  });
  const counts = { buffered: 0, userData: 0 };
  function open(ticketId: string, expiresAt = Date.now() + 3_600_000) {
    const state = { buffered: 0, closedWith: undefined as number | undefined };
    const data: StreamSocketData = {
      connId: 1,
      audience: 'agent',
      ticketId,
      sub: 'agent-1',
      role: 'agent',
      since: 0,
      pending: hub.beginPending(ticketId),
      snapshot: { status: 'open', events: [], lastSeq: 0 },
      position: START,
      connectedAt: 0,
      lastInboundAt: 0,
      expiresAt,
      closing: false,
      leaseId: 'l1',
    };
    const ws = {
      getUserData: () => (counts.userData++, data),
      send: () => 1,
      cork: (f: () => void) => f(),
      subscribe: () => true,
      getBufferedAmount: () => (counts.buffered++, state.buffered),
      end: (code: number) => {
        state.closedWith = code;
        hub.detach(ws);
      },
    } as unknown as StreamSocket;
    hub.attach(ws);
    return state;
  }
  return { hub, counts, open };
}

const turn = () => new Promise((r) => setImmediate(r));

void test('a steady trickle of small records never asks uWS for send buffers; a filling one is still closed', async () => {
  const { hub, counts, open } = setup();
  const sockets = Array.from({ length: 10 }, () => open('T-pressure'));
  hub.deliver(ev('T-pressure', 1));
  await turn();
  assert.equal(counts.buffered, 10, 'sockets that just joined are looked at once');
  counts.buffered = 0;
  for (let seq = 2; seq <= 40; seq++) {
    hub.deliver(ev('T-pressure', seq, 'message', { text: 'a small reply' }));
    await turn();
  }
  assert.equal(counts.buffered, 0, 'forty small records are far below 64 KiB: no native call per delivery');

  // One socket stops reading; once the bytes published could have filled a buffer, every socket is asked.
  sockets[3]!.buffered = LIMIT + 1;
  const blob = 'x'.repeat(8 * 1024);
  for (let seq = 41; seq <= 50 && counts.buffered === 0; seq++) {
    hub.deliver(ev('T-pressure', seq, 'message', { blob }));
    await turn();
  }
  assert.ok(counts.buffered >= 10, 'every socket of the ticket asked');
  assert.equal(sockets[3]!.closedWith, CloseCode.SLOW_CONSUMER);
  assert.ok(sockets.every((s, i) => i === 3 || s.closedWith === undefined));
});

void test('the expiry sweep leaves sockets alone until a token is due, then closes exactly the expired', () => {
  let now = 1_000_000;
  const { hub, counts, open } = setup(() => now);
  const late = Array.from({ length: 20 }, (_, i) => open(`T-exp-${i % 4}`, now + 60_000));
  counts.userData = 0;
  for (let i = 0; i < 5; i++) assert.equal(hub.closeExpired(), 0);
  assert.equal(counts.userData, 0, 'nothing due: no socket looked at');

  const early = open('T-exp-9', now + 5_000);
  now += 5_000;
  assert.equal(hub.closeExpired(), 1);
  assert.equal(early.closedWith, CloseCode.TOKEN_EXPIRED);
  counts.userData = 0;
  assert.equal(hub.closeExpired(), 0);
  assert.equal(counts.userData, 0, 'the next expiry is a minute away');
  now += 55_000;
  assert.equal(hub.closeExpired(), 20);
  assert.ok(late.every((s) => s.closedWith === CloseCode.TOKEN_EXPIRED));
});
