/**
 * Issue 11: a held credential revocation the security team confirms runs at the confirm, while the ticket
 * stays held for them (the real stack's case is test/actions/revocation-proposal-stack.test.ts). Here, on the
 * Temporal dev server with a scripted back office, what the real one cannot be made to do: the confirmed
 * revocation fails. The ticket stays with the security team, the failure is on its stream, nothing runs twice,
 * and the reply says the revocation could not be completed, never that it was done.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Scenario } from './helpers/scripted-intelligence';
import { ticketWorkflowSuite } from './helpers/ticket-suite';

const wf = ticketWorkflowSuite();
const { recorder, withWorker, create, until, awaitingReview } = wf;

const exposed: Scenario = {
  analysis: { topic: 'A&S', is_sensitive: true },
  security: { risk_category: 'TOKEN_EXPOSURE', confidence_score: 0.95 },
};
const revocations = (id: string) =>
  recorder.calls.filter((c) => c.ticketId === id && c.name === 'execute_revocation').length;

describe('a confirmed held revocation (dev server)', () => {
  test('failing at the confirm: the ticket stays held, the failure is told, and the reply does not claim it', async () => {
    await withWorker(async () => {
      const id = await create({ ...exposed, heldRevocation: { fails: true } });
      const held = await until(
        id,
        (s) => s.awaiting === 'human' && s.proposals?.[0]?.status === 'pending',
        'held with a revocation proposal',
      );
      await wf.tickets.decideProposal(id, { proposalId: held.proposals![0]!.id, decision: 'confirm', by: 'sec-1' });
      const failed = await until(id, (s) => s.proposals?.[0]?.status === 'failed', 'the revocation run at the confirm');
      assert.deepEqual([failed.queue, failed.awaiting, failed.pendingReview?.releasable], ['security', 'human', true]);
      assert.ok(
        failed.events.some((e) => e.type === 'message' && e.data.kind === 'proposal_failed'),
        'the failure is an event on the ticket',
      );
      assert.equal(revocations(id), 1);

      await wf.tickets.release(id, { reviewer: 'sec-1', note: 'will revoke by hand' });
      const r = await awaitingReview(id);
      await wf.tickets.review(id, { action: 'approve', draftVersion: r.draft!.version, reviewer: 'sec-1' });
      const done = await until(id, (s) => s.reply !== null, 'the reply');
      assert.equal(revocations(id), 1, 'a failed revocation is not run again at the release or the approval');
      assert.doesNotMatch(done.reply!.text, /We have revoked|has been revoked|were revoked/);
      assert.match(done.reply!.text, /could not complete the revocation/);
      await wf.tickets.close(id, { by: 'test' });
    });
  });
});
