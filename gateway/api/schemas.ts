/**
 * Request bodies and query strings of the HTTP API, validated by zod at the boundary. The bodies are the
 * contract's own (core/ticket-actions.ts through client/contract.ts), never written a second time here; only
 * the list's query string is the API's. The messages are for the person calling the API: a 400 says which
 * field is wrong and why.
 */
import { z } from 'zod';
import { limits, requestLimits } from '../../client/contract';
import { queues, ticketStatuses, topics, urgencies } from '../../core/domain';
import { searchTermSchema, textSearchSchema, ticketSorts } from '../../client/ticket-query';
import { ticketIdSchema } from '../../core/events';

export {
  createTicketBody,
  feedbackBody,
  messageBody,
  proposalDecisionBody,
  releaseBody,
  reviewBody,
  sopBody,
} from '../../client/contract';

/** Largest body any route accepts; bigger requests get 413 before they are parsed. */
export const MAX_BODY_BYTES = 64 * 1024;

export const listQuery = z.strictObject({
  status: z.enum(ticketStatuses, { error: `status must be one of ${ticketStatuses.join(', ')}` }).optional(),
  queue: z.enum(queues, { error: `queue must be one of ${queues.join(', ')}` }).optional(),
  pageSize: z.coerce
    .number({ error: 'pageSize must be a number' })
    .int()
    .min(1, `pageSize must be 1 to ${limits.pageSize}`)
    .max(limits.pageSize, `pageSize must be 1 to ${limits.pageSize}`)
    .default(limits.defaultPageSize),
  pageToken: z.string().max(requestLimits.pageToken).optional(),
  topic: z.enum(topics, { error: `topic must be one of ${topics.join(', ')}` }).optional(),
  urgency: z.enum([...urgencies, 'none'], { error: `urgency must be one of ${urgencies.join(', ')}, none` }).optional(),
  /** A ticket id (or its start) or a customer's user id. */
  search: searchTermSchema.optional(),
  /** Words of the ticket's (redacted) text, every one required; anything but letters and digits is dropped. */
  text: textSearchSchema.optional(),
  sort: z.enum(ticketSorts, { error: `sort must be one of ${ticketSorts.join(', ')}` }).optional(),
  /** open=1: only tickets still running; total=1: also count every match. */
  open: z
    .enum(['0', '1'])
    .transform((v) => v === '1')
    .optional(),
  total: z
    .enum(['0', '1'])
    .transform((v) => v === '1')
    .optional(),
});

export const ticketIdParam = ticketIdSchema;

/** One line naming each problem: "text: text is required; rating: rating must be 1 to 5". */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const where = i.path.length > 0 ? i.path.join('.') : '';
      if (i.code === 'unrecognized_keys') return `unknown field${i.keys.length > 1 ? 's' : ''}: ${i.keys.join(', ')}`;
      return where && !i.message.startsWith(where) ? `${where}: ${i.message}` : i.message;
    })
    .join('; ');
}
