/**
 * The desk's contract (assignment and presence of agents on tickets), once for the API, the store and the
 * console: the assign body, the desk query and the answers' shapes.
 */
import { z } from 'zod';
import { ticketIdSchema } from './events';
import { limits } from './limits';

/** Agents' ids as tokens carry them in `sub`. */
export const agentIdSchema = z
  .string({ error: 'an agent id must be a string' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,199}$/, 'an agent id is 1 to 200 letters, digits, . _ @ or -');

/** Claim (to = yourself), assign (to = another agent) or release (to = null); `reason` takes it from another holder. */
export const assignBody = z.strictObject({
  to: agentIdSchema.nullable(),
  reason: z
    .string({ error: 'reason must be a string' })
    .trim()
    .min(3, 'reason must say why, in at least 3 characters')
    .max(limits.reason, `reason must be at most ${limits.reason} characters`)
    .optional(),
});

/** Tickets a queue or a finder page shows at once. */
export const DESK_MAX_IDS = 100;

export const deskQuery = z.strictObject({
  ids: z
    .string({ error: 'ids is required: ticket ids separated by commas' })
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(ticketIdSchema).min(1).max(DESK_MAX_IDS, `at most ${DESK_MAX_IDS} ids`)),
});

export interface DeskAssignment {
  agent: string;
  since: string;
  by: string;
  takeoverReason: string | null;
}

/** GET /v1/desk: per ticket, who holds it and who is looking at it now. */
export interface DeskView {
  assignments: Record<string, DeskAssignment>;
  viewers: Record<string, string[]>;
}

/** POST /v1/tickets/:id/presence and /assign answer one ticket's desk. */
export interface TicketDesk {
  ticketId: string;
  assignment: DeskAssignment | null;
  viewers: string[];
}

/**
 * The agents' queue stream (`GET /v1/queue/stream`, a WebSocket): one JSON frame per change, no history. A
 * console that (re)connects reloads what it shows, then applies frames as they come.
 */
export type QueueFrame =
  /** A ticket's `status` event: a new ticket, or its status, queue, urgency, topic or awaiting changed. */
  | {
      kind: 'ticket';
      ticketId: string;
      status: string;
      queue: string;
      urgency: string | null;
      topic: string | null;
      awaiting: string | null;
    }
  /** The ticket's holder changed (null: released). */
  | { kind: 'desk'; ticketId: string; assignment: DeskAssignment | null }
  /** An agent is looking at the ticket; shown for `forMs` unless beaten again. */
  | { kind: 'viewer'; ticketId: string; agent: string; forMs: number };
