/**
 * The shapes the UI reads. The agent view is the workflow's state as is; the customer view is the API's
 * allow-list (gateway/api/views.ts). Types only: nothing here ends up in the bundle.
 */
import type { TicketState } from '../../../workflows/state';

export type AgentTicketState = TicketState;

export interface CustomerTicketState {
  ticketId: string;
  status: string;
  timestamps?: { createdAt?: string; updatedAt?: string; resolvedAt?: string };
  text: string | null;
  reply: { text: string; at?: string } | null;
  messages: { from: 'customer' | 'agent'; text: string; at?: string }[];
  awaiting: 'feedback' | null;
  feedback: { resolved?: boolean; rating?: number; comment?: string } | null;
  lastSeq?: number;
}

/** One row of GET /v1/tickets (from Temporal visibility). */
export interface TicketSummary {
  ticketId: string;
  status?: string | null;
  queue?: string | null;
  topic?: string | null;
  urgency?: string | null;
  startTime?: string | null;
  createdAt?: string | null;
  updatedAt?: string | null;
}

export interface SessionInfo {
  sub: string;
  role: 'agent' | 'customer';
  orgId: string | null;
  dev: boolean;
  temporal: { uiUrl: string; namespace: string } | null;
}
