/**
 * A stream session's status, derived from the ticket's events: the customer page and the console show it,
 * and the metrics count open sessions by it.
 */
import type { TicketEvent } from '../../core/events';

export const sessionStatuses = ['active', 'waiting_for_human', 'completed', 'failed', 'timed_out'] as const;
export type SessionStatus = (typeof sessionStatuses)[number];

const WAITING = new Set(['awaiting_review', 'awaiting_sop', 'security_review', 'reopened']);
const DONE = new Set(['resolved', 'closed', 'sent', 'verifying']);

export function sessionStatusFromTicketStatus(status: string | undefined): SessionStatus {
  if (!status) return 'active';
  if (WAITING.has(status)) return 'waiting_for_human';
  if (DONE.has(status)) return 'completed';
  if (status === 'failed') return 'failed';
  return 'active';
}

/** The status after `event`, or undefined when the event does not change it. */
export function sessionStatusAfter(event: TicketEvent): SessionStatus | undefined {
  switch (event.type) {
    case 'status':
      return sessionStatusFromTicketStatus(typeof event.data.status === 'string' ? event.data.status : undefined);
    case 'review_requested':
    case 'reopened':
      return 'waiting_for_human';
    case 'resolved':
      return 'completed';
    case 'error':
      return event.data.fatal === true ? 'failed' : undefined;
    default:
      return undefined;
  }
}
