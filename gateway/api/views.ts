/**
 * What each role may see of a ticket. Agents get the whole state; customers get an allow-list: their own
 * (redacted) text, progress, the reply that was actually sent, the conversation, and whether feedback is
 * asked for. Security briefs, findings, tool output, unapproved drafts and reviewers' reasons stay with agents.
 */
import type { TicketEvent } from '../../core/events';
import { authorizeTicket } from '../auth/authorize';
import type { Principal, Ticket } from './context';

/** Event types a customer may see; `token` and `draft` (unreviewed text), `tool` and `error` are internal. */
const CUSTOMER_EVENT_TYPES = new Set(['status', 'message', 'resolved', 'reopened']);

/** The gateway's one access check (gateway/auth/authorize.ts) against the ticket's owner; 403 when it fails. */
export function assertCanSee(principal: Principal, state: Pick<Ticket, 'ticketId' | 'userId' | 'orgId'>): void {
  authorizeTicket(principal, state.ticketId, { userId: state.userId, orgId: state.orgId });
}

export function viewFor(principal: Principal, state: Ticket): Ticket | CustomerTicketView {
  return principal.role === 'agent' ? state : customerView(state);
}

export interface CustomerTicketView {
  ticketId: string;
  status: string;
  timestamps: Ticket['timestamps'];
  text: string | null;
  reply: { text: string; at: string } | null;
  messages: { from: 'customer' | 'agent'; text: string; at: string }[];
  awaiting: 'feedback' | null;
  feedback: Ticket['feedback'];
  lastSeq: number;
  events: TicketEvent[];
}

export function customerView(state: Ticket): CustomerTicketView {
  return {
    ticketId: state.ticketId,
    status: state.status,
    timestamps: state.timestamps,
    text: state.redactedText,
    reply: state.reply ? { text: state.reply.text, at: state.reply.at } : null,
    messages: state.messages.flatMap((m) =>
      m.from === 'customer' || m.from === 'agent' ? [{ from: m.from, text: m.text, at: m.at }] : [],
    ),
    awaiting: state.awaiting === 'feedback' ? 'feedback' : null,
    feedback: state.feedback,
    lastSeq: state.lastSeq,
    events: state.events.flatMap((e) => forCustomer(e) ?? []),
  };
}

/**
 * One event as a customer may see it, or null when it is internal. For the stream too: a customer's socket
 * should get `forCustomer(event)` rather than the raw event (drafts, tool output and token previews are the
 * agents' business).
 */
export function forCustomer(e: TicketEvent): TicketEvent | null {
  if (!CUSTOMER_EVENT_TYPES.has(e.type)) return null;
  // System messages are the workflow's notes to agents ("draft 2 rejected", "SOP needed").
  if (e.type === 'message' && e.data.from !== 'customer' && e.data.from !== 'agent') return null;
  return customerEvent(e);
}

/** A status event keeps only the status; a message only its customer-facing text. */
function customerEvent(e: TicketEvent): TicketEvent {
  const d = e.data;
  if (e.type === 'status') return { ...e, data: { status: d.status } };
  if (e.type === 'message') return { ...e, data: { text: d.text, from: d.from } };
  return { ...e, data: {} };
}
