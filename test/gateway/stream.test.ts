/**
 * The stream end to end: real Kafka, a real gateway on port 0, real WebSocket clients. The snapshot source is
 * the test's (the workflow query is another suite's subject); every live event travels through Kafka.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TicketEvent } from '../../core/events';
import {
  agentToken,
  gatewayPerFile,
  customerToken,
  ev,
  metricValue,
  produce,
  produceRaw,
  startGateway,
  StreamClient,
  streamUrl,
  uniqueName,
  waitFor,
  type RunningGateway,
} from './harness';
import { ResumingStream } from './resuming-stream';

let g: RunningGateway;
gatewayPerFile({ partitions: 3 }, (started) => (g = started));

void describe('stream', () => {
  void test('fan-out: N sockets over M tickets each get exactly their ticket events, in order, once', async () => {
    const M = 6;
    const PER_TICKET = 3;
    const EVENTS = 12;
    const tickets = Array.from({ length: M }, () => uniqueName('T'));
    for (const t of tickets) g.snapshots.set(t, []);
    const clients = tickets.flatMap((t) =>
      Array.from({ length: PER_TICKET }, () => ({
        t,
        c: new StreamClient(streamUrl(g, t), { token: customerToken(g, t) }),
      })),
    );
    await Promise.all(clients.map(({ c }) => c.opened));
    await waitFor(() => clients.every(({ c }) => c.frames.length >= 1), { message: 'snapshots' });
    // Interleave tickets in one produce stream, as Kafka would see them.
    const events = [];
    for (let s = 1; s <= EVENTS; s++) for (const t of tickets) events.push(ev(t, s));
    await produce(g.topic, events);
    await Promise.all(clients.map(({ c }) => c.waitForSeqCount(EVENTS)));
    await new Promise((r) => setTimeout(r, 200)); // room for a wrong extra frame to show up
    for (const { t, c } of clients) {
      assert.deepEqual(
        c.seqs(),
        Array.from({ length: EVENTS }, (_, i) => i + 1),
        `ticket ${t}`,
      );
      assert.ok(
        c.events().every((e) => e.ticketId === t),
        'only its own ticket',
      );
    }
    clients.forEach(({ c }) => c.close());
  });

  void test('duplicates (same seq republished) are delivered once', async () => {
    const t = uniqueName('T');
    g.snapshots.set(t, []);
    const c = new StreamClient(streamUrl(g, t), { token: agentToken(g) });
    await c.opened;
    await produce(g.topic, [ev(t, 1), ev(t, 2), ev(t, 2), ev(t, 1), ev(t, 3), ev(t, 3)]);
    await c.waitForSeqCount(3);
    await produce(g.topic, [ev(t, 4)]);
    await c.waitForSeqCount(4);
    assert.deepEqual(c.seqs(), [1, 2, 3, 4]);
    c.close();
  });

  void test('malformed records between good ones: the good ones arrive, the counters count the bad ones', async () => {
    const t = uniqueName('T');
    g.snapshots.set(t, []);
    const c = new StreamClient(streamUrl(g, t), { token: agentToken(g) });
    await c.opened;
    const before = await metricValue(g, 'ticketflow_gateway_records_malformed_total');
    const good = (s: number) => ({ key: t, value: JSON.stringify(ev(t, s)) });
    await produceRaw(g.topic, [
      good(1),
      { key: t, value: null }, // no value
      { key: null, value: JSON.stringify(ev(t, 9)) }, // no key
      good(2),
      { key: t, value: Buffer.from([0xff, 0xfe, 0x00]) }, // invalid UTF-8
      { key: t, value: '{not json' },
      { key: t, value: JSON.stringify({ ...ev(t, 5), seq: -1 }) }, // wrong schema
      { key: t, value: JSON.stringify({ ...ev(t, 6), v: 99 }) }, // unknown version
      good(3),
    ]);
    await c.waitForSeqCount(3);
    assert.deepEqual(c.seqs(), [1, 2, 3]);
    await waitFor(async () => (await metricValue(g, 'ticketflow_gateway_records_malformed_total')) - before >= 6, {
      message: 'malformed count',
    });
    assert.equal((await metricValue(g, 'ticketflow_gateway_records_malformed_total')) - before, 6);
    for (const reason of ['no_value', 'bad_utf8', 'bad_json', 'bad_schema', 'unknown_version']) {
      assert.ok((await metricValue(g, 'ticketflow_gateway_records_malformed_total', { reason })) >= 1, reason);
    }
    c.close();
  });

  void test('snapshot then live: no gap and no duplicate at the boundary, resume with since', async () => {
    const t = uniqueName('T');
    // The workflow already has 1..5; Kafka will also (re)deliver 4..8 once the client is connected.
    g.snapshots.set(
      t,
      [1, 2, 3, 4, 5].map((s) => ev(t, s)),
    );
    const c = new StreamClient(streamUrl(g, t), { token: customerToken(g, t) });
    await c.opened;
    await waitFor(() => c.frames[0]?.kind === 'snapshot');
    assert.equal(c.frames[0]?.lastSeq, 5);
    await produce(
      g.topic,
      [4, 5, 6, 7, 8].map((s) => ev(t, s)),
    );
    await c.waitForSeqCount(8);
    assert.deepEqual(c.seqs(), [1, 2, 3, 4, 5, 6, 7, 8]);
    c.close();

    // Reconnect after seq 6 was seen: the snapshot carries only 7.. (the workflow knows up to 8 now).
    g.snapshots.set(
      t,
      [1, 2, 3, 4, 5, 6, 7, 8].map((s) => ev(t, s)),
    );
    const r = new StreamClient(streamUrl(g, t, '?since=6'), { token: customerToken(g, t) });
    await r.opened;
    await produce(g.topic, [ev(t, 8), ev(t, 9)]);
    await r.waitForSeqCount(3);
    assert.deepEqual(r.seqs(), [7, 8, 9]);
    r.close();
  });

  void test('events published while the snapshot query runs are buffered, not lost', async () => {
    const t = uniqueName('T');
    g.snapshots.set(t, [ev(t, 1)]);
    // The query answers what the workflow had when asked (1), while the workflow moves on to 2..5: a client
    // that resumes after a drop in the upgrade (resuming-stream.ts) is then answered as the workflow would.
    g.snapshots.readAtCall = true;
    g.snapshots.delayMs = 1500;
    try {
      const c = new ResumingStream(g, t, agentToken(g));
      // Events 2..4 arrive at the gateway during the slow snapshot query.
      await waitFor(() => g.gw.hub.pendingCount() > 0, { message: 'pending connection' });
      g.snapshots.set(
        t,
        [1, 2, 3, 4].map((s) => ev(t, s)),
      );
      await produce(g.topic, [ev(t, 2), ev(t, 3), ev(t, 4)]);
      await c.opened;
      g.snapshots.set(
        t,
        [1, 2, 3, 4, 5].map((s) => ev(t, s)),
      );
      await produce(g.topic, [ev(t, 5)]);
      await c.waitForSeqCount(5);
      assert.deepEqual(c.seqs(), [1, 2, 3, 4, 5]);
      const first = c.connections[0]!;
      // The subject: the first socket's snapshot held only 1, so 2..4 reached it from its pending buffer.
      assert.deepEqual(
        first.frames[0]?.events?.map((e) => e.seq),
        [1],
        'the snapshot answered when asked',
      );
      c.close();
    } finally {
      g.snapshots.delayMs = 0;
      g.snapshots.readAtCall = false;
    }
  });

  void test('a snapshot ahead of Kafka: the socket catches up without duplicates', async () => {
    const t = uniqueName('T');
    g.snapshots.set(t, [ev(t, 1)]);
    const a = new StreamClient(streamUrl(g, t), { token: agentToken(g) });
    await a.opened;
    // B's snapshot already has 1..3; Kafka delivers 2..5 afterwards.
    g.snapshots.set(
      t,
      [1, 2, 3].map((s) => ev(t, s)),
    );
    const b = new StreamClient(streamUrl(g, t), { token: agentToken(g) });
    await b.opened;
    await produce(
      g.topic,
      [2, 3, 4, 5].map((s) => ev(t, s)),
    );
    await a.waitForSeqCount(5);
    await b.waitForSeqCount(5);
    assert.deepEqual(a.seqs(), [1, 2, 3, 4, 5]);
    assert.deepEqual(b.seqs(), [1, 2, 3, 4, 5]);
    a.close();
    b.close();
  });

  void test('token previews: delivered past the durable seq, in part order, once', async () => {
    const t = uniqueName('T');
    g.snapshots.set(t, [ev(t, 1), ev(t, 2)]);
    const c = new StreamClient(streamUrl(g, t), { token: agentToken(g) });
    await c.opened;
    await produce(g.topic, [
      ev(t, 2, 'token', {}, 0),
      ev(t, 3, 'token', { text: 'Hel' }, 0),
      ev(t, 3, 'token', { text: 'lo' }, 1),
      ev(t, 3, 'token', {}, 1),
      ev(t, 3, 'draft'),
      ev(t, 3, 'token', {}, 2),
    ]);
    await c.waitForSeqCount(5);
    await produce(g.topic, [ev(t, 4)]);
    await c.waitForSeqCount(6);
    assert.deepEqual(
      c.events().map((e) => `${e.seq}${e.type === 'token' ? `.${e.part}` : ''}`),
      ['1', '2', '3.0', '3.1', '3', '4'],
    );
    c.close();
  });

  void test('customers get the customer view (internal events hidden, data trimmed); agents get everything', async () => {
    const hideInternal = (e: TicketEvent): TicketEvent | null =>
      e.type === 'tool' || e.type === 'token' ? null : { ...e, data: { shown: true } };
    const v = await startGateway({ partitions: 1, deps: { customerView: hideInternal } });
    try {
      const t = uniqueName('T');
      v.snapshots.set(t, [ev(t, 1), ev(t, 2, 'tool', { secret: 'audit log' })]);
      const agent = new StreamClient(streamUrl(v, t), { token: agentToken(v) });
      const customer = new StreamClient(streamUrl(v, t), { token: customerToken(v, t) });
      await Promise.all([agent.opened, customer.opened]);
      await produce(v.topic, [
        ev(t, 3, 'token', { text: 'dra' }, 0),
        ev(t, 3, 'draft'),
        ev(t, 4, 'tool'),
        ev(t, 5, 'status', { status: 'awaiting_review' }),
      ]);
      await agent.waitForSeqCount(6);
      await customer.waitForSeqCount(3);
      assert.deepEqual(
        agent.events().map((e) => e.type),
        ['message', 'tool', 'token', 'draft', 'tool', 'status'],
      );
      assert.deepEqual(customer.seqs(), [1, 3, 5]);
      assert.ok(customer.events().every((e) => e.data.shown === true && e.type !== 'tool'));
      assert.equal(customer.frames[0]?.lastSeq, 2, 'positions still count hidden events');
      agent.close();
      customer.close();
    } finally {
      await v.stop();
    }
  });

  void test('every closed socket is released (socket count back to zero)', async () => {
    await waitFor(() => g.gw.hub.sockets === 0 && g.gw.hub.pendingCount() === 0, {
      message: `sockets released (have ${g.gw.hub.sockets})`,
    });
    assert.equal(g.gw.hub.ticketCount, 0, 'no per-ticket state left behind');
  });

  void test('unknown ticket -> 404 before the upgrade', async () => {
    const c = new StreamClient(streamUrl(g, uniqueName('nope')), { token: agentToken(g) });
    assert.equal(await c.waitAnswered(), 404);
  });
});
