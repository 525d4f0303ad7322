/**
 * Request bodies and query strings of the HTTP API, validated by zod at the boundary. The bodies are the
 * contract's own schemas (client/contract.ts) narrowed to what a caller may send (the reviewer, the author
 * come from the token) and closed to unknown fields; none is written a second time here. The messages are
 * for the person calling the API: a 400 says which field is wrong and why.
 */
import { z } from 'zod';
import { createTicketSchema, customerMessageSchema, feedbackSchema, limits, releaseInputSchema, reviewDecisionSchema, sopInputSchema } from '../../client/contract';
import { queues, ticketStatuses } from '../../core/domain';
import { ticketIdSchema } from '../../core/events';

/** Largest body any route accepts; bigger requests get 413 before they are parsed. */
export const MAX_BODY_BYTES = 64 * 1024;

export const createTicketBody = z.strictObject(createTicketSchema.pick({ text: true }).shape);

const [approve, edit, reject] = reviewDecisionSchema.options;
export const reviewBody = z.discriminatedUnion('action', [
  z.strictObject(approve.omit({ reviewer: true }).shape),
  z.strictObject(edit.omit({ reviewer: true }).shape),
  z.strictObject(reject.omit({ reviewer: true }).shape),
]);
export type ReviewBody = z.infer<typeof reviewBody>;

export const sopBody = z.strictObject(sopInputSchema.omit({ author: true }).shape);

export const feedbackBody = z.strictObject(feedbackSchema.shape).refine((f) => f.resolved !== undefined || f.rating !== undefined || f.comment.trim() !== '', {
  message: 'feedback needs at least one of resolved, rating or comment',
});

export const releaseBody = z.strictObject(releaseInputSchema.omit({ reviewer: true }).shape);

export const messageBody = z.strictObject(customerMessageSchema.pick({ text: true }).shape);

export const listQuery = z.strictObject({
  status: z.enum(ticketStatuses).optional(),
  queue: z.enum(queues).optional(),
  pageSize: z.coerce.number().int().min(1).max(limits.pageSize.max).default(limits.pageSize.default),
  pageToken: z.string().max(limits.pageToken).optional(),
});

export const ticketIdParam = ticketIdSchema;

/** Parses with the API's messages (a schema's own message, where it has one, wins). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.ZodSafeParseResult<z.output<S>> {
  return schema.safeParse(input, { error: issueMessage }) as z.ZodSafeParseResult<z.output<S>>;
}

const KIND: Record<string, string> = { number: 'a number', int: 'a whole number', string: 'a string', boolean: 'true or false', object: 'a JSON object' };

function issueMessage(iss: z.core.$ZodRawIssue): string | undefined {
  const field = iss.path && iss.path.length > 0 ? iss.path.join('.') : 'the body';
  switch (iss.code) {
    case 'invalid_union':
      return 'discriminator' in iss && 'options' in iss ? `${String(iss.discriminator)} must be one of ${(iss.options as unknown[]).join(', ')}` : undefined;
    case 'invalid_type':
      return iss.input === undefined ? `${field} is required` : `${field} must be ${KIND[iss.expected] ?? iss.expected}`;
    case 'invalid_value':
      return `${field} must be one of ${iss.values.join(', ')}`;
    case 'too_small':
      if (iss.origin === 'string') return `${field} must not be empty`;
      return iss.inclusive === false && iss.minimum === 0 ? `${field} must be positive` : `${field} must be at least ${String(iss.minimum)}`;
    case 'too_big':
      return iss.origin === 'string' ? `${field} must be at most ${String(iss.maximum)} characters` : `${field} must be at most ${String(iss.maximum)}`;
    default:
      return undefined;
  }
}

/** One line naming each problem: "text: text is required; rating: rating must be at most 5". */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const where = i.path.length > 0 ? i.path.join('.') : '';
      if (i.code === 'unrecognized_keys') return `unknown field${i.keys.length > 1 ? 's' : ''}: ${i.keys.join(', ')}`;
      return where && !i.message.startsWith(where) ? `${where}: ${i.message}` : i.message;
    })
    .join('; ');
}
