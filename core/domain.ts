/**
 * The shapes that cross boundaries between the workflow, its activities, the gateway and the UI.
 * Workflow code imports these as types only; activities and the gateway validate with the schemas.
 */
import { z } from 'zod';

export const topics = [
  'A&S',
  'Billing',
  'Enterprise',
  'DevSupport',
  'Workers',
  'ShotGun',
  'Discourse',
  'unknown',
] as const;
export type Topic = (typeof topics)[number];
export const urgencies = ['low', 'medium', 'high', 'critical'] as const;
export type Urgency = (typeof urgencies)[number];
export const tones = ['neutral', 'frustrated', 'polite', 'urgent'] as const;
export const riskCategories = ['none', 'ATO', 'PII_LEAK', 'TOKEN_EXPOSURE', 'LEGAL_THREAT'] as const;
export type RiskCategory = (typeof riskCategories)[number];

export const queryAnalysisSchema = z.object({
  intent: z.string().min(1).max(200),
  urgency: z.enum(urgencies),
  tone: z.enum(tones),
  topic: z.enum(topics),
  /** Other topics the ticket also touches (never includes `topic`). */
  topics: z.array(z.enum(topics)).default([]),
  is_sensitive: z.boolean(),
  /** Text aimed at the system (ignore the rules, mark resolved, refund without checks): a person handles it. */
  manipulation: z.boolean().optional(),
});
export type QueryAnalysis = z.infer<typeof queryAnalysisSchema>;

export const extractedEntitySchema = z.object({
  kind: z.enum([
    'token',
    'aws_key',
    'jwt',
    'secret',
    'ip',
    'email',
    'card',
    'phone',
    'iban',
    'ssn',
    'person',
    'username',
    'transaction_id',
  ]),
  /** Always masked: the raw value never leaves the triage activity. */
  masked: z.string(),
  /** Stable fingerprint (sha-256 prefix) so tools can find the real record without the raw value. */
  fingerprint: z.string().optional(),
});
export type ExtractedEntity = z.infer<typeof extractedEntitySchema>;

export const securityMetadataSchema = z.object({
  risk_category: z.enum(riskCategories),
  confidence_score: z.number().min(0).max(1),
  extracted_entities: z.array(extractedEntitySchema).default([]),
});
export type SecurityMetadata = z.infer<typeof securityMetadataSchema>;

export const triageResultSchema = z.object({
  analysis: queryAnalysisSchema,
  security: securityMetadataSchema,
  /** The ticket text with PII redacted: the only form later steps and the console see. */
  redactedText: z.string(),
  model: z.string(),
  /** How sure the model is of each field (the semantic model gives one per field; 0..1). */
  confidence: z
    .object({ topic: z.number(), urgency: z.number(), tone: z.number(), sensitive: z.number(), risk: z.number() })
    .partial()
    .optional(),
});
export type TriageResult = z.infer<typeof triageResultSchema>;

export const ticketStatuses = [
  'received',
  'triaging',
  'security_review',
  'investigating',
  'awaiting_sop',
  'drafting',
  'awaiting_review',
  'sent',
  'resolved',
  'verifying',
  'reopened',
  'closed',
  'failed',
] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

/** Where a ticket waits for people; `none` while it is moving on its own. */
export const queues = ['none', 'review', 'security', 'needs_sop', 'human_live', 'reopened', 'enterprise'] as const;
export type Queue = (typeof queues)[number];

export const toolRunSchema = z.object({
  tool: z.string(),
  ok: z.boolean(),
  summary: z.string(),
  output: z.record(z.string(), z.unknown()),
});
export type ToolRun = z.infer<typeof toolRunSchema>;

export const sopSchema = z.object({
  id: z.string(),
  title: z.string(),
  topic: z.enum(topics),
  body: z.string(),
  allowedTools: z.array(z.string()).default([]),
  source: z.enum(['library', 'human']),
});
export type Sop = z.infer<typeof sopSchema>;

/** Side effects the action policy knows (activities/policy); every tool that changes something declares one. */
export const actionKinds = ['refund', 'revoke_credentials', 'account_change'] as const;
export type ActionKind = (typeof actionKinds)[number];

/** A side effect the policy did not let run alone: it waits for a person to confirm or decline it. */
export const proposedActionSchema = z.object({
  /** Stable per ticket (tool and target), so proposing it again is the same proposal. */
  id: z.string(),
  kind: z.enum(actionKinds),
  tool: z.string(),
  target: z.string(),
  input: z.record(z.string(), z.unknown()),
  amountCents: z.number().int().optional(),
  currency: z.string().optional(),
  reason: z.string(),
  /**
   * The policy would let it run without a person's confirmation (ACTIONS_UNATTENDED, within the caps). It still
   * runs only when a person approves the reply, so a rejected draft leaves nothing done.
   */
  preapproved: z.boolean().optional(),
});
export type ProposedAction = z.infer<typeof proposedActionSchema>;

/**
 * Where a proposal stands on the ticket: `pending` waits for a person; `confirmed` runs when the reply is
 * approved; `declined` never runs; `executed` and `failed` are the outcome of running it.
 */
export const proposalStatuses = ['pending', 'confirmed', 'declined', 'executed', 'failed'] as const;
export type ProposalStatus = (typeof proposalStatuses)[number];
export type ProposalRecord = ProposedAction & {
  status: ProposalStatus;
  /** Who confirmed or declined it ("policy" for a preapproved one), and when. */
  decidedBy?: string;
  decidedAt?: string;
  note?: string;
  /** The run's summary once it ran. */
  outcome?: string;
};

export const findingsSchema = z.object({
  topic: z.enum(topics),
  sopId: z.string().optional(),
  summary: z.string(),
  steps: z.array(z.string()),
  toolRuns: z.array(toolRunSchema).default([]),
  /** Actions the policy held for a person's confirmation: none of them has run. */
  proposals: z.array(proposedActionSchema).optional(),
  /** Something the agent could not do alone: the workflow hands the ticket to a person with this reason. */
  needsHuman: z.string().optional(),
});
export type Findings = z.infer<typeof findingsSchema>;

export const securityBriefSchema = z.object({
  summary: z.string(),
  actionsTaken: z.array(z.string()),
  recommendations: z.array(z.string()),
  incidentId: z.string().optional(),
});
export type SecurityBrief = z.infer<typeof securityBriefSchema>;

export const draftSchema = z.object({
  version: z.number().int().positive(),
  text: z.string(),
  model: z.string(),
  /** Set when the policy guardrail refused the draft; the workflow hands it to a person instead of review. */
  violation: z.string().optional(),
});
export type Draft = z.infer<typeof draftSchema>;

// The bodies of what people send a ticket (review, feedback, ...) and their limits live in one module.
export { feedbackSchema, reviewDecisionSchema, type Feedback, type ReviewDecision } from './ticket-actions';

export const feedbackVerdictSchema = z.object({
  resolved: z.boolean(),
  sentiment: z.enum(['positive', 'neutral', 'negative']),
  reason: z.string(),
});
export type FeedbackVerdict = z.infer<typeof feedbackVerdictSchema>;

export const verificationSchema = z.object({ healthy: z.boolean(), detail: z.string() });
export type Verification = z.infer<typeof verificationSchema>;

/** One finished ticket, as the memory step records it (for the desk's figures, core/outcome-figures.ts). */
export interface TicketFacts {
  /** How often the ticket was reopened (verification failed or the customer said it was not resolved). */
  reopens: number;
  /** Every rating the customer gave (1-5), oldest first. */
  ratings: number[];
  /** Each review's time, in ms, from the review being asked for to the person's decision. */
  reviewMs: number[];
  /**
   * The reply sent last was the drafted one, approved without an edit (no person wrote or changed it). Absent on
   * rows recorded before it was (as are `confirmed` and `slaBreaches`).
   */
  automated?: boolean;
  /** The customer said it was resolved; false: the re-check and the feedback window's timer assumed it. */
  confirmed?: boolean;
  /** Reviews whose SLA lapsed before a person decided. */
  slaBreaches?: number;
  /** The SOPs the ticket's agents were given: a file's id, or a provided one's with its version ("human-x@2"). */
  sops?: string[];
}
