/**
 * The ticket search attributes (Keyword, one Datetime and one Text; registered by the infra scripts). Shared by
 * the workflow, which upserts them at every state change, and by the client, which lists tickets with them.
 */
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import { searchableText } from './ticket-text';

export const ticketStatusKey = defineSearchAttributeKey('TicketStatus', SearchAttributeType.KEYWORD);
export const ticketTopicKey = defineSearchAttributeKey('TicketTopic', SearchAttributeType.KEYWORD);
export const ticketUrgencyKey = defineSearchAttributeKey('TicketUrgency', SearchAttributeType.KEYWORD);
export const ticketQueueKey = defineSearchAttributeKey('TicketQueue', SearchAttributeType.KEYWORD);

/** Whose ticket it is (the customer's user id): set once when the ticket starts, never upserted by the workflow. */
export const ticketCustomerKey = defineSearchAttributeKey('TicketCustomer', SearchAttributeType.KEYWORD);

/**
 * When the pending review is due (absent when none is pending): the queue's "review due soonest" order and
 * its filter read it. Upserted only by runs with the `reviewDueAttribute` patch.
 */
export const ticketReviewDueKey = defineSearchAttributeKey('TicketReviewDue', SearchAttributeType.DATETIME);

/**
 * The ticket's words for free-text search (workflows/ticket-text.ts), from the redacted text only, set once
 * triage has redacted it. Upserted only by runs with the `ticketTextAttribute` patch.
 */
export const ticketTextKey = defineSearchAttributeKey('TicketText', SearchAttributeType.TEXT);

/**
 * What the client starts a ticket with: the attributes its first workflow task sets (triage begins at once,
 * with no queue, topic or urgency yet), so in runs with `shape6` that task upserts nothing. A ticket is listed
 * as triaging from its start, rather than as received for the few milliseconds before its first task. And whose
 * it is: agents search a customer's tickets by it; the workflow never changes it.
 */
export function ticketStartAttributes(customer: string): SearchAttributePair[] {
  return [
    { key: ticketStatusKey, value: 'triaging' },
    { key: ticketQueueKey, value: 'none' },
    { key: ticketTopicKey, value: 'none' },
    { key: ticketUrgencyKey, value: 'none' },
    { key: ticketCustomerKey, value: customer },
  ];
}

/** Only ever given the redacted text: the attribute is readable by anyone who can list tickets. */
export function ticketTextUpdate(redactedText: string) {
  return { key: ticketTextKey, value: searchableText(redactedText) };
}

/** Null removes the attribute, so a ticket leaves the deadline order once its review is decided. */
export function reviewDueUpdate(due: string | null) {
  return { key: ticketReviewDueKey, value: due === null ? null : new Date(due) };
}

export const ticketSearchAttributeKeys = [
  ticketStatusKey,
  ticketTopicKey,
  ticketUrgencyKey,
  ticketQueueKey,
  ticketCustomerKey,
  ticketReviewDueKey,
  ticketTextKey,
];
