/**
 * A ticket search as a Temporal visibility query. Every value is either from a closed list or matches a
 * narrow pattern, so quoting it cannot inject into the query. The dev server's SQL visibility has no
 * ORDER BY: its order is newest first, so "urgency" is served as one newest-first pass per urgency, most
 * urgent first, and its page token says which pass it is in. "deadline" lists only tickets with a review
 * pending (`TicketReviewDue` set), soonest due first: client/list.ts reads them all (bounded) and sorts them,
 * and its page token is an offset.
 */
import { defaultPayloadConverter } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { z } from 'zod';
import { queues, ticketStatuses, topics, urgencies } from '../core/domain';
import { TicketflowError } from '../core/errors';
import {
  ticketCustomerKey,
  ticketQueueKey,
  ticketReviewDueKey,
  ticketStatusKey,
  ticketTextKey,
  ticketTopicKey,
  ticketUrgencyKey,
} from '../workflows/search-attributes';
import { textWords } from '../workflows/ticket-text';

export const WORKFLOW_TYPE = 'ticketWorkflow';
export const ticketSorts = ['newest', 'urgency', 'deadline'] as const;

/** Ticket ids and customer ids as the API issues them: letters, digits and a few separators. */
export const searchTermSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[\w.@:-]+$/, 'search by a ticket id or a customer id (letters, digits, . _ - @ :)');

export const TEXT_SEARCH_MAX_CHARS = 200;
export const TEXT_SEARCH_MAX_WORDS = 8;
const TEXT_WORD_MAX_CHARS = 64;

/**
 * Free text, read as words only (workflows/ticket-text.ts): quotes, operators and punctuation are dropped,
 * never passed on, so what reaches the visibility query is lower-case letters and digits between spaces.
 * A search with no word left, too many words or a word longer than any ticket's is refused.
 */
export const textSearchSchema = z
  .string()
  .max(TEXT_SEARCH_MAX_CHARS, `text is at most ${TEXT_SEARCH_MAX_CHARS} characters`)
  .refine((t) => textWords(t).length > 0, 'text needs at least one word of letters or digits')
  .refine(
    (t) => textWords(t).length <= TEXT_SEARCH_MAX_WORDS,
    `text is at most ${TEXT_SEARCH_MAX_WORDS} words (every word must match)`,
  )
  .refine(
    (t) => textWords(t).every((w) => w.length <= TEXT_WORD_MAX_CHARS),
    `a word of text is at most ${TEXT_WORD_MAX_CHARS} characters`,
  );

export const ticketFilterShape = {
  status: z.enum(ticketStatuses).optional(),
  queue: z.enum(queues).optional(),
  topic: z.enum(topics).optional(),
  urgency: z.enum([...urgencies, 'none']).optional(),
  /** A ticket id (or its start) or a customer's user id. */
  search: searchTermSchema.optional(),
  /** Words of the ticket's redacted text; a ticket matches when it has every one. */
  text: textSearchSchema.optional(),
  /** Only tickets still running (not finished, failed or closed). */
  open: z.boolean().optional(),
  sort: z.enum(ticketSorts).default('newest'),
};
export type TicketFilter = z.output<z.ZodObject<typeof ticketFilterShape>>;

/** Most urgent first; untriaged tickets last. */
export const URGENCY_PASSES = ['critical', 'high', 'medium', 'low', 'none'] as const;

export function filterQuery(f: Partial<Pick<TicketFilter, 'sort'>> & Omit<TicketFilter, 'sort'>): string {
  const clauses = [`WorkflowType = '${WORKFLOW_TYPE}'`, `ExecutionStatus != 'ContinuedAsNew'`];
  if (f.sort === 'deadline') clauses.push(`${ticketReviewDueKey.name} IS NOT NULL`);
  if (f.open) clauses.push(`ExecutionStatus = 'Running'`);
  if (f.status) clauses.push(`${ticketStatusKey.name} = '${f.status}'`);
  if (f.queue) clauses.push(`${ticketQueueKey.name} = '${f.queue}'`);
  if (f.topic) clauses.push(`${ticketTopicKey.name} = '${f.topic}'`);
  if (f.urgency) clauses.push(`${ticketUrgencyKey.name} = '${f.urgency}'`);
  if (f.search) {
    const id = f.search.replace(/^ticket-/, '');
    clauses.push(`(WorkflowId STARTS_WITH 'ticket-${id}' OR ${ticketCustomerKey.name} = '${f.search}')`);
  }
  // Words only (see textSearchSchema), a clause each: visibility matches a Text attribute against any word of
  // the value (Elasticsearch's match, and the dev server's SQLite likewise), and a search means all of them.
  if (f.text) for (const word of textWords(f.text)) clauses.push(`${ticketTextKey.name} = '${word}'`);
  return clauses.join(' AND ');
}

/** Where an urgency-sorted listing stands: which pass, and the server's token inside it. */
export interface PassCursor {
  pass: number;
  token: string | null;
}

const cursorSchema = z.object({
  p: z
    .number()
    .int()
    .min(0)
    .max(URGENCY_PASSES.length - 1),
  t: z.string().nullable(),
});

export function encodeCursor(c: PassCursor): string {
  return Buffer.from(JSON.stringify({ p: c.pass, t: c.token })).toString('base64url');
}

export function decodeCursor(raw: string): PassCursor {
  try {
    const parsed = cursorSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return { pass: parsed.p, token: parsed.t };
  } catch (err) {
    throw new TicketflowError('bad_input', 'nextPageToken is not a token this list returned', { cause: err });
  }
}

const offsetSchema = z.object({ o: z.number().int().min(0) });

/** Where a deadline-sorted listing stands: how many of the sorted tickets came before. */
export function encodeOffset(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

export function decodeOffset(raw: string): number {
  try {
    return offsetSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))).o;
  } catch (err) {
    throw new TicketflowError('bad_input', 'nextPageToken is not a token this list returned', { cause: err });
  }
}

/** The pending review's due time (ISO), from the Datetime search attribute; null when none is pending. */
export function reviewDueOf(e: temporal.api.workflow.v1.IWorkflowExecutionInfo): string | null {
  const payload = e.searchAttributes?.indexedFields?.[ticketReviewDueKey.name];
  if (!payload) return null;
  const value = defaultPayloadConverter.fromPayload<unknown>(payload);
  const first = Array.isArray(value) ? (value[0] as unknown) : value;
  if (typeof first !== 'string') return null;
  // Normalised, so that client/list.ts's deadline sort compares instants whatever precision the server wrote.
  const ms = Date.parse(first);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
