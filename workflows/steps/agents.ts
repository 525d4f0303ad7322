/** One domain agent per topic, each with its SOP; a missing SOP waits for a person to write one. */
import type { TicketEvent } from '../../core/events';
import { recordProposals } from '../proposals';
import type { Phase } from '../state';
import { actor, backlog, delivered, type StepContext } from './context';

export async function domainAgents(c: StepContext): Promise<Phase> {
  const { t } = c;
  const s = t.triaged();
  const inbox = t.work.inbox;
  const topics = s.routing.agentTopics;
  if (s.status !== 'awaiting_sop') t.setStatus('investigating', 'none');
  for (let i = t.work.agentIndex; i < topics.length; i++) {
    const topic = topics[i]!;
    // Resuming a run that was waiting for this SOP: do not look again, keep waiting.
    const lookup = c.shape.localFindSop ? c.act.local : c.act.tools;
    let sop = s.sopNeededFor === topic ? null : await lookup.findSop(actor(c), topic, s.redactedText ?? '');
    if (!sop) {
      if (s.sopNeededFor !== topic) t.needSop(topic);
      let provided = inbox.sop;
      while (!provided) {
        await c.waits.until(() => inbox.sop !== null);
        provided = inbox.sop;
      }
      sop = await c.act.tools.saveSop(actor(c), topic, provided);
      inbox.sop = null;
      t.sopSaved(topic, sop, provided.author);
    }
    s.sops.push({ topic, sopId: sop.id, source: sop.source });
    const before = backlog(c);
    const publish: [TicketEvent[]] | [] = before.length > 0 ? [before] : [];
    const findings = await c.act.model.investigate(actor(c), topic, sop, s.analysis, s.redactedText ?? '', ...publish);
    delivered(c, before);
    s.findings.push(findings);
    for (const r of findings.toolRuns) t.recordToolRun(r);
    if (c.durableProposals) recordProposals(t, findings.proposals);
    t.emit('tool', {
      tool: `agent:${topic}`,
      ok: true,
      summary: findings.summary,
      sopId: findings.sopId ?? sop.id,
      ...(findings.needsHuman ? { needsHuman: findings.needsHuman } : {}),
    });
    t.work.agentIndex = i + 1;
  }
  const needsHuman = s.findings.find((f) => f.needsHuman);
  if (needsHuman && !s.escalated)
    t.escalate({ reason: `${needsHuman.topic} agent: ${needsHuman.needsHuman}`, by: 'agent' });
  return 'draft';
}
