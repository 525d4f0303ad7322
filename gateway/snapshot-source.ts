/**
 * What the stream needs from the workflow side: a ticket's state so far. In production this is the ticket
 * client's `getSnapshot` (a Temporal query); tests may inject their own.
 */
import type { TicketEvent } from '../core/events';

export interface TicketSnapshot {
  status: string;
  /** The durable events so far, in seq order (never `token` previews). */
  events: TicketEvent[];
  /** The highest durable seq the workflow has assigned (0 when none). */
  lastSeq: number;
}

export interface SnapshotSource {
  /** null when the ticket does not exist. */
  getSnapshot(ticketId: string): Promise<TicketSnapshot | null>;
}
