/**
 * The ticket's size limits, in one place. The workflow's validators, the HTTP bodies, the Temporal client and
 * the UI's form fields all read these numbers, so a text the page accepts is never refused further in. Plain
 * numbers only (no zod, no SDK): workflow code and the browser bundle import this module too.
 */
export const limits = {
  /** A new ticket's text. */
  ticketText: 10_000,
  /** A customer's follow-up message. */
  messageText: 10_000,
  /** A reviewer's own reply text (replaces a draft, which may quote the ticket). */
  replyText: 20_000,
  /** A reject reason, an escalation reason, a release note, a close reason. */
  reason: 2_000,
  /** Feedback comment. */
  comment: 5_000,
  sopTitle: 200,
  sopBody: 50_000,
  /** A person's or an organisation's id, an author. */
  name: 200,
  /** An Idempotency-Key header. */
  idempotencyKey: 200,
  /** Tickets per page of a list (visibility query). */
  pageSize: { default: 25, max: 100 },
  /** An opaque page token as a caller sends it back. */
  pageToken: 4_096,
} as const;
