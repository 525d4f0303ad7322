/**
 * The one way the gateway, the console API and the ops CLI talk to ticket workflows. Temporal errors are
 * turned into TicketflowError: an unknown ticket is `not_found`, a decision the workflow's validator refused
 * is `conflict` (with the validator's reason), malformed input is `bad_input`.
 */
import { intakeOffThread } from './intake';
import { redactOffThread } from './pii/pool';
import { randomUUID } from 'node:crypto';
import {
  Client,
  Connection,
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, TypedSearchAttributes } from '@temporalio/common';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { z } from 'zod';
import { config as processConfig, type Config } from './config';
import { feedbackSchema, queues, reviewDecisionSchema, ticketStatuses, type Feedback, type Queue, type ReviewDecision, type TicketStatus } from './domain';
import { TicketflowError } from './errors';
import { ticketIdSchema, type TicketEvent } from './events';
import {
  closeUpdate,
  customerMessageUpdate,
  escalateUpdate,
  feedbackUpdate,
  openTicketUpdate,
  provideSopUpdate,
  releaseUpdate,
  reviewUpdate,
  ticketStateQuery,
  type MessageAck,
} from '../workflows/messages';
import { ticketQueueKey, ticketStatusKey, ticketTopicKey, ticketUrgencyKey } from '../workflows/search-attributes';
import { workflowIdFor, type TicketInput, type TicketState } from '../workflows/state';
import type { ticketWorkflow } from '../workflows/ticket-workflow';

export type { TicketState, MessageAck, TicketEvent };
export type { Awaiting, PendingReview, ReviewRecord, TicketMessage, TicketOutcome } from '../workflows/state';

export const WORKFLOW_TYPE = 'ticketWorkflow';

export const channels = ['web', 'email', 'chat', 'slack', 'api', 'cli'] as const;

export const createTicketSchema = z.object({
  text: z.string().trim().min(1, 'the ticket needs text').max(20_000, 'the ticket text is longer than 20000 characters'),
  userId: z.string().trim().min(1, 'userId is required').max(200),
  orgId: z.string().trim().min(1, 'orgId is required').max(200),
  channel: z.enum(channels).default('web'),
  /** Optional caller-chosen id (idempotent create); generated when absent. */
  ticketId: ticketIdSchema.optional(),
});
export type CreateTicketInput = z.input<typeof createTicketSchema>;

export interface TicketSnapshot {
  ticketId: string;
  status: TicketStatus;
  queue: Queue;
  events: TicketEvent[];
  lastSeq: number;
}

export interface TicketListItem {
  ticketId: string;
  workflowId: string;
  status: string;
  queue: string;
  topic: string;
  urgency: string;
  startedAt: string | null;
  closedAt: string | null;
  executionStatus: string;
}

export interface ListTicketsInput {
  status?: TicketStatus;
  queue?: Queue;
  pageSize?: number;
  nextPageToken?: string;
}

export interface TicketClientOptions {
  client: Client;
  /** Namespace, task queue and ticket durations; defaults to the process config. */
  config?: Config;
}

/** gRPC UNKNOWN and INVALID_ARGUMENT. */
const BAD_TOKEN_CODES = new Set([2, 3]);

export function createTicketClient(opts: TicketClientOptions) {
  const { client } = opts;
  const cfg = opts.config ?? processConfig();
  const namespace = client.options.namespace;

  const handle = (ticketId: string): WorkflowHandle<typeof ticketWorkflow> => client.workflow.getHandle<typeof ticketWorkflow>(workflowIdFor(checkId(ticketId)));

  async function update<A extends unknown[]>(ticketId: string, def: { name: string }, args: A, updateId?: string): Promise<MessageAck> {
    try {
      return await handle(ticketId).executeUpdate(def as never, { args, ...(updateId ? { updateId } : {}) } as never);
    } catch (err) {
      throw await mapError(err, ticketId);
    }
  }

  /** Unknown id -> not_found; a ticket that exists but has finished -> conflict. */
  async function mapError(err: unknown, ticketId: string): Promise<unknown> {
    if (err instanceof WorkflowUpdateFailedError) {
      const cause = err.cause;
      if (cause instanceof ApplicationFailure) {
        return new TicketflowError(cause.type === 'BadInput' ? 'bad_input' : 'conflict', cause.message, { cause: err });
      }
      return new TicketflowError('conflict', cause?.message ?? err.message, { cause: err });
    }
    if (err instanceof WorkflowNotFoundError || isNotFound(err)) {
      const exists = await describeStatus(ticketId).catch(() => null);
      if (exists) return new TicketflowError('conflict', `ticket ${ticketId} is ${exists === 'COMPLETED' ? 'closed' : exists.toLowerCase()}`, { cause: err });
      return new TicketflowError('not_found', `no ticket ${ticketId}`, { cause: err });
    }
    return err;
  }

  async function describeStatus(ticketId: string): Promise<string | null> {
    try {
      const d = await handle(ticketId).describe();
      return d.status.name;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError || isNotFound(err)) return null;
      throw err;
    }
  }

  return {
    /**
     * Starts the ticket and answers its first state at once (update-with-start). Creating with an id that is
     * already running returns that ticket (idempotent); an id of a finished ticket is a conflict.
     */
    async createTicket(raw: CreateTicketInput): Promise<{ ticketId: string; status: TicketStatus; queue: Queue; lastSeq: number }> {
      const input = parseOr(createTicketSchema, raw);
      const ticketId = input.ticketId ?? `t-${randomUUID()}`;
      // Scrubbed here, at the edge: the raw text (a pasted token, an address) never enters the workflow's
      // history, so neither the Temporal Web UI nor any activity input shows it.
      const scrubbed = await intakeOffThread(input.text);
      const args: TicketInput = {
        ticketId,
        text: scrubbed.redactedText,
        entities: scrubbed.entities,
        userId: input.userId,
        orgId: input.orgId,
        channel: input.channel,
        durations: { reviewSlaMs: cfg.ticket.reviewSlaMs, afterRunnerDelayMs: cfg.ticket.afterRunnerDelayMs, feedbackWindowMs: cfg.ticket.feedbackWindowMs },
        maxRedrafts: cfg.ticket.maxRedrafts,
      };
      const start = new WithStartWorkflowOperation<typeof ticketWorkflow>(WORKFLOW_TYPE as never, {
        workflowId: workflowIdFor(ticketId),
        taskQueue: cfg.temporal.taskQueue,
        args: [args],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        // Listed at once, before the first workflow task upserts them itself.
        typedSearchAttributes: new TypedSearchAttributes([
          { key: ticketStatusKey, value: 'received' },
          { key: ticketQueueKey, value: 'none' },
          { key: ticketTopicKey, value: 'none' },
          { key: ticketUrgencyKey, value: 'none' },
        ]),
      });
      try {
        const ack = await client.workflow.executeUpdateWithStart(openTicketUpdate, { startWorkflowOperation: start });
        return { ticketId, status: ack.status, queue: ack.queue, lastSeq: ack.lastSeq };
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) throw new TicketflowError('conflict', `ticket ${ticketId} already exists and is closed`, { cause: err });
        throw await mapError(err, ticketId);
      }
    },

    /** The whole state (works on closed tickets too, while a worker runs). */
    async getState(ticketId: string): Promise<TicketState> {
      try {
        return await handle(ticketId).query(ticketStateQuery);
      } catch (err) {
        const mapped = await mapError(err, ticketId);
        throw mapped;
      }
    },

    /** What a stream subscriber needs first: the durable events so far. Null when there is no such ticket. */
    async getSnapshot(ticketId: string): Promise<TicketSnapshot | null> {
      if (!ticketIdSchema.safeParse(ticketId).success) return null;
      try {
        const s = await handle(ticketId).query(ticketStateQuery);
        return { ticketId: s.ticketId, status: s.status, queue: s.queue, events: s.events, lastSeq: s.lastSeq };
      } catch (err) {
        if (err instanceof WorkflowNotFoundError || isNotFound(err)) return null;
        throw err;
      }
    },

    /** Tickets by status and/or queue from Temporal visibility; open tickets first, newest first. */
    async listTickets(raw: ListTicketsInput = {}): Promise<{ tickets: TicketListItem[]; nextPageToken: string | null }> {
      const input = parseOr(
        z.object({
          status: z.enum(ticketStatuses).optional(),
          queue: z.enum(queues).optional(),
          pageSize: z.number().int().min(1).max(500).default(50),
          nextPageToken: z.string().max(10_000).optional(),
        }),
        raw,
      );
      // Values are from closed enums above, so quoting them cannot inject into the query.
      const clauses = [`WorkflowType = '${WORKFLOW_TYPE}'`, `ExecutionStatus != 'ContinuedAsNew'`];
      if (input.status) clauses.push(`TicketStatus = '${input.status}'`);
      if (input.queue) clauses.push(`TicketQueue = '${input.queue}'`);
      const res = await client.workflowService
        .listWorkflowExecutions({
          namespace,
          pageSize: input.pageSize,
          query: clauses.join(' AND '),
          ...(input.nextPageToken ? { nextPageToken: Buffer.from(input.nextPageToken, 'base64url') } : {}),
        })
        .catch((err: unknown) => {
          // A page token the server cannot read is the caller's mistake, not an outage (the dev server answers
          // UNKNOWN for it, a cluster INVALID_ARGUMENT).
          if (input.nextPageToken && BAD_TOKEN_CODES.has((err as { code?: number }).code ?? -1)) {
            throw new TicketflowError('bad_input', 'nextPageToken is not a token this list returned', { cause: err });
          }
          throw err;
        });
      const tickets = (res.executions ?? []).map((e): TicketListItem => {
        const sa = decodeTypedSearchAttributes(e.searchAttributes?.indexedFields);
        const workflowId = e.execution?.workflowId ?? '';
        return {
          ticketId: workflowId.replace(/^ticket-/, ''),
          workflowId,
          status: sa.get(ticketStatusKey) ?? 'unknown',
          queue: sa.get(ticketQueueKey) ?? 'none',
          topic: sa.get(ticketTopicKey) ?? 'none',
          urgency: sa.get(ticketUrgencyKey) ?? 'none',
          startedAt: tsToIso(e.startTime),
          closedAt: tsToIso(e.closeTime),
          executionStatus: executionStatusName(e.status),
        };
      });
      const token = res.nextPageToken && res.nextPageToken.length > 0 ? Buffer.from(res.nextPageToken).toString('base64url') : null;
      return { tickets, nextPageToken: token };
    },

    /** Approve / edit / reject a draft. A repeated `updateId` gets the first answer. */
    async review(ticketId: string, decision: ReviewDecision, updateId?: string): Promise<MessageAck> {
      const d = parseOr(reviewDecisionSchema, decision);
      return update(ticketId, reviewUpdate, [d], updateId);
    },

    /** Lets a ticket held in the security queue continue with the automation. */
    async release(ticketId: string, input: { reviewer: string; note?: string }, updateId?: string): Promise<MessageAck> {
      return update(ticketId, releaseUpdate, [input], updateId);
    },

    async provideSop(ticketId: string, sop: { title: string; body: string; author: string }, updateId?: string): Promise<MessageAck> {
      return update(ticketId, provideSopUpdate, [sop], updateId);
    },

    async sendFeedback(ticketId: string, feedback: z.input<typeof feedbackSchema>, updateId?: string): Promise<MessageAck> {
      const f: Feedback = parseOr(feedbackSchema, feedback);
      return update(ticketId, feedbackUpdate, [{ ...f, comment: await redactOffThread(f.comment) }], updateId);
    },

    /** A customer's follow-up message, appended to the ticket. */
    async addMessage(ticketId: string, message: { text: string; author?: string }, updateId?: string): Promise<MessageAck> {
      // Redacted before it enters the workflow's history: agents, events and the console only ever see this form.
      return update(ticketId, customerMessageUpdate, [{ ...message, text: await redactOffThread(message.text) }], updateId);
    },

    async escalate(ticketId: string, input: { reason: string; by: string }, updateId?: string): Promise<MessageAck> {
      return update(ticketId, escalateUpdate, [input], updateId);
    },

    /** Closes the ticket cleanly (status closed), wherever it is. */
    async close(ticketId: string, input: { reason?: string; by: string }, updateId?: string): Promise<MessageAck> {
      return update(ticketId, closeUpdate, [input], updateId);
    },

    /** The ticket's final outcome (waits for the workflow to finish). */
    async result(ticketId: string) {
      try {
        return await handle(ticketId).result();
      } catch (err) {
        throw await mapError(err, ticketId);
      }
    },

    handle,
  };
}

export type TicketClient = ReturnType<typeof createTicketClient>;

/** Connects to the configured Temporal and returns a ticket client plus `disconnect()` for the connection. */
export async function connectTicketClient(cfg: Config = processConfig()): Promise<TicketClient & { disconnect(): Promise<void> }> {
  const connection = await Connection.connect({ address: cfg.temporal.address });
  const client = new Client({ connection, namespace: cfg.temporal.namespace });
  return { ...createTicketClient({ client, config: cfg }), disconnect: () => connection.close() };
}

function checkId(ticketId: string): string {
  const r = ticketIdSchema.safeParse(ticketId);
  if (!r.success) throw new TicketflowError('bad_input', `"${String(ticketId).slice(0, 80)}" is not a ticket id (letters, digits, _ and -)`);
  return r.data;
}

function parseOr<T>(schema: z.ZodType<T>, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  throw new TicketflowError('bad_input', r.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
}

function isNotFound(err: unknown): boolean {
  // gRPC NOT_FOUND (code 5) surfaces as a ServiceError for some calls (e.g. a query to a purged workflow).
  const e = err as { code?: number; cause?: { code?: number } } | null;
  return e?.code === 5 || e?.cause?.code === 5;
}

function tsToIso(ts: { seconds?: unknown; nanos?: number | null } | null | undefined): string | null {
  if (!ts || ts.seconds === undefined || ts.seconds === null) return null;
  const seconds = Number(ts.seconds as number | { toString(): string });
  return new Date(seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}

const EXECUTION_STATUS = ['UNSPECIFIED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELED', 'TERMINATED', 'CONTINUED_AS_NEW', 'TIMED_OUT'];
function executionStatusName(code: number | null | undefined): string {
  return EXECUTION_STATUS[code ?? 0] ?? 'UNSPECIFIED';
}
