/**
 * The ticket's contract as the client and the HTTP API use it: everything comes from the workflow's single
 * contract (workflows/messages.ts, whose bodies and limits live in core/ticket-actions.ts); only what is the
 * client's own is defined here: the create input and the limits of a request's envelope.
 */
import { z } from 'zod';
import { ticketIdSchema } from '../core/events';
import { createTicketBody, limits } from '../core/ticket-actions';

export {
  closeBody,
  createTicketBody,
  escalateBody,
  feedbackBody,
  limits,
  messageBody,
  proposalDecisionBody,
  releaseBody,
  reviewBody,
  sopBody,
} from '../core/ticket-actions';
export {
  openTicketUpdate,
  TICKET_BUSY,
  ticketActions,
  ticketStateQuery,
  type MessageAck,
  type ProposalDecision,
  type ProposalDecisionBody,
  type ReviewDecision,
  type TicketAction,
} from '../workflows/messages';

/** Limits of a request beyond its body: the Idempotency-Key header and a list's page token. */
export const requestLimits = {
  idempotencyKey: 200,
  pageToken: 4_096,
} as const;

export const channels = ['web', 'email', 'chat', 'slack', 'api', 'cli'] as const;

export const createTicketSchema = z.object({
  text: createTicketBody.shape.text,
  userId: z.string().trim().min(1, 'userId is required').max(limits.name),
  orgId: z.string().trim().min(1, 'orgId is required').max(limits.name),
  channel: z.enum(channels).default('web'),
  /** Optional caller-chosen id: creating twice with it answers the same ticket. Generated when absent. */
  ticketId: ticketIdSchema.optional(),
});
export type CreateTicketInput = z.input<typeof createTicketSchema>;
