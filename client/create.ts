/**
 * Creating a ticket, safe to retry. The raw text is scrubbed here, at the edge; the workflow id is the
 * ticket id, and a caller's idempotency key makes that id deterministic (a hash of who is calling and the
 * key), so a retry lands on the same workflow: started with the "use existing" conflict policy it attaches
 * to the ticket the first call made, whatever became of that call, and nothing runs twice.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  type Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateStage,
} from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { z } from 'zod';
import type { Config } from '../core/config';
import { TicketflowError } from '../core/errors';
import { intakeOffThread } from '../core/intake';
import { ticketStartAttributes } from '../workflows/search-attributes';
import { ticketSummary } from '../workflows/details';
import { workflowIdFor, type TicketInput } from '../workflows/state';
import { actionBounds, resultOnceAccepted } from './accept-deadline';
import { createTicketSchema, openTicketUpdate, requestLimits, type CreateTicketInput } from './contract';
import { retryWhileBusy } from './busy-retry';
import { parseOr } from './errors';
import { WORKFLOW_TYPE } from './list';
import type { CreatedTicket, TicketOwner } from './types';
import type { TicketWorkflow } from './workflow-type';

export interface CreateOptions {
  /**
   * The caller's key for this create (the HTTP `Idempotency-Key`): the same key from the same user and
   * organisation always names the same ticket; another user's identical key names another.
   */
  idempotencyKey?: string;
}

/** The ticket id a key stands for: scoped to the user and organisation, so keys never collide across callers. */
export function ticketIdForKey(owner: TicketOwner, key: string): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(['ticketflow-create', owner.orgId, owner.userId, key]))
    .digest('hex');
  return `t-${digest.slice(0, 40)}`;
}

export interface CreateDeps {
  client: Client;
  config: Config;
  /** Maps a Temporal error on this ticket (not found, unavailable...) to the project's error family. */
  mapError(err: unknown, ticketId: string): Promise<unknown>;
  /** Where an existing ticket stands and whose it is (for a retry that finds the ticket already finished). */
  existing(ticketId: string): Promise<CreatedTicket & { owner: TicketOwner }>;
}

export function createTicketCreator(deps: CreateDeps) {
  const { client, config: cfg } = deps;

  function startOperation(ticketId: string, args: TicketInput) {
    return new WithStartWorkflowOperation<TicketWorkflow>(WORKFLOW_TYPE, {
      workflowId: workflowIdFor(ticketId),
      taskQueue: cfg.temporal.taskQueue,
      args: [args],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      // Whose ticket it is, readable by describe() without a worker (the access check on a retry).
      memo: { userId: args.userId, orgId: args.orgId },
      // The Web UI's one-line summary: no text of the ticket, which may hold what the scrubber missed.
      staticSummary: ticketSummary(ticketId, args.channel),
      // Listed at once, as its first workflow task would list it: that task then has nothing to upsert.
      typedSearchAttributes: new TypedSearchAttributes(ticketStartAttributes(args.userId)),
    });
  }

  async function inputFor(ticketId: string, input: z.output<typeof createTicketSchema>): Promise<TicketInput> {
    // Scrubbed before it enters the workflow's history: neither the Temporal Web UI nor any activity input
    // shows a pasted token or an address. Off the event loop: detection on a long text takes milliseconds.
    const scrubbed = await intakeOffThread(input.text);
    return {
      ticketId,
      text: scrubbed.redactedText,
      entities: scrubbed.entities,
      userId: input.userId,
      orgId: input.orgId,
      channel: input.channel,
      durations: {
        reviewSlaMs: cfg.ticket.reviewSlaMs,
        afterRunnerDelayMs: cfg.ticket.afterRunnerDelayMs,
        feedbackWindowMs: cfg.ticket.feedbackWindowMs,
      },
      maxRedrafts: cfg.ticket.maxRedrafts,
    };
  }

  /**
   * Starts the ticket and answers its first state at once (update-with-start). A retry with the same key or
   * ticket id answers the ticket that exists, running or finished; an id that belongs to someone else is a
   * conflict.
   */
  async function createTicket(raw: CreateTicketInput, opts: CreateOptions = {}): Promise<CreatedTicket> {
    const input = parseOr(createTicketSchema, raw);
    const owner = { userId: input.userId, orgId: input.orgId };
    const key = opts.idempotencyKey;
    if (key !== undefined && (key.length === 0 || key.length > requestLimits.idempotencyKey)) {
      throw new TicketflowError('bad_input', `an idempotency key is 1 to ${requestLimits.idempotencyKey} characters`);
    }
    if (key !== undefined && input.ticketId)
      throw new TicketflowError('bad_input', 'give an idempotency key or a ticket id, not both');
    const ticketId = key !== undefined ? ticketIdForKey(owner, key) : (input.ticketId ?? `t-${randomUUID()}`);
    try {
      const startInput = await inputFor(ticketId, input);
      // A start operation is used once: a retry (the ticket refused as busy) attaches a new one.
      // Bounded only when a resend names the same ticket (a key, or the caller's own id): client/accept-deadline.ts.
      // The opening update is answered in the task that accepts it (nothing waits), so its result needs no bound.
      const bounds = { ...actionBounds(cfg, key !== undefined || input.ticketId !== undefined), applyMs: null };
      const ack = await retryWhileBusy(() =>
        resultOnceAccepted(client, bounds, () =>
          client.workflow.startUpdateWithStart(openTicketUpdate, {
            startWorkflowOperation: startOperation(ticketId, startInput),
            waitForStage: WorkflowUpdateStage.ACCEPTED,
          }),
        ),
      );
      const created = { ticketId, status: ack.status, queue: ack.queue, lastSeq: ack.lastSeq };
      // A caller's own id may name a ticket that already existed: it must be this caller's. (A key's id
      // cannot: it is a hash of the caller.)
      if (input.ticketId !== undefined) assertOwner((await deps.existing(ticketId)).owner, owner, ticketId);
      return created;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw await deps.mapError(err, ticketId);
      // The ticket ran and finished: the retry answers it as it stands now.
      const found = await deps
        .existing(ticketId)
        .catch((e: unknown) =>
          Promise.reject(
            new TicketflowError('conflict', `ticket ${ticketId} already exists and is closed`, { cause: e }),
          ),
        );
      assertOwner(found.owner, owner, ticketId);
      return { ticketId, status: found.status, queue: found.queue, lastSeq: found.lastSeq };
    }
  }

  return { createTicket };
}

function assertOwner(actual: TicketOwner, expected: TicketOwner, ticketId: string): void {
  if (actual.userId !== expected.userId || actual.orgId !== expected.orgId) {
    throw new TicketflowError('conflict', `ticket id ${ticketId} is already in use`);
  }
}
