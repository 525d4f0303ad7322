/**
 * The ticket workflow's state: what the state query returns and what continue-as-new carries. Plain JSON,
 * types only from core/domain so this module stays safe inside the workflow sandbox.
 */
import type { TicketEvent, TicketEventType } from '../core/events';
import type {
  Draft,
  Feedback,
  FeedbackVerdict,
  Findings,
  QueryAnalysis,
  Queue,
  ReviewDecision,
  SecurityBrief,
  SecurityMetadata,
  TicketStatus,
  ProposalRecord,
  ToolRun,
  Topic,
  Urgency,
  Verification,
  ExtractedEntity,
} from '../core/domain';
import type { RoutingDecision } from './routing';

export type { TicketEvent, TicketEventType };

/** What the ticket is waiting for from people; null while it moves on its own. */
export type Awaiting = 'review' | 'sop' | 'human' | 'feedback' | null;

export type ReviewAction = 'approve' | 'edit' | 'reject';

/** Where the workflow is in its lifecycle; continue-as-new resumes at this step. */
export type Phase =
  | 'triage'
  | 'security'
  | 'agents'
  | 'draft'
  | 'review'
  | 'human'
  | 'send'
  | 'after_runner'
  | 'feedback'
  | 'memory'
  | 'done';

export interface ReviewRecord {
  action: ReviewAction | 'release' | 'sla_breached';
  reviewer: string;
  at: string;
  draftVersion?: number;
  reason?: string;
}

/** The review a person can give right now; null when no review is possible. */
export interface PendingReview {
  /** The draft version a decision must name (stale versions are rejected). */
  draftVersion: number;
  actions: ReviewAction[];
  /** Security hold: a person may release the ticket to let the automation continue. */
  releasable: boolean;
  queue: Queue;
  reason?: string;
  since: string;
  /** When the review SLA lapses (ISO), for reviews that have one. */
  dueAt?: string;
}

export interface TicketMessage {
  from: 'customer' | 'agent' | 'system';
  text: string;
  at: string;
  author?: string;
}

/** A ticket as its workflow holds it: what the state query returns and what continue-as-new carries. */
export interface Ticket {
  ticketId: string;
  userId: string;
  orgId: string;
  channel: string;
  status: TicketStatus;
  queue: Queue;
  urgency: Urgency | null;
  topic: Topic | null;
  analysis: QueryAnalysis | null;
  security: SecurityMetadata | null;
  /** The ticket text with PII redacted: the only form of it the state ever holds. */
  redactedText: string | null;
  triageModel: string | null;
  routing: RoutingDecision | null;
  brief: SecurityBrief | null;
  incidentId: string | null;
  findings: Findings[];
  toolRuns: ToolRun[];
  /**
   * Side effects the policy held for a person (and preapproved ones): none runs before the reply is approved.
   * Absent on tickets started before durable proposals.
   */
  proposals?: ProposalRecord[];
  /**
   * Who holds the ticket on the desk, as the desk last told it (ticketActions.setHolder); agent null: released.
   * Absent until the desk first tells it (and on tickets started before the desk did).
   */
  holder?: { agent: string | null; at: string };
  sops: { topic: Topic; sopId: string; source: 'library' | 'human' }[];
  /** The topic whose SOP is missing while status is awaiting_sop. */
  sopNeededFor: Topic | null;
  draft: { version: number; text: string; model: string; violation?: string } | null;
  redrafts: number;
  reviewHistory: ReviewRecord[];
  pendingReview: PendingReview | null;
  awaiting: Awaiting;
  awaitingReason: string | null;
  reply: { text: string; draftVersion: number; by: string; at: string } | null;
  escalations: { reason: string; by: string; at: string }[];
  /** A person asked for (or an agent needed) a human: reviews happen in the live queue from now on. */
  escalated: boolean;
  messages: TicketMessage[];
  feedback: Feedback | null;
  verdict: FeedbackVerdict | null;
  verification: Verification | null;
  reopenCount: number;
  /** Durable events in seq order, gap-free from 1 (token previews are not kept). */
  events: TicketEvent[];
  lastSeq: number;
  timestamps: {
    createdAt: string;
    updatedAt: string;
    triagedAt?: string;
    sentAt?: string;
    resolvedAt?: string;
    closedAt?: string;
  };
  /** How many times this ticket continued as new (history kept small). */
  runs: number;
  closeReason: string | null;
}

/** Internal bookkeeping carried across continue-as-new but kept out of the state query. */
export interface WorkState {
  phase: Phase;
  nextSeq: number;
  /** The agent topic index the agents step is at. */
  agentIndex: number;
  redraftReason: string | null;
  /** Epoch ms deadlines, so a resumed run waits only the remaining time. */
  reviewDueAt: number | null;
  slaBreachedVersion: number | null;
  afterRunnerDueAt: number | null;
  feedbackDueAt: number | null;
  /** Results of recent updates by update id, so a repeated id (even after continue-as-new) is idempotent. */
  updateResults: [string, unknown][];
  /** A person's reply is being checked (redaction, guardrail): their update answers once that is decided. */
  checkingReply?: boolean;
  /** Confirmed proposals are running (the reply was approved): no decision on them meanwhile. */
  executingProposals?: boolean;
  /** Decisions people made that the workflow has not consumed yet. */
  inbox: {
    decision: ReviewDecision | null;
    release: { reviewer: string; note?: string } | null;
    sop: { title: string; body: string; author: string } | null;
  };
}

export type Channel = 'web' | 'email' | 'chat' | 'slack' | 'api' | 'cli';

export interface TicketDurations {
  /** @default 4h */
  reviewSlaMs?: number;
  /** @default 10m */
  afterRunnerDelayMs?: number;
  /** @default 3d */
  feedbackWindowMs?: number;
}

export interface TicketInput {
  ticketId: string;
  /** The ticket's text: already redacted when `entities` is set (the client scrubs at the edge). */
  text: string;
  /** What the edge's detectors found, masked and fingerprinted; absent for raw text (older starters). */
  entities?: ExtractedEntity[];
  userId: string;
  orgId: string;
  /** A known Channel, or another the caller names (kept as written). */
  channel: string;
  durations?: TicketDurations;
  /** Redrafts allowed after rejections before a person writes the reply. @default 3 */
  maxRedrafts?: number;
  /** Handled messages per run before continuing as new. @default 500 */
  maxMessagesPerRun?: number;
  /** Set only by continue-as-new. */
  carried?: { state: Ticket; work: WorkState };
}

/** Defaults when the starter passes none; the client passes config() values. */
export const DEFAULT_DURATIONS: Required<TicketDurations> = {
  reviewSlaMs: 4 * 3_600_000,
  afterRunnerDelayMs: 10 * 60_000,
  feedbackWindowMs: 3 * 24 * 3_600_000,
};
export const DEFAULT_MAX_REDRAFTS = 3;
export const DEFAULT_MAX_MESSAGES_PER_RUN = 500;

export interface TicketOutcome {
  ticketId: string;
  status: TicketStatus;
  lastSeq: number;
  closeReason: string | null;
  verdict: FeedbackVerdict | null;
}

export function workflowIdFor(ticketId: string): string {
  return `ticket-${ticketId}`;
}

export function initialState(input: TicketInput, nowIso: string): Ticket {
  return {
    ticketId: input.ticketId,
    userId: input.userId,
    orgId: input.orgId,
    channel: input.channel,
    status: 'received',
    queue: 'none',
    urgency: null,
    topic: null,
    analysis: null,
    security: null,
    redactedText: null,
    triageModel: null,
    routing: null,
    brief: null,
    incidentId: null,
    findings: [],
    toolRuns: [],
    proposals: [],
    sops: [],
    sopNeededFor: null,
    draft: null,
    redrafts: 0,
    reviewHistory: [],
    pendingReview: null,
    awaiting: null,
    awaitingReason: null,
    reply: null,
    escalations: [],
    escalated: false,
    messages: [],
    feedback: null,
    verdict: null,
    verification: null,
    reopenCount: 0,
    events: [],
    lastSeq: 0,
    timestamps: { createdAt: nowIso, updatedAt: nowIso },
    runs: 0,
    closeReason: null,
  };
}

export function initialWork(): WorkState {
  return {
    phase: 'triage',
    nextSeq: 1,
    agentIndex: 0,
    redraftReason: null,
    reviewDueAt: null,
    slaBreachedVersion: null,
    afterRunnerDueAt: null,
    feedbackDueAt: null,
    updateResults: [],
    inbox: { decision: null, release: null, sop: null },
  };
}

// Draft is re-exported for modules that describe drafts without importing domain.
export type { Draft };
