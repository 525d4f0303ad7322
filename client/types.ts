/** The shapes the ticket client answers with, defined once for the gateway, the CLI and the UI. */
import type { Queue, TicketStatus } from '../core/domain';
import type { TicketFilter } from './ticket-query';
import type { TicketEvent } from '../core/events';
import type { Ticket } from '../workflows/state';

export type { Ticket, TicketEvent };
export type { Awaiting, PendingReview, ReviewRecord, TicketMessage, TicketOutcome } from '../workflows/state';

/** What a stream subscriber needs first: the ticket's durable events so far and whose ticket it is. */
export interface TicketSnapshot {
  status: string;
  /** The durable events so far, in seq order (never `token` previews). */
  events: TicketEvent[];
  /** The highest durable seq the workflow has assigned (0 when none). */
  lastSeq: number;
  /** Whose ticket it is, for the access check; absent where a source does not know (test harnesses). */
  owner?: TicketOwner;
}

/** The stream's view of a ticket's state (the state query's answer, or the POST's first read). */
export function snapshotOf(s: Ticket): TicketSnapshot {
  return { status: s.status, events: s.events, lastSeq: s.lastSeq, owner: { userId: s.userId, orgId: s.orgId } };
}

export interface TicketOwner {
  userId: string;
  orgId: string;
}

/** One row of a ticket list, from Temporal visibility (no worker needed to answer it). */
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
  /** When the pending review is due (ISO); null when no review is pending or the run predates the attribute. */
  reviewDueAt: string | null;
}

export type ListTicketsInput = Partial<Omit<TicketFilter, 'sort'>> & {
  sort?: TicketFilter['sort'];
  pageSize?: number;
  nextPageToken?: string;
  withTotal?: boolean;
};

export interface TicketListPage {
  tickets: TicketListItem[];
  nextPageToken: string | null;
  /** Every ticket the filter matches, when asked for. */
  total?: number;
}

export interface CreatedTicket {
  ticketId: string;
  status: TicketStatus;
  queue: Queue;
  lastSeq: number;
}
