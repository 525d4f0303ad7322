/** A person decides: review of a model draft (approve, edit, reject), or a reply a person writes. */
import { ApplicationFailure } from '@temporalio/workflow';
import type { ReviewDecision } from '../../core/domain';
import type { Phase } from '../state';
import { nowIso } from '../util';
import type { StepContext } from './context';

export async function review(c: StepContext): Promise<Phase> {
  const { t } = c;
  const s = t.drafted();
  if (s.awaiting !== 'review') {
    t.openReview({ draftVersion: s.draft.version, actions: ['approve', 'edit', 'reject'], releasable: false, queue: t.reviewQueue() }, 'review', 'awaiting_review');
  }
  const answer = await c.waits.person();
  if (answer.kind !== 'decision') throw ApplicationFailure.nonRetryable('a release while a draft is reviewed');
  const d = answer.decision;
  t.closeReview();
  s.reviewHistory.push({ action: d.action, reviewer: d.reviewer, at: nowIso(), draftVersion: d.draftVersion, ...(d.action === 'reject' ? { reason: d.reason } : {}) });
  if (d.action === 'approve') {
    s.reply = { text: s.draft.text, draftVersion: s.draft.version, by: d.reviewer, at: nowIso() };
    t.emit('message', { from: 'system', kind: 'approved', by: d.reviewer, draftVersion: d.draftVersion, text: `draft ${d.draftVersion} approved` });
    return 'send';
  }
  if (d.action === 'edit') return recordHumanText(c, d.text, d.reviewer);
  s.redrafts += 1;
  t.emit('message', { from: 'system', kind: 'rejected', by: d.reviewer, draftVersion: d.draftVersion, reason: d.reason, text: `draft ${d.draftVersion} rejected` });
  if (s.redrafts > c.maxRedrafts) {
    return t.enterHuman(`rejected ${s.redrafts} times (limit ${c.maxRedrafts} redrafts): a person writes the reply`, 'human_live', 'awaiting_review');
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

export function applyHumanReply(c: StepContext, d: ReviewDecision): Phase {
  c.t.closeReview();
  if (d.action !== 'edit') throw ApplicationFailure.nonRetryable(`unexpected ${d.action} while a person writes the reply`);
  c.t.s.reviewHistory.push({ action: 'edit', reviewer: d.reviewer, at: nowIso(), draftVersion: d.draftVersion });
  return recordHumanText(c, d.text, d.reviewer);
}

function recordHumanText(c: StepContext, text: string, reviewer: string): Phase {
  const s = c.t.s;
  const version = (s.draft?.version ?? 0) + 1;
  s.draft = { version, text, model: 'human' };
  c.t.emit('draft', { version, text, model: 'human', by: reviewer });
  s.reply = { text, draftVersion: version, by: reviewer, at: nowIso() };
  return 'send';
}
