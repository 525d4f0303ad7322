/**
 * A record cannot do more than the workflow did (issue 13): forged records on the real broker, checked
 * against the snapshot source the test controls (standing in for the workflow's own state).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { limits } from '../../core/limits';
import { CloseCode } from '../../gateway/close-codes';
import {
  agentToken,
  closedStatus,
  ev,
  gatewayPerFile,
  metricValue,
  produce,
  startGateway,
  StreamClient,
  streamUrl,
  uniqueName,
  waitFor,
  type RunningGateway,
} from './harness';
import { ResumingStream } from './resuming-stream';

const REFUSED = 'ticketflow_gateway_records_refused_total';
let g: RunningGateway;
gatewayPerFile({ partitions: 1 }, (started) => (g = started));

async function openAgent(t: string): Promise<StreamClient> {
  const c = new StreamClient(streamUrl(g, t), { token: agentToken(g) });
  await c.opened;
  await waitFor(() => c.frames.length >= 1, { message: 'snapshot' });
  return c;
}

void describe('record bounds', () => {
  void test('a forged record with a far seq does not make the later real events vanish', async () => {
    const t = uniqueName('T');
    g.snapshots.set(t, []);
    const c = await openAgent(t);
    const before = await metricValue(g, REFUSED, { reason: 'seq_jump' });
    await produce(g.topic, [ev(t, 1), ev(t, 1_000_000), ev(t, 2), ev(t, 3)]);
    await c.waitForSeqCount(3);
    await new Promise((r) => setTimeout(r, 200)); // room for a wrong extra frame to show up
    assert.deepEqual(c.seqs(), [1, 2, 3]);
    assert.equal(await metricValue(g, REFUSED, { reason: 'seq_jump' }), before + 1);
    assert.equal(c.closed, undefined);
    c.close();
  });

  void test('a forged far seq that arrives while a socket waits for its snapshot is refused too', async () => {
    const t = uniqueName('T');
    g.snapshots.set(t, [ev(t, 1)]);
    const before = await metricValue(g, REFUSED, { reason: 'seq_jump' });
    const calls = g.snapshots.calls;
    g.snapshots.delayMs = 1_000;
    // Resumes as the pages do if uWS drops the socket after this late upgrade (resuming-stream.ts).
    const c = new ResumingStream(g, t, agentToken(g));
    try {
      await waitFor(() => g.snapshots.calls > calls, { message: 'snapshot query started' });
      await produce(g.topic, [ev(t, 1_000_000)]);
    } finally {
      g.snapshots.delayMs = 0;
    }
    await c.opened;
    g.snapshots.set(t, [ev(t, 1), ev(t, 2)]);
    await produce(g.topic, [ev(t, 2)]);
    await c.waitForSeqCount(2);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(c.seqs(), [1, 2]);
    assert.equal(await metricValue(g, REFUSED, { reason: 'seq_jump' }), before + 1);
    c.close();
  });

  void test('a far seq the workflow confirms is delivered', async () => {
    const t = uniqueName('T');
    g.snapshots.set(t, [ev(t, 1)]);
    const c = await openAgent(t);
    const far = 1 + limits.seqJump + 50;
    g.snapshots.set(t, [ev(t, 1), ev(t, far)]);
    await produce(g.topic, [ev(t, far), ev(t, far + 1)]);
    await c.waitForSeqCount(3);
    assert.deepEqual(c.seqs(), [1, far, far + 1]);
    c.close();
  });

  void test('a forged close does not end the streams of a ticket the workflow has not closed', async () => {
    const t = uniqueName('T');
    g.snapshots.set(t, [ev(t, 1)]);
    const c = await openAgent(t);
    const before = await metricValue(g, REFUSED, { reason: 'closed' });
    await produce(g.topic, [ev(t, 2), closedStatus(t, 3), ev(t, 3)]);
    await c.waitForSeqCount(3);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(c.closed, undefined);
    assert.deepEqual(
      c.events().map((e) => e.type),
      ['message', 'message', 'message'],
    );
    assert.equal(await metricValue(g, REFUSED, { reason: 'closed' }), before + 1);
    // The real one, once the workflow has closed the ticket, still ends them.
    g.snapshots.close(t, 4);
    await produce(g.topic, [closedStatus(t, 4)]);
    assert.equal((await c.waitClosed()).code, CloseCode.TICKET_CLOSED);
    assert.equal(c.events().at(-1)?.data.status, 'closed');
  });

  void test('a token with a part past the limit is refused', async () => {
    const t = uniqueName('T');
    g.snapshots.set(t, [ev(t, 1)]);
    const c = await openAgent(t);
    const before = await metricValue(g, REFUSED, { reason: 'part' });
    await produce(g.topic, [
      ev(t, 2, 'token', { text: 'x' }, 1e12),
      ev(t, 2, 'token', { text: 'y' }, limits.tokenPart + 1),
      ev(t, 2, 'token', { text: 'ok' }, 0),
      ev(t, 2),
    ]);
    await c.waitForSeqCount(3);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(
      c.events().map((e) => `${e.seq}${e.type === 'token' ? `.${e.part}` : ''}`),
      ['1', '2.0', '2'],
    );
    assert.equal(await metricValue(g, REFUSED, { reason: 'part' }), before + 2);
    c.close();
  });
});

/**
 * The workflow cannot answer in time: its worker was just killed and the query waits for the dead worker's
 * sticky queue (the cluster test's case). Here the snapshot source answers after 2 s against a 500 ms timeout.
 */
void describe('record bounds when the workflow answers late', () => {
  let h: RunningGateway;
  before(async () => {
    h = await startGateway({ partitions: 1, deps: { snapshotTimeoutMs: 500 } });
  });
  after(async () => {
    h.snapshots.delayMs = 0;
    await h?.stop();
  });

  async function openSlow(t: string): Promise<StreamClient> {
    h.snapshots.delayMs = 0;
    h.snapshots.set(t, [ev(t, 1)]);
    const c = new StreamClient(streamUrl(h, t), { token: agentToken(h) });
    await c.opened;
    await waitFor(() => c.frames.length >= 1, { message: 'snapshot' });
    h.snapshots.delayMs = 2_000;
    return c;
  }

  const unverified = () => metricValue(h, REFUSED, { reason: 'unverified' });

  void test('a real close keeps the sockets open until the workflow vouches for it, then ends them', async () => {
    const t = uniqueName('T');
    const c = await openSlow(t);
    const held = await unverified();
    await produce(h.topic, [closedStatus(t, 2)]);
    await waitFor(async () => (await unverified()) > held, { message: 'close held back unverified' });
    assert.equal(c.closed, undefined);
    h.snapshots.close(t, 2);
    h.snapshots.delayMs = 0;
    assert.equal((await c.waitClosed()).code, CloseCode.TICKET_CLOSED);
    assert.deepEqual(c.seqs(), [1, 2]);
    assert.equal(c.events().at(-1)?.data.status, 'closed');
  });

  void test('a forged close lets the later records through and is refused once the workflow answers', async () => {
    const t = uniqueName('T');
    const c = await openSlow(t);
    const refused = await metricValue(h, REFUSED, { reason: 'closed' });
    await produce(h.topic, [closedStatus(t, 2), ev(t, 3)]);
    await c.waitForSeqCount(2);
    assert.deepEqual(c.seqs(), [1, 3]);
    h.snapshots.delayMs = 0;
    await waitFor(async () => (await metricValue(h, REFUSED, { reason: 'closed' })) > refused, {
      message: 'forged close refused on a later answer',
    });
    await produce(h.topic, [ev(t, 4)]);
    await c.waitForSeqCount(3);
    assert.deepEqual(c.seqs(), [1, 3, 4]);
    assert.equal(c.closed, undefined);
    c.close();
  });

  void test('a far seq confirmed late reaches the sockets through a snapshot, and the stream goes on', async () => {
    const t = uniqueName('T');
    const c = await openSlow(t);
    const far = 1 + limits.seqJump + 50;
    const held = await unverified();
    await produce(h.topic, [ev(t, far)]);
    await waitFor(async () => (await unverified()) > held, { message: 'far seq held back unverified' });
    h.snapshots.set(t, [ev(t, 1), ev(t, far)]);
    h.snapshots.delayMs = 0;
    await c.waitForSeqCount(2);
    await produce(h.topic, [ev(t, far), ev(t, far + 1)]);
    await c.waitForSeqCount(3);
    await new Promise((r) => setTimeout(r, 200)); // room for a doubled frame to show up
    assert.deepEqual(c.seqs(), [1, far, far + 1]);
    assert.equal(c.closed, undefined);
    c.close();
  });
});
