/**
 * The ticket's limits, written once: core/ticket-actions.ts builds the bodies and workflow inputs from them.
 * Plain numbers in a module of their own, without zod, so the browser pages import them at no cost (the
 * pages' bundles stay small; zod would multiply them).
 */
export const limits = {
  /** A new ticket's text, and a customer's follow-up. */
  ticketText: 10_000,
  messageText: 10_000,
  /** A reply a person writes (edit). */
  replyText: 20_000,
  /** Reject, escalate and close reasons; release notes. */
  reason: 2_000,
  sopTitle: 200,
  sopBody: 50_000,
  feedbackComment: 5_000,
  /** Names of people (reviewer, author, by). */
  name: 200,
  /**
   * Each follow-up is kept twice (the conversation and the event log): 50 of at most 10,000 characters stay
   * about 1 MB, under Temporal's 2 MB payload limit for the state query and the continue-as-new input.
   */
  customerMessages: 50,
  /**
   * A stream record's bounds. A draft's token previews are numbered by `part`; a model's reply stays far
   * below this many tokens, and the pages keep previews indexed by it. A record whose seq lies more than
   * `seqJump` past what a gateway has seen of its ticket is checked against the workflow before it counts.
   */
  tokenPart: 100_000,
  seqJump: 100,
  /** Ticket list pages. */
  pageSize: 100,
  defaultPageSize: 25,
} as const;
