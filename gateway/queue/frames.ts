/**
 * Queue frames (core/desk.ts QueueFrame) from what the gateway already learns: a ticket's `status` event
 * off Kafka, and the desk store's changes.
 */
import type { DeskAssignment, QueueFrame } from '../../core/desk';
import type { TicketEvent } from '../../core/events';
import type { Assignment } from '../desk/store';

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Only `status` events move a ticket in the queues (the workflow emits one for each such change, and at start). */
export function ticketFrame(event: TicketEvent): QueueFrame | null {
  if (event.type !== 'status') return null;
  const d = event.data;
  const status = text(d.status);
  const queue = text(d.queue);
  if (!status || !queue) return null;
  return {
    kind: 'ticket',
    ticketId: event.ticketId,
    status,
    queue,
    urgency: text(d.urgency),
    topic: text(d.topic),
    awaiting: text(d.awaiting),
  };
}

/** An assignment as the API shows it (no ticket id: the caller keys it). */
export function shownAssignment(a: Assignment | null | undefined): DeskAssignment | null {
  return a ? { agent: a.agent, since: a.since, by: a.by, takeoverReason: a.takeoverReason } : null;
}
