/** Sensitive with high confidence: contain first (in parallel), brief, store, then hold for a person. */
import { sendAlert } from '../outbox';
import { PATCHES } from '../patches';
import { heldProposals, proposalsOf, recordProposals, runConfirmed } from '../proposals';
import type { Phase, Ticket } from '../state';
import { nowIso } from '../util';
import { actor, backlog, delivered, type StepContext } from './context';
import { runBeforeSending } from './approve';
import { applyHumanReply } from './people';

export async function securityProtocol(c: StepContext): Promise<Phase> {
  const { t } = c;
  const s = t.triaged();
  if (!s.brief) {
    t.setStatus('security_review', 'security');
    const ctx = actor(c);
    const quiet = c.shape.quietContainment;
    // The security queue lists the ticket at once; its events wait for the brief's activity (shape7).
    if (quiet) t.attributes.flush();
    const tools = quiet ? c.act.quietTools : c.act.tools;
    const runs = await Promise.all([
      tools.revokeTokens(ctx, s.security),
      tools.ipReputation(ctx, s.security),
      tools.auditEvents(ctx),
    ]);
    for (const r of runs) t.recordToolRun(r);
    const held = c.durableProposals ? heldProposals(runs) : [];
    if (held.length && c.patched(PATCHES.heldRevocationProposal)) recordProposals(t, held);
    const before = quiet ? backlog(c) : [];
    const brief =
      before.length > 0
        ? await c.act.model.securityBrief(ctx, s.analysis, s.security, runs, before)
        : await c.act.model.securityBrief(ctx, s.analysis, s.security, runs);
    delivered(c, before);
    const { incidentId } = await c.act.tools.storeIncident(ctx, s.analysis, s.security, brief);
    s.brief = { ...brief, incidentId };
    s.incidentId = incidentId;
    t.emit('tool', {
      tool: 'security_brief',
      ok: true,
      summary: brief.summary,
      incidentId,
      actionsTaken: brief.actionsTaken,
    });
    await sendAlert(
      t,
      'security_incident',
      { incidentId, risk: s.security.risk_category, confidence: s.security.confidence_score },
      'security',
    );
  }
  if (s.awaiting !== 'human') {
    const reason = `security protocol (${s.security.risk_category}): a person replies or releases the ticket`;
    t.openReview(
      { draftVersion: t.humanDraftVersion(), actions: ['edit'], releasable: true, queue: 'security', reason },
      'human',
      'security_review',
    );
  }
  // A confirm wakes the wait (runs with the patch): containment runs at once, and the ticket stays held.
  const wake = c.shape.confirmRunsRevocation ? () => confirmedRevocations(s).length > 0 : undefined;
  let answer = await c.waits.person(wake);
  while (answer.kind === 'woken') {
    await revokeConfirmed(c);
    answer = await c.waits.person(wake);
  }
  if (answer.kind === 'decision') return applyHumanReply(c, answer.decision);
  const r = answer.release;
  t.closeReview();
  s.reviewHistory.push({
    action: 'release',
    reviewer: r.reviewer,
    at: nowIso(),
    ...(r.note ? { reason: r.note } : {}),
  });
  t.emit('message', { from: 'system', kind: 'released', by: r.reviewer, text: 'released from the security queue' });
  // Containment does not wait for a reply's approval: a confirmed revocation not run yet (a run recorded
  // before the wake, or a confirm taken together with the release) runs now, and the draft is written from
  // its outcome. Only runs with the patch hold revocation proposals.
  if (confirmedRevocations(s).length) {
    const instead = await runBeforeSending(c);
    if (instead) return instead;
  }
  if (s.routing.humanLive) return t.enterHuman('topic unknown: a person answers', 'human_live', 'awaiting_review');
  return 'agents';
}

const confirmedRevocations = (s: Ticket) =>
  proposalsOf(s).filter((p) => p.kind === 'revoke_credentials' && p.status === 'confirmed');

/**
 * The revocation the security team confirmed, run while the ticket stays held for them. Only revocations:
 * any other confirmed action still waits for a reply's approval. A failure stays with the same team (they hold
 * the ticket); the reply, whoever writes it, tells it from the failed run.
 */
async function revokeConfirmed(c: StepContext): Promise<void> {
  const failure = await runConfirmed(c, (p) => p.kind === 'revoke_credentials');
  if (failure)
    c.t.emit('message', {
      from: 'system',
      kind: 'proposal_failed',
      text: `the confirmed revocation failed (${failure}); the ticket stays with the security team`,
    });
}
