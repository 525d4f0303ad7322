/** A person decides: review of a model draft (approve, edit, reject), or a reply a person writes. */
import { ApplicationFailure, patched } from '@temporalio/workflow';
import type { ReviewDecision } from '../../core/domain';
import type { Phase } from '../state';
import { nowIso } from '../util';
import { PATCHES } from '../patches';
import { proposalsOf } from '../proposals';
import { approveDraft, runBeforeSending } from './approve';
import { actor, type StepContext } from './context';

export async function review(c: StepContext): Promise<Phase> {
  const { t } = c;
  const s = t.drafted();
  if (s.awaiting !== 'review') {
    t.openReview(
      {
        draftVersion: s.draft.version,
        actions: ['approve', 'edit', 'reject'],
        releasable: false,
        queue: t.reviewQueue(),
      },
      'review',
      'awaiting_review',
    );
  }
  const answer = await c.waits.person();
  if (answer.kind !== 'decision') throw ApplicationFailure.nonRetryable('a release while a draft is reviewed');
  const d = answer.decision;
  t.closeReview();
  s.reviewHistory.push({
    action: d.action,
    reviewer: d.reviewer,
    at: nowIso(),
    draftVersion: d.draftVersion,
    ...(d.action === 'reject' ? { reason: d.reason } : {}),
  });
  if (d.action === 'approve') return approveDraft(c, d);
  if (d.action === 'edit') return recordHumanText(c, d);
  s.redrafts += 1;
  t.emit('message', {
    from: 'system',
    kind: 'rejected',
    by: d.reviewer,
    draftVersion: d.draftVersion,
    reason: d.reason,
    text: `draft ${d.draftVersion} rejected`,
  });
  if (s.redrafts > c.maxRedrafts) {
    return t.enterHuman(
      `rejected ${s.redrafts} times (limit ${c.maxRedrafts} redrafts): a person writes the reply`,
      'human_live',
      'awaiting_review',
    );
  }
  t.work.redraftReason = d.reason;
  return 'draft';
}

/** A person writes the reply (edit). */
export async function human(c: StepContext): Promise<Phase> {
  const answer = await c.waits.person();
  if (answer.kind !== 'decision') throw ApplicationFailure.nonRetryable('a release while a person writes the reply');
  return applyHumanReply(c, answer.decision);
}

export async function applyHumanReply(c: StepContext, d: ReviewDecision): Promise<Phase> {
  c.t.closeReview();
  if (d.action !== 'edit')
    throw ApplicationFailure.nonRetryable(`unexpected ${d.action} while a person writes the reply`);
  c.t.s.reviewHistory.push({ action: 'edit', reviewer: d.reviewer, at: nowIso(), draftVersion: d.draftVersion });
  return recordHumanText(c, d);
}

/**
 * A person's reply goes out redacted, and only if it passes the guardrail and claims no action the ticket's
 * runs did not do; a refused one goes back to them with the reason, unless they send it with a stated reason
 * (`overrideReason`), which is recorded with their name.
 */
async function recordHumanText(c: StepContext, d: Extract<ReviewDecision, { action: 'edit' }>): Promise<Phase> {
  const s = c.t.s;
  const reviewer = d.reviewer;
  const version = (s.draft?.version ?? 0) + 1;
  let text = d.text;
  const instead = await runBeforeSending(c);
  if (instead) return instead;
  if (c.patched(PATCHES.checkAgentReply)) {
    c.t.work.checkingReply = true;
    let checked;
    try {
      const proposals = c.durableProposals ? proposalsOf(s) : [];
      checked =
        proposals.length && patched(PATCHES.agentReplyOutcome)
          ? await c.act.tools.finalReply(actor(c), d.text, s.toolRuns, proposals, { byPerson: true })
          : await c.act.tools.checkReply(actor(c), d.text, s.toolRuns);
    } finally {
      c.t.work.checkingReply = false;
    }
    text = checked.text;
    if (checked.violation && !d.overrideReason) {
      s.draft = { version, text, model: 'human', violation: checked.violation };
      c.t.emit('draft', { version, text, model: 'human', by: reviewer, violation: checked.violation });
      return c.t.enterHuman(
        `the reply was refused (${checked.violation}): edit it, or send it with a reason`,
        'human_live',
        'awaiting_review',
      );
    }
    if (checked.violation) {
      s.reviewHistory.push({
        action: 'edit',
        reviewer,
        at: nowIso(),
        draftVersion: version,
        reason: `sent despite the guardrail (${checked.violation}): ${d.overrideReason}`,
      });
      c.t.emit('message', {
        from: 'system',
        kind: 'guardrail_override',
        by: reviewer,
        violation: checked.violation,
        reason: d.overrideReason,
        text: `${reviewer} sent a refused reply: ${d.overrideReason}`,
      });
    }
  }
  s.draft = { version, text, model: 'human' };
  c.t.emit('draft', { version, text, model: 'human', by: reviewer });
  s.reply = { text, draftVersion: version, by: reviewer, at: nowIso() };
  return 'send';
}
