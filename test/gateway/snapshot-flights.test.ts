/**
 * The snapshot flights' bound: a stream that joins the POST's first read waits no longer for it than for a
 * query of its own (the gateway's snapshot timeout), while the POST still gets its read whenever it comes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PendingConnection } from '../../gateway/stream/hub';
import { SnapshotFlights } from '../../gateway/stream/snapshot-flights';

const hub = {
  beginPending: (ticketId: string): PendingConnection => ({ ticketId, buffer: [], overflowed: false }),
  cancelPending: () => undefined,
};
const noQuery = { getSnapshot: () => Promise.reject(new Error('a joined stream must not query')) };

describe('snapshot flights', () => {
  it("a stream joining a POST's read that hangs gets the snapshot timeout, not the hang", async () => {
    const flights = new SnapshotFlights(hub, noQuery, 200, undefined, 60_000);
    let answerPost!: (state: { status: string }) => void;
    const post = flights.seed(
      't-1',
      () => new Promise<{ status: string }>((resolve) => (answerPost = resolve)),
      (state) => ({ status: state.status }) as never,
    );
    const started = Date.now();
    const { snapshot } = flights.open('t-1');
    await assert.rejects(snapshot, /snapshot query/);
    assert.ok(Date.now() - started < 5_000, 'the joined stream was answered by the timeout');
    answerPost({ status: 'triage' });
    assert.deepEqual(await post, { status: 'triage' }, 'the POST still gets its read');
  });

  it('after a gap, a kept POST read serves no stream: the next one asks afresh', async () => {
    let asked = 0;
    const source = { getSnapshot: async () => (asked++, { status: 'fresh' }) as never };
    const flights = new SnapshotFlights(hub, source, 1_000, undefined, 60_000);
    await flights.seed(
      't-2',
      async () => ({ status: 'old' }),
      (state) => state as never,
    );
    assert.deepEqual(await flights.open('t-2').snapshot, { status: 'old' }, 'kept: joined');
    assert.equal(asked, 0);
    flights.clear();
    assert.deepEqual(await flights.open('t-2').snapshot, { status: 'fresh' }, 'after clear: its own query');
    assert.equal(asked, 1);
  });
});
