/** The reply drafted by the model, streamed as token previews under the draft's reserved seq. */
import { isCancellation } from '@temporalio/workflow';
import { PATCHES } from '../patches';
import type { Phase } from '../state';
import { failureMessage, nowIso } from '../util';
import { actor, backlog, delivered, type StepContext } from './context';

export async function draft(c: StepContext): Promise<Phase> {
  const { t } = c;
  const s = t.triaged();
  t.setStatus('drafting', 'none');
  const ctx = actor(c);
  const history = c.patched(PATCHES.localLookups)
    ? await c.act.local.userHistory(ctx)
    : await c.act.tools.userHistory(ctx);
  const version = (s.draft?.version ?? 0) + 1;
  const reason = t.work.redraftReason ?? undefined;
  // The activity publishes the token previews itself, under the draft's seq: everything numbered before it
  // must be on Kafka first, or a subscriber would take those older events for duplicates. Either the
  // activity publishes them itself first, or the step waits for the outbox.
  const before = backlog(c);
  if (!c.shape.publishFirst && (!c.legacy || c.patched(PATCHES.drainBeforeDraft))) await c.outbox.settled();
  const seq = t.log.reserve();
  let d;
  try {
    d = await c.act.drafting.draftReply({
      ...(before.length > 0 ? { before } : {}),
      seq,
      input: {
        ctx,
        analysis: s.analysis,
        redactedText: s.redactedText ?? '',
        findings: s.findings,
        actions: s.toolRuns,
        ...(s.brief ? { brief: s.brief } : {}),
        version,
        ...(reason ? { rejectionReason: reason } : {}),
        history,
      },
    });
  } catch (err) {
    if (!isCancellation(err)) t.log.fill(seq, 'error', { step: 'drafting', reason: failureMessage(err) }, nowIso());
    throw err;
  }
  delivered(c, before);
  const violation = d.violation ? { violation: d.violation } : {};
  s.draft = { version: d.version, text: d.text, model: d.model, ...violation };
  t.work.redraftReason = null;
  t.log.fill(
    seq,
    'draft',
    { version: d.version, text: d.text, model: d.model, ...violation, ...(reason ? { rejectionReason: reason } : {}) },
    nowIso(),
  );
  if (d.violation)
    return t.enterHuman(
      `the draft broke the policy guardrail (${d.violation}): a person writes the reply`,
      'human_live',
      'awaiting_review',
    );
  return 'review';
}
