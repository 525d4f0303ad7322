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
  closeProducer,
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

const REFUSED = 'ticketflow_gateway_records_refused_total';
let g: RunningGateway;

before(async () => {
  g = await startGateway({ partitions: 1 });
});
after(async () => {
  await g?.stop();
  await closeProducer();
});

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

  void test('a forged resolved does not close the sockets of a ticket the workflow has not resolved', async () => {
    const t = uniqueName('T');
    g.snapshots.set(t, [ev(t, 1)]);
    const c = await openAgent(t);
    const before = await metricValue(g, REFUSED, { reason: 'resolved' });
    await produce(g.topic, [ev(t, 2), ev(t, 3, 'resolved'), ev(t, 3)]);
    await c.waitForSeqCount(3);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(c.closed, undefined);
    assert.deepEqual(
      c.events().map((e) => e.type),
      ['message', 'message', 'message'],
    );
    assert.equal(await metricValue(g, REFUSED, { reason: 'resolved' }), before + 1);
    // The real one, once the workflow is resolved, still closes them.
    g.snapshots.set(t, [ev(t, 1), ev(t, 2), ev(t, 3), ev(t, 4, 'resolved')], 'resolved');
    await produce(g.topic, [ev(t, 4, 'resolved')]);
    assert.equal((await c.waitClosed()).code, CloseCode.RESOLVED);
    assert.equal(c.events().at(-1)?.type, 'resolved');
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
