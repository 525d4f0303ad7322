/**
 * Where a ticket's stream ends: at the ticket's close, not at `resolved`. A resolved ticket lives on (the
 * after-runner's verification, the customer's feedback, a reopen and a second reply). A stream that ended at
 * `resolved` lost that tail for whoever watched live, while a socket opened after `resolved` got it in its
 * snapshot and stayed open: two watchers of one ticket saw different streams (the cluster test's gateway A at
 * seqs 1-15, B at 1-22). Real Kafka, a real gateway; the snapshot source is the test's.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CloseCode } from '../../gateway/close-codes';
import {
  agentToken,
  gatewayPerFile,
  closedStatus,
  customerToken,
  ev,
  produce,
  StreamClient,
  streamUrl,
  uniqueName,
  type RunningGateway,
} from './harness';

let g: RunningGateway;
gatewayPerFile({ partitions: 1 }, (started) => (g = started));

const ALL = [1, 2, 3, 4, 5, 6, 7];

void describe('stream end', () => {
  void test('live and late sockets get one stream through resolved, a reopen and the close, then 1000', async () => {
    const t = uniqueName('T');
    g.snapshots.set(t, []);
    const live = [
      new StreamClient(streamUrl(g, t), { token: agentToken(g) }),
      new StreamClient(streamUrl(g, t), { token: customerToken(g, t) }),
    ];
    const other = uniqueName('T');
    g.snapshots.set(other, []);
    const bystander = new StreamClient(streamUrl(g, other), { token: agentToken(g) });
    await Promise.all([...live, bystander].map((c) => c.opened));

    const resolvedPart = [ev(t, 1), ev(t, 2, 'resolved'), ev(t, 3, 'status', { status: 'verifying' })];
    await produce(g.topic, resolvedPart);
    await Promise.all(live.map((c) => c.waitForSeqCount(3, 10_000)));
    assert.deepEqual(
      live.map((c) => c.closed),
      [undefined, undefined],
      'still open after resolved',
    );

    // Opened once the ticket is resolved: its snapshot has `resolved` inside, and it follows the same tail.
    g.snapshots.set(t, resolvedPart, 'verifying');
    const late = new StreamClient(streamUrl(g, t), { token: agentToken(g) });
    await late.waitForSeqCount(3);
    // The workflow closed it (record-bounds checks the `closed` status against this before it ends streams).
    g.snapshots.set(
      t,
      [...resolvedPart, ev(t, 4, 'reopened'), ev(t, 5), ev(t, 6, 'resolved'), closedStatus(t, 7)],
      'closed',
    );
    await produce(g.topic, [
      ev(t, 4, 'reopened', { reason: 'the service check failed' }),
      ev(t, 5),
      ev(t, 6, 'resolved'),
      closedStatus(t, 7),
    ]);
    for (const c of [...live, late]) {
      assert.equal((await c.waitClosed()).code, CloseCode.TICKET_CLOSED);
      assert.deepEqual(c.seqs(), ALL);
      assert.deepEqual(c.events().at(-1)?.data.status, 'closed');
    }
    assert.equal(bystander.closed, undefined);

    // Connecting to a closed ticket: the whole stream in the snapshot, then a normal close.
    g.snapshots.set(
      t,
      [...resolvedPart, ev(t, 4, 'reopened'), ev(t, 5), ev(t, 6, 'resolved'), closedStatus(t, 7)],
      'closed',
    );
    const closed = new StreamClient(streamUrl(g, t), { token: agentToken(g) });
    assert.equal((await closed.waitClosed()).code, CloseCode.TICKET_CLOSED);
    assert.deepEqual(closed.seqs(), ALL);
    bystander.close();
  });
});
