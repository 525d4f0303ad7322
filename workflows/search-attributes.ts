/**
 * The ticket search attributes (Keyword, registered by the infra scripts). Shared by the workflow, which
 * upserts them at every state change, and by the client, which lists tickets with them.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ticketStatusKey = defineSearchAttributeKey('TicketStatus', SearchAttributeType.KEYWORD);
export const ticketTopicKey = defineSearchAttributeKey('TicketTopic', SearchAttributeType.KEYWORD);
export const ticketUrgencyKey = defineSearchAttributeKey('TicketUrgency', SearchAttributeType.KEYWORD);
export const ticketQueueKey = defineSearchAttributeKey('TicketQueue', SearchAttributeType.KEYWORD);

/** Whose ticket it is (the customer's user id): set once when the ticket starts, never upserted by the workflow. */
export const ticketCustomerKey = defineSearchAttributeKey('TicketCustomer', SearchAttributeType.KEYWORD);

export const ticketSearchAttributeKeys = [
  ticketStatusKey,
  ticketTopicKey,
  ticketUrgencyKey,
  ticketQueueKey,
  ticketCustomerKey,
];
