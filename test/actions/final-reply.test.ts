/**
 * The reply sent after its proposals ran: a model's draft has its sentences about them told from the outcome
 * (and a missing one added); a person's reply keeps their words, and only the draft's own sentences they kept
 * word for word are told from the outcome.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { finalReply } from '../../activities/drafting/final';
import { proposalStatement } from '../../activities/drafting/outcomes';
import type { ProposalRecord, ToolRun } from '../../core/domain';

const proposal: ProposalRecord = {
  id: 'refund:txn_65002',
  kind: 'refund',
  tool: 'refund',
  target: 'txn_65002',
  input: { transactionId: 'txn_65002' },
  amountCents: 1_200,
  currency: 'USD',
  reason: 'a verified duplicate of txn_65001',
  preapproved: true,
  status: 'confirmed',
};
const executed: ProposalRecord = { ...proposal, status: 'executed', outcome: 'refunded txn_65002 (12.00 USD)' };
const run: ToolRun = {
  tool: 'refund',
  ok: true,
  summary: 'refunded txn_65002 (12.00 USD)',
  output: { proposalId: proposal.id, decision: 'executed', refunded: true, id: 'txn_65002' },
};
const drafted = proposalStatement(proposal);

describe("a person's reply after its proposals ran", () => {
  it("tells the draft's own sentence from the outcome, word for word only", async () => {
    const text = `Hi Mona,\n\n${drafted} Thanks for your patience.\n\nBest regards`;
    const out = await finalReply(text, [run], [executed], undefined, { byPerson: true });
    assert.equal(out.text, text.replace(drafted, 'We have refunded txn_65002 (12.00 USD).'));
  });

  it('keeps their own sentences about it, and adds nothing they left out', async () => {
    const text =
      'Hi Mona, I confirmed txn_65002 was a duplicate and our billing team will be in touch. Once txn_65002 is back on your card it will show within 5 days.';
    const out = await finalReply(text, [run], [executed], undefined, { byPerson: true });
    assert.equal(out.text, text);
  });

  it("a model's draft still has its sentence about the proposal replaced, and a missing one added", async () => {
    const replaced = await finalReply(`Hello.\n\n${drafted}\n\nBest regards`, [run], [executed]);
    assert.match(replaced.text, /We have refunded txn_65002 \(12\.00 USD\)\./);
    assert.doesNotMatch(replaced.text, /once our team approves/);
    const added = await finalReply('Hello.\n\nBest regards', [run], [executed]);
    assert.match(added.text, /We have refunded txn_65002 \(12\.00 USD\)\.\s+Best regards$/);
  });
});
