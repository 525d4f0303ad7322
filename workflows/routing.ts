/**
 * Routing rules: pure functions of the triage result, so they are unit-tested on their own and replay
 * deterministically inside the workflow.
 */
import type { QueryAnalysis, Queue, SecurityMetadata, Topic, Urgency } from '../core/domain';

/** The security protocol (revoke, IP reputation, audit, brief, incident) runs at or above this confidence. */
export const SECURITY_PROTOCOL_CONFIDENCE = 0.85;

export interface RoutingDecision {
  /** Topic unknown: no agent can start, a person answers live. */
  humanLive: boolean;
  /** Sensitive or critical tickets are reviewed in the security queue, the rest in the review queue. */
  reviewQueue: Extract<Queue, 'review' | 'security'>;
  /** Run the security protocol and hold the ticket in the secure queue. */
  securityProtocol: boolean;
  /** Topics (primary first) that have a domain agent; they proceed automatically. */
  agentTopics: Topic[];
  /** Topics with no domain agent: escalated to a person while the others proceed. */
  escalatedTopics: Topic[];
}

/** Primary topic first, then the others, without duplicates and without `unknown`. */
export function topicsOf(analysis: QueryAnalysis): Topic[] {
  const all = [analysis.topic, ...analysis.topics];
  return all.filter((t, i) => t !== 'unknown' && all.indexOf(t) === i);
}

const CREDENTIAL_KINDS: readonly string[] = ['token', 'aws_key', 'jwt', 'secret'];

/** `credentialIsFact`: a credential the detectors found is contained whatever the confidence (issue 11). */
export function needsSecurityProtocol(
  analysis: QueryAnalysis,
  security: SecurityMetadata,
  credentialIsFact = false,
): boolean {
  if (credentialIsFact && security.extracted_entities.some((e) => CREDENTIAL_KINDS.includes(e.kind))) return true;
  return analysis.is_sensitive && security.confidence_score >= SECURITY_PROTOCOL_CONFIDENCE;
}

export function routeTicket(
  analysis: QueryAnalysis,
  security: SecurityMetadata,
  agentTopics: readonly Topic[],
  opts: { credentialIsFact?: boolean } = {},
): RoutingDecision {
  const topics = topicsOf(analysis);
  const withAgent = topics.filter((t) => agentTopics.includes(t));
  const withoutAgent = topics.filter((t) => !agentTopics.includes(t));
  const sensitive = analysis.is_sensitive || analysis.urgency === 'critical';
  return {
    // No agent for any topic is the same situation as an unknown topic: only a person can answer. Text aimed
    // at the system (manipulation) goes to a person too: no agent, so no tool, acts on it.
    humanLive: analysis.topic === 'unknown' || withAgent.length === 0 || analysis.manipulation === true,
    reviewQueue: sensitive ? 'security' : 'review',
    securityProtocol: needsSecurityProtocol(analysis, security, opts.credentialIsFact),
    agentTopics: withAgent,
    escalatedTopics: withoutAgent,
  };
}

/** Why a ticket went to the live queue, in the words the console shows. */
export function humanLiveReason(analysis: QueryAnalysis): string {
  if (analysis.manipulation === true)
    return 'text aimed at the system (instructions, role play): a person answers, nothing is done on its word';
  return `topic ${analysis.topic === 'unknown' ? 'unknown' : 'without a domain agent'}: a person answers`;
}

const urgencyOrder: readonly Urgency[] = ['low', 'medium', 'high', 'critical'];

/** One step up, capped at critical: what a lapsed review SLA does to a ticket. */
export function raiseUrgency(urgency: Urgency | null): Urgency {
  if (urgency === null) return 'high';
  const i = urgencyOrder.indexOf(urgency);
  return urgencyOrder[Math.min(i + 1, urgencyOrder.length - 1)]!;
}
