/**
 * The ticket's contract as the client and the HTTP API use it: the bodies of the actions, the workflow's
 * messages, the create input. Everything here comes from the workflow's own definitions (workflows/messages.ts
 * and core/domain.ts) or is the one definition of its kind (the create input); the HTTP bodies are derived
 * from these, never written again. The limits live in core/limits.ts, which the UI reads as well.
 */
import { z } from 'zod';
import { ticketIdSchema } from '../core/events';
import { limits } from '../core/limits';

export { feedbackSchema, reviewDecisionSchema, type Feedback, type ReviewDecision } from '../core/domain';
export {
  closeInputSchema,
  closeUpdate,
  customerMessageSchema,
  customerMessageUpdate,
  escalateInputSchema,
  escalateUpdate,
  feedbackUpdate,
  openTicketUpdate,
  provideSopUpdate,
  releaseInputSchema,
  releaseUpdate,
  reviewUpdate,
  sopInputSchema,
  ticketStateQuery,
  type CloseInput,
  type CustomerMessage,
  type EscalateInput,
  type MessageAck,
  type ReleaseInput,
  type SopInput,
} from '../workflows/messages';
export { limits };

export const channels = ['web', 'email', 'chat', 'slack', 'api', 'cli'] as const;

export const createTicketSchema = z.object({
  text: z.string().trim().min(1, 'the ticket needs text').max(limits.ticketText, `the ticket text is longer than ${limits.ticketText} characters`),
  userId: z.string().trim().min(1, 'userId is required').max(limits.name),
  orgId: z.string().trim().min(1, 'orgId is required').max(limits.name),
  channel: z.enum(channels).default('web'),
  /** Optional caller-chosen id: creating twice with it answers the same ticket. Generated when absent. */
  ticketId: ticketIdSchema.optional(),
});
export type CreateTicketInput = z.input<typeof createTicketSchema>;
