/**
 * The capabilities the ticket activities are built from. The workflow never sees these: it calls
 * activities (activities/index.ts), which call these ports. Each has an embedded implementation that works
 * on this machine (rules model, SQLite, Markdown SOPs) and can be replaced by a production adapter.
 */
import type { TicketFacts } from '../core/outcome-figures';
import type {
  Draft,
  Feedback,
  FeedbackVerdict,
  Findings,
  ProposedAction,
  QueryAnalysis,
  SecurityBrief,
  SecurityMetadata,
  Sop,
  ToolRun,
  Topic,
  TriageResult,
  Verification,
} from '../core/domain';
import type { Intake } from '../core/intake';
import type { PolicyGuardrail } from './guardrail/live';

export interface TicketContext {
  ticketId: string;
  userId: string;
  orgId: string;
}

export interface Triage {
  /** PII is scrubbed before any model sees the text; the result carries the redacted text. */
  triage(ctx: TicketContext, text: string): Promise<TriageResult>;
  /** The same for a ticket scrubbed at the edge (core/intake.ts): the raw text never got this far. */
  triageIntake(ctx: TicketContext, scrubbed: Intake): Promise<TriageResult>;
}

export interface SecurityTools {
  /** Revokes the credentials the detectors found, or holds them with a proposal when the policy says so. */
  revokeTokens(ctx: TicketContext, security: SecurityMetadata): Promise<ToolRun>;
  /** Runs a held revocation a person confirmed, with each token's state read again. */
  executeRevocation(ctx: TicketContext, proposal: ProposedAction): Promise<ToolRun>;
  ipReputation(ctx: TicketContext, security: SecurityMetadata): Promise<ToolRun>;
  auditEvents(ctx: TicketContext): Promise<ToolRun>;
  brief(
    ctx: TicketContext,
    analysis: QueryAnalysis,
    security: SecurityMetadata,
    runs: ToolRun[],
  ): Promise<SecurityBrief>;
  storeIncident(
    ctx: TicketContext,
    analysis: QueryAnalysis,
    security: SecurityMetadata,
    brief: SecurityBrief,
  ): Promise<{ incidentId: string }>;
}

export interface KnowledgeBase {
  /** The best SOP for this ticket and topic, or null when nothing clears the score floor. */
  findSop(topic: Topic, text: string): Promise<Sop | null>;
  /** Records a person's SOP as a proposal (a new version): it serves `ticketId` now, the library once approved. */
  saveSop(topic: Topic, title: string, body: string, author: string, ticketId?: string): Promise<Sop>;
  /** Any SOP by id: the library's, or a provided version ("human-x@2") even before approval. */
  sopById(id: string): Promise<Sop | undefined>;
  /** Another agent than the author approves a provided SOP ("human-x" = its latest version, or "human-x@2"). */
  approveSop(id: string, approver: string): Promise<Sop>;
}

export interface DomainAgents {
  /** Topics with an agent; the rest are routed to a human. */
  readonly topics: readonly Topic[];
  investigate(
    ctx: TicketContext,
    topic: Topic,
    sop: Sop,
    analysis: QueryAnalysis,
    redactedText: string,
  ): Promise<Findings>;
  /** Runs a proposal a person confirmed (or the policy preapproved), checking its facts again. */
  execute(ctx: TicketContext, proposal: ProposedAction): Promise<ToolRun> | ToolRun;
}

export interface DraftInput {
  ctx: TicketContext;
  analysis: QueryAnalysis;
  redactedText: string;
  findings: Findings[];
  /** Tool runs outside the agents (the security protocol's revocation): what the reply may say was done. */
  actions?: ToolRun[];
  brief?: SecurityBrief;
  version: number;
  /** The reviewer's reason when redrafting after a rejection. */
  rejectionReason?: string;
  /** Earlier incidents of this user, for continuity ("we helped you with ... last month"). */
  history?: string[];
}

export interface Drafter {
  /** Writes one reply; `onToken` streams it as it is written. Redacts PII and runs the policy guardrail. */
  draft(input: DraftInput, onToken: (text: string) => Promise<void> | void): Promise<Draft>;
}

export interface Verifier {
  /** Is the customer's service healthy again (the domain's health check)? */
  verify(ctx: TicketContext, topic: Topic): Promise<Verification>;
}

export interface FeedbackAnalyzer {
  analyze(ctx: TicketContext, feedback: Feedback): Promise<FeedbackVerdict>;
}

export interface OrgPatternAlert {
  orgId: string;
  category: string;
  distinctUsers: number;
  windowMs: number;
}

export interface Memory {
  /** Short lines about this user's earlier incidents, newest first. */
  history(ctx: TicketContext, limit?: number): Promise<string[]>;
  /**
   * Records the incident (and, with `facts`, the ticket's outcome for the desk's figures); returns an org alert
   * when enough distinct users of the org hit the same category.
   */
  consolidate(ctx: TicketContext, record: MemoryRecord): Promise<{ orgAlert?: OrgPatternAlert }>;
}

/** What the memory step records of a finished ticket. `facts` is absent from workers of older versions. */
export interface MemoryRecord {
  topic: Topic;
  category: string;
  resolved: boolean;
  summary: string;
  facts?: TicketFacts;
}

/** Everything the activities need that thinks or remembers. */
export interface Intelligence {
  triage: Triage;
  security: SecurityTools;
  knowledge: KnowledgeBase;
  agents: DomainAgents;
  drafter: Drafter;
  verifier: Verifier;
  feedback: FeedbackAnalyzer;
  memory: Memory;
  /** The policy guardrail every reply passes (activities/guardrail/live.ts); the rules when absent. */
  guardrail?: PolicyGuardrail;
  close(): Promise<void>;
}
