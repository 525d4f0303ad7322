import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TicketApi } from '../../scripts/driver/api';
import { Actor } from '../../scripts/driver/actor';

/** The driver's person: a reply cannot be approved while a proposal is pending, so it decides proposals first. */
describe('the driver decides proposals before it reviews', () => {
  const review = { draftVersion: 2, actions: ['approve', 'edit', 'reject'], releasable: false, since: 't' };
  const run = async (n: number, proposals: { id: string; status: string }[]) => {
    const sent: [string, unknown][] = [];
    const api = {
      agent: (_id: string, action: string, body: unknown) => {
        sent.push([action, body]);
        return Promise.resolve({ status: 200, body: {}, ms: 1 });
      },
    } as unknown as TicketApi;
    await new Actor(api, 't-1', n, 'token').act({ awaiting: 'review', pendingReview: review, proposals });
    return sent;
  };

  it('a pending proposal is confirmed (even tickets) or declined (odd ones) before any review', async () => {
    assert.deepEqual(await run(2, [{ id: 'refund:txn_1', status: 'pending' }]), [
      ['proposals', { proposalId: 'refund:txn_1', decision: 'confirm' }],
    ]);
    assert.deepEqual(await run(5, [{ id: 'refund:txn_1', status: 'pending' }]), [
      ['proposals', { proposalId: 'refund:txn_1', decision: 'decline' }],
    ]);
  });

  it('with every proposal decided, it reviews as before', async () => {
    assert.deepEqual(await run(2, [{ id: 'refund:txn_1', status: 'confirmed' }]), [
      ['review', { action: 'approve', draftVersion: 2 }],
    ]);
  });
});
