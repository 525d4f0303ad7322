/**
 * The shapes the UI reads. The agent view is the workflow's state as is; the customer view is the API's
 * allow-list (gateway/api/views.ts). Types only: nothing here ends up in the bundle.
 */
import type { TicketListItem } from '../../../client';
import type { CustomerTicketView } from '../../../gateway/api/views';
import type { Ticket } from '../../../workflows/state';

export type AgentTicketState = Ticket;

export type CustomerTicketState = CustomerTicketView;

/** One row of GET /v1/tickets (from Temporal visibility). */
export type TicketSummary = TicketListItem;

export interface SessionInfo {
  sub: string;
  role: 'agent' | 'customer';
  orgId: string | null;
  dev: boolean;
  temporal: { uiUrl: string; namespace: string } | null;
}
