/**
 * Request bodies and query strings of the HTTP API, validated by zod at the boundary. The messages are
 * written for the person calling the API: a 400 says which field is wrong and why.
 */
import { z } from 'zod';
import { queues, ticketStatuses } from '../../core/domain';
import { ticketIdSchema } from '../../core/events';

/** Largest body any route accepts; bigger requests get 413 before they are parsed. */
export const MAX_BODY_BYTES = 64 * 1024;

const text = (label: string, max: number) =>
  z
    .string({ error: (i) => (i.input === undefined ? `${label} is required` : `${label} must be a string`) })
    .trim()
    .min(1, `${label} must not be empty`)
    .max(max, `${label} must be at most ${max} characters`);

export const createTicketBody = z.strictObject({ text: text('text', 10_000) });

const draftVersion = z
  .number({ error: (i) => (i.input === undefined ? 'draftVersion is required' : 'draftVersion must be a number') })
  .int('draftVersion must be a whole number')
  .positive('draftVersion must be positive');

export const reviewBody = z.discriminatedUnion(
  'action',
  [
    z.strictObject({ action: z.literal('approve'), draftVersion }),
    z.strictObject({ action: z.literal('edit'), draftVersion, text: text('text', 20_000) }),
    z.strictObject({ action: z.literal('reject'), draftVersion, reason: text('reason', 2_000) }),
  ],
  { error: 'action must be one of approve, edit, reject' },
);
export type ReviewBody = z.infer<typeof reviewBody>;

export const sopBody = z.strictObject({
  title: text('title', 200),
  body: text('body', 50_000),
});

export const feedbackBody = z
  .strictObject({
    resolved: z.boolean({ error: 'resolved must be true or false' }).optional(),
    rating: z.number({ error: 'rating must be a number' }).int('rating must be a whole number').min(1, 'rating must be 1 to 5').max(5, 'rating must be 1 to 5').optional(),
    comment: z.string({ error: 'comment must be a string' }).max(5_000, 'comment must be at most 5000 characters').default(''),
  })
  .refine((f) => f.resolved !== undefined || f.rating !== undefined || f.comment.trim() !== '', {
    message: 'feedback needs at least one of resolved, rating or comment',
  });

export const releaseBody = z.strictObject({ note: z.string({ error: 'note must be a string' }).trim().max(2_000, 'note must be at most 2000 characters').optional() });

export const messageBody = z.strictObject({ text: text('text', 10_000) });

export const listQuery = z.strictObject({
  status: z.enum(ticketStatuses, { error: `status must be one of ${ticketStatuses.join(', ')}` }).optional(),
  queue: z.enum(queues, { error: `queue must be one of ${queues.join(', ')}` }).optional(),
  pageSize: z.coerce.number({ error: 'pageSize must be a number' }).int().min(1, 'pageSize must be 1 to 100').max(100, 'pageSize must be 1 to 100').default(25),
  pageToken: z.string().max(4096).optional(),
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
