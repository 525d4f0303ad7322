/**
 * Approving a reply that depends on proposed actions (issue 11): the confirmed ones run first, then the reply
 * goes out rewritten from what really happened. When a run fails nothing is sent: the ticket goes back to the
 * reviewer with the failure.
 */
import type { ReviewDecision } from '../../core/domain';
import { proposalsOf, runConfirmed } from '../proposals';
import type { Phase } from '../state';
import { nowIso } from '../util';
import { actor, type StepContext } from './context';

type Approve = Extract<ReviewDecision, { action: 'approve' }>;

export async function approveDraft(c: StepContext, d: Approve): Promise<Phase> {
  const { t } = c;
  const s = t.drafted();
  t.emit('message', {
    from: 'system',
    kind: 'approved',
    by: d.reviewer,
    draftVersion: d.draftVersion,
    text: `draft ${d.draftVersion} approved`,
  });
  let { text, version } = s.draft;
  if (c.durableProposals && proposalsOf(s).length) {
    const failure = await runConfirmed(c);
    if (failure) return backToReviewer(c, failure);
    const final = await c.act.tools.finalReply(actor(c), text, s.toolRuns, proposalsOf(s));
    if (final.violation)
      return t.enterHuman(
        `the reply rewritten from the actions' outcome was refused (${final.violation}): a person writes the reply`,
        'human_live',
        'awaiting_review',
      );
    if (final.text !== text) {
      version += 1;
      text = final.text;
      s.draft = { version, text, model: `${s.draft.model}+outcome` };
      t.emit('draft', { version, text, model: s.draft.model, by: d.reviewer });
    }
  }
  s.reply = { text, draftVersion: version, by: d.reviewer, at: nowIso() };
  return 'send';
}

/**
 * Before a person's own reply is checked and sent: run what they confirmed, so the check sees the real
 * outcome. Answers the phase to go to instead when a run failed (nothing is sent).
 */
export async function runBeforeSending(c: StepContext): Promise<Phase | null> {
  if (!c.durableProposals || !proposalsOf(c.t.s).some((p) => p.status === 'confirmed')) return null;
  const failure = await runConfirmed(c);
  return failure ? backToReviewer(c, failure) : null;
}

function backToReviewer(c: StepContext, failure: string): Phase {
  const { t } = c;
  const reason = `a confirmed action failed (${failure}); nothing was sent`;
  t.emit('message', { from: 'system', kind: 'proposal_failed', text: reason });
  if (!t.s.draft) return t.enterHuman(`${reason}: a person writes the reply`, 'human_live', 'awaiting_review');
  t.openReview(
    {
      draftVersion: t.s.draft.version,
      actions: ['edit', 'reject'],
      releasable: false,
      queue: t.reviewQueue(),
      reason: `${reason}: edit the reply, or reject the draft for a new one`,
    },
    'review',
    'awaiting_review',
  );
  return 'review';
}
