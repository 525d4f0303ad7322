/**
 * Session lifecycle against a real gateway: idle TTL, slow consumers, oversized inbound frames, session
 * status, and the drain on stop.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { CloseCode } from '../../gateway/close-codes';
import {
  agentToken,
  closeProducer,
  closedStatus,
  ev,
  metricValue,
  produce,
  startGateway,
  StreamClient,
  streamUrl,
  uniqueName,
  waitFor,
  type RunningGateway,
} from './harness';

const running: RunningGateway[] = [];
after(async () => {
  await Promise.all(running.map((g) => g.stop()));
  await closeProducer();
});

async function gateway(env: NodeJS.ProcessEnv = {}): Promise<RunningGateway> {
  const g = await startGateway({ env, partitions: 1 });
  running.push(g);
  return g;
}

void describe('sessions', () => {
  void test('idle TTL closes a quiet session with 4001; client pings and ticket events keep sessions alive', async () => {
    const g = await gateway({ SESSION_TTL: '1200ms' });
    const [quiet, pinging, busy] = [uniqueName('T'), uniqueName('T'), uniqueName('T')];
    for (const t of [quiet, pinging, busy]) g.snapshots.set(t, []);
    const q = new StreamClient(streamUrl(g, quiet), { token: agentToken(g) });
    const p = new StreamClient(streamUrl(g, pinging), { token: agentToken(g) });
    const b = new StreamClient(streamUrl(g, busy), { token: agentToken(g) });
    await Promise.all([q.opened, p.opened, b.opened]);
    const started = Date.now();
    const pinger = setInterval(() => p.ws.send(JSON.stringify({ kind: 'ping' })), 300);
    let seq = 0;
    const feeder = setInterval(() => void produce(g.topic, [ev(busy, ++seq)]).catch(() => undefined), 300);
    try {
      const closed = await q.waitClosed(10_000);
      assert.equal(closed.code, CloseCode.SESSION_IDLE);
      assert.ok(Date.now() - started >= 1000, 'not before the TTL');
      await new Promise((r) => setTimeout(r, 1500)); // well past the TTL for the other two
      assert.equal(p.closed, undefined, 'pinging session still open');
      assert.equal(b.closed, undefined, 'session with live events still open');
      assert.ok(p.frames.some((f) => f.kind === 'pong'));
    } finally {
      clearInterval(pinger);
      clearInterval(feeder);
    }
    assert.ok(
      (await metricValue(g, 'ticketflow_gateway_socket_closes_total', { code: String(CloseCode.SESSION_IDLE) })) >= 1,
    );
    p.close();
    b.close();
  });

  void test('session status follows the ticket: waiting_for_human, then completed', async () => {
    const g = await gateway();
    const t = uniqueName('T');
    g.snapshots.set(t, [ev(t, 1, 'status', { status: 'triaging' })], 'triaging');
    const c = new StreamClient(streamUrl(g, t), { token: agentToken(g) });
    await c.opened;
    assert.equal(g.gw.hub.ticketSessionStatus(t), 'active');
    await produce(g.topic, [ev(t, 2, 'status', { status: 'awaiting_review' }), ev(t, 3, 'review_requested')]);
    await waitFor(() => g.gw.hub.ticketSessionStatus(t) === 'waiting_for_human', { message: 'waiting_for_human' });
    const metrics = await (await fetch(`${g.url}/metrics`)).text();
    assert.match(metrics, /ticketflow_gateway_sessions\{status="waiting_for_human"[^}]*\} 1/);
    assert.match(metrics, /ticketflow_gateway_sockets\{[^}]*\} 1/);
    c.close();
  });

  void test('a slow socket is closed with 4008 and counted; the fast one on the same ticket gets everything', async () => {
    const g = await gateway({ WS_MAX_BACKPRESSURE_BYTES: String(64 * 1024) });
    const t = uniqueName('T');
    g.snapshots.set(t, []);
    const fast = new StreamClient(streamUrl(g, t), { token: agentToken(g) });
    const slow = new StreamClient(streamUrl(g, t), { token: agentToken(g) });
    await Promise.all([fast.opened, slow.opened]);
    // Stop reading: the kernel buffers fill, then the gateway's send buffer grows.
    (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const N = 1200;
    const blob = 'x'.repeat(8 * 1024);
    for (let s = 1; s <= N; s += 50) {
      await produce(
        g.topic,
        Array.from({ length: Math.min(50, N - s + 1) }, (_, i) => ev(t, s + i, 'message', { blob })),
      );
    }
    await fast.waitForSeqCount(N, 30_000);
    assert.deepEqual(
      fast.seqs(),
      Array.from({ length: N }, (_, i) => i + 1),
    );
    await waitFor(async () => (await metricValue(g, 'ticketflow_gateway_slow_socket_closes_total')) >= 1, {
      timeoutMs: 10_000,
      message: 'slow close',
    });
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const closed = await slow.waitClosed(20_000);
    assert.equal(closed.code, CloseCode.SLOW_CONSUMER);
    // What it did receive is an in-order prefix: no gap before the close.
    const got = slow.seqs();
    assert.deepEqual(
      got,
      Array.from({ length: got.length }, (_, i) => i + 1),
    );
    assert.equal(fast.closed, undefined);
    fast.close();
  });

  void test('an oversized inbound frame closes that socket only', async () => {
    const g = await gateway({ WS_MAX_PAYLOAD_BYTES: '1024' });
    const t = uniqueName('T');
    g.snapshots.set(t, []);
    const big = new StreamClient(streamUrl(g, t), { token: agentToken(g) });
    const other = new StreamClient(streamUrl(g, t), { token: agentToken(g) });
    await Promise.all([big.opened, other.opened]);
    big.ws.send('y'.repeat(4096));
    const closed = await big.waitClosed();
    assert.ok([CloseCode.MESSAGE_TOO_BIG, 1006].includes(closed.code), `closed with ${closed.code}`);
    await produce(g.topic, [ev(t, 1)]);
    await other.waitForSeqCount(1);
    other.close();
  });

  void test('the server pings each socket once per interval (spread pings), and an answering client stays', async () => {
    const g = await gateway({ WS_PING_INTERVAL: '1s' });
    const t = uniqueName('T');
    g.snapshots.set(t, []);
    const c = new StreamClient(streamUrl(g, t), { token: agentToken(g) });
    await c.opened;
    let pings = 0;
    c.ws.on('ping', () => pings++);
    const start = Date.now();
    await waitFor(() => pings >= 3, { timeoutMs: 10_000, intervalMs: 100, message: 'three server pings' });
    // Once per interval, not in a burst: three pings take about two intervals.
    assert.ok(Date.now() - start >= 1_500, `3 pings came in ${Date.now() - start} ms`);
    assert.equal(c.closed, undefined, 'a client that answers pings stays connected');
    c.close();
  });

  void test('a socket that closes during its own open (a closed ticket) is never pinged: the gateway lives on', async () => {
    const g = await gateway({ WS_PING_INTERVAL: '200ms' });
    const [done, live] = [uniqueName('T'), uniqueName('T')];
    g.snapshots.set(done, [ev(done, 1), ev(done, 2, 'resolved'), closedStatus(done, 3)], 'closed');
    g.snapshots.set(live, []);
    for (let i = 0; i < 3; i++) {
      const c = new StreamClient(streamUrl(g, done), { token: agentToken(g) });
      assert.equal((await c.waitClosed()).code, CloseCode.TICKET_CLOSED);
    }
    // Several ping rounds later the process (this one: the gateway runs in-process) still serves and pings.
    const c = new StreamClient(streamUrl(g, live), { token: agentToken(g) });
    await c.opened;
    let pings = 0;
    c.ws.on('ping', () => pings++);
    await waitFor(() => pings >= 3, {
      timeoutMs: 5_000,
      intervalMs: 50,
      message: 'pings after closed tickets closed their sockets',
    });
    assert.equal((await fetch(`${g.url}/healthz`)).status, 200);
    c.close();
  });

  void test('streams are refused with 503 until the Kafka consumer has its start offsets', async () => {
    // Nothing listens on port 1: the consumer never starts, so no stream may open on a snapshot it cannot follow.
    const g = await startGateway({ env: { KAFKA_BROKERS: '127.0.0.1:1' }, partitions: 1, waitReady: false });
    running.push(g);
    const t = uniqueName('T');
    g.snapshots.set(t, []);
    const c = new StreamClient(streamUrl(g, t), { token: agentToken(g) });
    await assert.rejects(c.opened);
    assert.equal(c.status, 503);
    assert.equal(g.snapshots.calls, 0, 'refused before any snapshot query');
    assert.equal((await fetch(`${g.url}/readyz`)).status, 503);
  });

  void test('stop(): not ready, sockets closed with 1001, new streams refused', async () => {
    const g = await gateway();
    const t = uniqueName('T');
    g.snapshots.set(t, []);
    const c = new StreamClient(streamUrl(g, t), { token: agentToken(g) });
    await c.opened;
    assert.equal((await fetch(`${g.url}/readyz`)).status, 200);
    await g.stop();
    assert.equal(g.gw.ready, false);
    assert.equal((await c.waitClosed()).code, CloseCode.GOING_AWAY);
    await g.stop(); // idempotent
  });
});
