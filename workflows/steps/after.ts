/** After a reply is decided: send it, check the fix held, hear the customer, remember, close. */
import { type ActivityFailure, isCancellation, log } from '@temporalio/workflow';
import { sendAlert } from '../outbox';
import type { Phase } from '../state';
import { ticketFacts } from '../ticket-facts';
import { failureMessage, nowMs } from '../util';
import { actor, type StepContext } from './context';

export function send(c: StepContext): Promise<Phase> {
  c.t.send(c.legacy);
  c.t.work.afterRunnerDueAt = nowMs() + c.durations.afterRunnerDelayMs;
  return Promise.resolve('after_runner');
}

/** The durable after-runner: wait, then check the fix held. */
export async function afterRunner(c: StepContext): Promise<Phase> {
  const { t } = c;
  const s = t.s;
  await c.waits.until(() => false, t.work.afterRunnerDueAt ?? nowMs() + c.durations.afterRunnerDelayMs);
  t.work.afterRunnerDueAt = null;
  t.setStatus('verifying', 'none');
  let verification;
  try {
    verification = await c.act.tools.verifyService(actor(c), s.topic ?? 'unknown');
  } catch (err) {
    if (isCancellation(err)) throw err;
    verification = { healthy: false, detail: `verification could not run: ${failureMessage(err)}` };
  }
  s.verification = verification;
  t.emit('tool', { tool: 'verify_service', ok: verification.healthy, summary: verification.detail });
  if (!verification.healthy) return reopen(c, `verification failed: ${verification.detail}`);
  t.work.feedbackDueAt = nowMs() + c.durations.feedbackWindowMs;
  t.awaitFeedback();
  return 'feedback';
}

export async function feedback(c: StepContext): Promise<Phase> {
  const { t } = c;
  const s = t.s;
  await c.waits.until(() => s.feedback !== null, t.work.feedbackDueAt ?? nowMs());
  t.work.feedbackDueAt = null;
  t.stopAwaiting();
  if (s.feedback === null) {
    t.emit('message', { from: 'system', kind: 'feedback_window_closed', text: 'no feedback within the window' });
    return 'memory';
  }
  let verdict;
  try {
    verdict = await c.act.model.analyzeFeedback(actor(c), s.feedback);
  } catch (err) {
    if (isCancellation(err)) throw err;
    t.emit('error', { step: 'feedback', reason: failureMessage(err) });
    return 'memory';
  }
  s.verdict = verdict;
  t.emit('message', {
    from: 'system',
    kind: 'feedback_verdict',
    resolved: verdict.resolved,
    sentiment: verdict.sentiment,
    text: verdict.reason,
  });
  if (!verdict.resolved) {
    s.feedback = null;
    return reopen(c, `the customer says it is not resolved: ${verdict.reason}`);
  }
  return 'memory';
}

export async function memory(c: StepContext): Promise<Phase> {
  const { t } = c;
  const s = t.s;
  const category =
    s.security && s.security.risk_category !== 'none' ? s.security.risk_category : (s.analysis?.intent ?? 'unknown');
  try {
    const { orgAlert } = await c.act.tools.consolidateMemory(actor(c), {
      topic: s.topic ?? 'unknown',
      category,
      resolved: s.verdict?.resolved ?? true,
      summary: `${s.analysis?.intent ?? 'ticket'}: ${s.findings.map((f) => f.summary).join(' ') || (s.reply?.text.slice(0, 200) ?? '')}`,
      // For the desk's figures. No patch: replay compares an activity's type and order, never its input.
      facts: ticketFacts(s),
    });
    if (orgAlert) {
      await sendAlert(t, 'org_pattern', { ...orgAlert }, 'enterprise');
      t.emit('message', {
        from: 'system',
        kind: 'org_pattern',
        text: `${orgAlert.distinctUsers} users of this org hit ${orgAlert.category}`,
      });
    }
  } catch (err) {
    if (isCancellation(err)) throw err;
    // Memory is best effort: the customer's ticket is done either way.
    t.emit('error', { step: 'memory', reason: failureMessage(err) });
  }
  t.close('completed', 'system');
  return 'done';
}

async function reopen(c: StepContext, reason: string): Promise<Phase> {
  const { t } = c;
  t.reopen(reason);
  await sendAlert(t, 'ticket_reopened', { reason, reopenCount: t.s.reopenCount }, 'reopened');
  return t.enterHuman(reason, 'reopened', 'reopened');
}

/** An automation step failed for good: tell the stream, and let a person write the reply. */
export function automationFailed(c: StepContext, phase: Phase, err: ActivityFailure): Phase {
  const reason = `${phase} failed: ${failureMessage(err)}`;
  log.warn('automation step failed', { ticketId: c.t.s.ticketId, phase, reason });
  c.t.emit('error', { step: phase, reason });
  return c.t.enterHuman(`${reason}; a person writes the reply`, 'human_live', 'failed');
}
