/** Triage: what the ticket is about, how urgent, how risky; then where it goes. */
import { PATCHES } from '../patches';
import { humanLiveReason, routeTicket } from '../routing';
import { ticketTextUpdate } from '../search-attributes';
import type { Phase } from '../state';
import { nowIso } from '../util';
import { actor, backlog, delivered, type StepContext } from './context';

export async function triage(c: StepContext): Promise<Phase> {
  const { t } = c;
  const s = t.s;
  t.setStatus('triaging');
  const before = backlog(c);
  const result =
    before.length > 0
      ? await c.act.model.triageTicket(actor(c), c.input.text, c.input.entities ?? null, before)
      : await c.act.model.triageTicket(actor(c), c.input.text, c.input.entities);
  delivered(c, before);
  s.analysis = result.analysis;
  s.security = result.security;
  s.redactedText = result.redactedText;
  // Searchable from now on, by the redacted words only (never the raw text, which may hold what triage redacted).
  if (c.shape.ticketText) t.attributes.set([ticketTextUpdate(result.redactedText)]);
  s.triageModel = result.model;
  s.topic = result.analysis.topic;
  s.urgency = result.analysis.urgency;
  s.timestamps.triagedAt = nowIso();
  // Every patch is asked before the local activity: a patch marker recorded after a local activity's marker
  // did not replay (the interleaving test's worker kills showed it), so no patch waits on one.
  const credentialIsFact = c.patched(PATCHES.credentialContainment);
  const agentTopics = c.patched(PATCHES.localLookups)
    ? await c.act.local.listAgentTopics()
    : await c.act.tools.listAgentTopics();
  const routing = routeTicket(result.analysis, result.security, agentTopics, { credentialIsFact });
  s.routing = routing;
  t.emit('tool', {
    tool: 'triage',
    ok: true,
    summary: `${result.analysis.topic} / ${result.analysis.urgency}`,
    analysis: result.analysis,
    risk: result.security.risk_category,
    confidence: result.security.confidence_score,
    model: result.model,
  });
  if (routing.escalatedTopics.length > 0) {
    const reason = `no domain agent for ${routing.escalatedTopics.join(', ')}`;
    s.escalations.push({ reason, by: 'router', at: nowIso() });
    t.emit('message', {
      from: 'system',
      kind: 'escalated_topics',
      topics: routing.escalatedTopics,
      text: `${reason}: escalated to a person`,
    });
  }
  t.setStatus('triaging'); // publishes topic and urgency
  if (routing.securityProtocol) return 'security';
  if (routing.humanLive) return t.enterHuman(humanLiveReason(result.analysis), 'human_live', 'awaiting_review');
  return 'agents';
}
