/**
 * What each role may see of a ticket. Agents get the whole state; customers get an allow-list: their own
 * text, progress, the reply that was actually sent, the conversation, and whether feedback is asked for.
 * Security briefs, findings, tool output, unapproved drafts and reviewers' reasons stay with the agents.
 */
import type { Principal, TicketStateView } from './context';
import { ApiError } from './errors';

/** Event types a customer's page may show; `token` and `draft` (unreviewed text) and `tool` are internal. */
const CUSTOMER_EVENT_TYPES = new Set(['status', 'message', 'resolved', 'reopened']);

export function assertCanSee(principal: Principal, state: TicketStateView): void {
  if (principal.role === 'agent') return;
  if (state.userId !== principal.sub) throw new ApiError(403, 'this ticket belongs to another customer');
  if (principal.incidentId && principal.incidentId !== state.ticketId) throw new ApiError(403, 'this token is for another ticket');
}

export function viewFor(principal: Principal, state: TicketStateView): Record<string, unknown> {
  return principal.role === 'agent' ? state : customerView(state);
}

interface MessageLike {
  from?: string;
  text?: string;
  at?: string;
}

export function customerView(state: TicketStateView): Record<string, unknown> {
  const events = Array.isArray(state.events) ? state.events : [];
  const messages = Array.isArray(state.messages) ? (state.messages as MessageLike[]) : [];
  const reply = state.reply as { text?: string; at?: string } | null | undefined;
  return {
    ticketId: state.ticketId,
    status: state.status,
    timestamps: state.timestamps,
    text: state.redactedText,
    reply: reply ? { text: reply.text, at: reply.at } : null,
    messages: messages.filter((m) => m.from === 'customer' || m.from === 'agent').map((m) => ({ from: m.from, text: m.text, at: m.at })),
    awaiting: state.awaiting === 'feedback' ? 'feedback' : null,
    feedback: state.feedback ?? null,
    lastSeq: state.lastSeq,
    events: events.filter((e) => CUSTOMER_EVENT_TYPES.has(String((e as { type?: unknown }).type))).map(customerEvent),
  };
}

/** A status event keeps only the status; a message only its customer-facing text. */
function customerEvent(event: unknown): unknown {
  const e = event as { type?: string; data?: Record<string, unknown> };
  const data = e.data ?? {};
  if (e.type === 'status') return { ...e, data: { status: data.status } };
  if (e.type === 'message') return { ...e, data: { text: data.text, from: data.from } };
  return { ...e, data: {} };
}
