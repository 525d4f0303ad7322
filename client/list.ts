/**
 * Tickets from Temporal visibility: a page of tickets matching a search (client/ticket-query.ts), its total,
 * and the counts per console queue.
 * Both are answered by the server alone (no worker), from the search attributes the workflow keeps current.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import { defaultPayloadConverter, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { z } from 'zod';
import { TicketflowError } from '../core/errors';
import { ticketQueueKey, ticketStatusKey, ticketTopicKey, ticketUrgencyKey } from '../workflows/search-attributes';
import { limits, requestLimits } from './contract';
import {
  decodeCursor,
  decodeOffset,
  encodeCursor,
  encodeOffset,
  reviewDueOf,
  filterQuery,
  ticketFilterShape,
  URGENCY_PASSES,
  WORKFLOW_TYPE,
  type PassCursor,
} from './ticket-query';
import { grpcCode, isUnavailable, parseOr, unavailable } from './errors';
import type { ListTicketsInput, TicketListItem, TicketListPage } from './types';

export { WORKFLOW_TYPE };

/** The queues the console shows as columns (counted here, listed by the board). */
export const CONSOLE_QUEUES = ['review', 'security', 'needs_sop', 'human_live', 'reopened'] as const;

const listInputSchema = z.object({
  ...ticketFilterShape,
  pageSize: z.number().int().min(1).max(limits.pageSize).default(limits.defaultPageSize),
  nextPageToken: z.string().max(requestLimits.pageToken).optional(),
  /** Also count every ticket the filter matches (one more visibility call). */
  withTotal: z.boolean().optional(),
});

/** A page token the server cannot read: the dev server answers UNKNOWN for it, a cluster INVALID_ARGUMENT. */
const BAD_TOKEN_CODES: ReadonlySet<number> = new Set([GrpcStatus.UNKNOWN, GrpcStatus.INVALID_ARGUMENT]);

/**
 * Pending reviews read for one deadline-sorted page. The dev server's visibility cannot order by a
 * attribute, so they are read and sorted here; a review queue past this size is refused, not cut short.
 */
const DEADLINE_SCAN_MAX = 5_000;
const SCAN_PAGE = 1_000;

type KeywordKey = typeof ticketStatusKey;
type RawExecution = temporal.api.workflow.v1.IWorkflowExecutionInfo;

export function createTicketLister(client: Client) {
  const namespace = client.options.namespace;

  /** One page of one query; the token in and out is the server's, as base64url. */
  async function page(
    query: string,
    pageSize: number,
    token?: string,
  ): Promise<{ rows: RawExecution[]; next: string | null }> {
    // The raw service call, because the SDK's list() hides the page token the API hands back to its caller.
    const res = await client.workflowService
      .listWorkflowExecutions({
        namespace,
        pageSize,
        query,
        ...(token ? { nextPageToken: Buffer.from(token, 'base64url') } : {}),
      })
      .catch((err: unknown) => {
        if (isUnavailable(err)) throw unavailable(err);
        if (token && BAD_TOKEN_CODES.has(grpcCode(err) ?? -1)) {
          throw new TicketflowError('bad_input', 'nextPageToken is not a token this list returned', { cause: err });
        }
        throw err;
      });
    const next =
      res.nextPageToken && res.nextPageToken.length > 0 ? Buffer.from(res.nextPageToken).toString('base64url') : null;
    return { rows: res.executions ?? [], next };
  }

  /** Most urgent first: one newest-first pass per urgency, filling the page across passes. */
  async function byUrgency(
    base: string,
    pageSize: number,
    token?: string,
  ): Promise<{ rows: RawExecution[]; next: string | null }> {
    let cursor: PassCursor | null = token ? decodeCursor(token) : { pass: 0, token: null };
    const rows: RawExecution[] = [];
    while (cursor && rows.length < pageSize) {
      const at: PassCursor = cursor;
      const got = await page(
        `${base} AND ${ticketUrgencyKey.name} = '${URGENCY_PASSES[at.pass]}'`,
        pageSize - rows.length,
        at.token ?? undefined,
      );
      rows.push(...got.rows);
      cursor = got.next
        ? { pass: at.pass, token: got.next }
        : at.pass + 1 < URGENCY_PASSES.length
          ? { pass: at.pass + 1, token: null }
          : null;
    }
    return { rows, next: cursor ? encodeCursor(cursor) : null };
  }

  /** Soonest review due first: every pending review the filter matches, sorted here, paged by offset. */
  async function byDeadline(
    query: string,
    pageSize: number,
    token?: string,
  ): Promise<{ rows: RawExecution[]; next: string | null }> {
    const offset = token ? decodeOffset(token) : 0;
    const all: RawExecution[] = [];
    let scan: string | null = null;
    do {
      const got = await page(query, SCAN_PAGE, scan ?? undefined);
      all.push(...got.rows);
      scan = got.next;
      if (all.length > DEADLINE_SCAN_MAX) {
        throw new TicketflowError('bad_input', `over ${DEADLINE_SCAN_MAX} reviews pending: narrow the search`);
      }
    } while (scan);
    const due = (e: RawExecution) => reviewDueOf(e) ?? '';
    all.sort(
      (a, b) =>
        due(a).localeCompare(due(b)) || (a.execution?.workflowId ?? '').localeCompare(b.execution?.workflowId ?? ''),
    );
    const end = offset + pageSize;
    return { rows: all.slice(offset, end), next: end < all.length ? encodeOffset(end) : null };
  }

  async function count(query: string): Promise<number> {
    try {
      return (await client.workflow.count(query)).count;
    } catch (err) {
      throw isUnavailable(err) ? unavailable(err) : err;
    }
  }

  async function listTickets(raw: ListTicketsInput = {}): Promise<TicketListPage> {
    const input = parseOr(listInputSchema, raw);
    const base = filterQuery(input);
    // With one urgency asked for, the urgency order is the plain order.
    const urgencyOrder = input.sort === 'urgency' && !input.urgency;
    const [got, total] = await Promise.all([
      urgencyOrder
        ? byUrgency(base, input.pageSize, input.nextPageToken)
        : input.sort === 'deadline'
          ? byDeadline(base, input.pageSize, input.nextPageToken)
          : page(base, input.pageSize, input.nextPageToken),
      input.withTotal ? count(base) : Promise.resolve(undefined),
    ]);
    return { tickets: got.rows.map(toListItem), nextPageToken: got.next, ...(total === undefined ? {} : { total }) };
  }

  async function countQueues(): Promise<Record<string, number>> {
    try {
      const entries = await Promise.all(
        CONSOLE_QUEUES.map(async (queue) => {
          // Queue names come from a closed list, so quoting them cannot inject into the query.
          const query = `WorkflowType = '${WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND ${ticketQueueKey.name} = '${queue}'`;
          const { count } = await client.workflow.count(query);
          return [queue, count] as const;
        }),
      );
      return Object.fromEntries(entries);
    } catch (err) {
      throw isUnavailable(err) ? unavailable(err) : err;
    }
  }

  return { listTickets, countQueues };
}

function toListItem(e: RawExecution): TicketListItem {
  const fields = e.searchAttributes?.indexedFields ?? {};
  const workflowId = e.execution?.workflowId ?? '';
  return {
    ticketId: workflowId.replace(/^ticket-/, ''),
    workflowId,
    status: keyword(fields, ticketStatusKey) ?? 'unknown',
    queue: keyword(fields, ticketQueueKey) ?? 'none',
    topic: keyword(fields, ticketTopicKey) ?? 'none',
    urgency: keyword(fields, ticketUrgencyKey) ?? 'none',
    startedAt: tsToIso(e.startTime),
    closedAt: tsToIso(e.closeTime),
    executionStatus: executionStatusName(e.status),
    reviewDueAt: reviewDueOf(e),
  };
}

/** One Keyword search attribute, read by its typed key (the payload is the JSON-encoded value). */
function keyword(fields: Record<string, temporal.api.common.v1.IPayload>, key: KeywordKey): string | undefined {
  const payload = fields[key.name];
  if (!payload) return undefined;
  const value = defaultPayloadConverter.fromPayload<unknown>(payload);
  if (typeof value === 'string') return value;
  // Older servers hand keywords back as a one-element list.
  return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
}

function tsToIso(ts: { seconds?: unknown; nanos?: number | null } | null | undefined): string | null {
  if (!ts || ts.seconds === undefined || ts.seconds === null) return null;
  const seconds = Number(ts.seconds);
  return new Date(seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}

function executionStatusName(code: temporal.api.enums.v1.WorkflowExecutionStatus | null | undefined): string {
  const name = temporal.api.enums.v1.WorkflowExecutionStatus[code ?? 0] ?? 'WORKFLOW_EXECUTION_STATUS_UNSPECIFIED';
  return name.replace('WORKFLOW_EXECUTION_STATUS_', '');
}
