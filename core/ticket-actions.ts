/**
 * What a person may send a ticket, written once: the limits, the HTTP bodies (strict: an unknown field is a
 * 400) and the workflow inputs (a body plus who sent it). The API, the client, the UI and the workflow's update
 * validators all derive from these, so a limit cannot differ between them. Zod only: safe in the workflow
 * sandbox and in the browser.
 */
import { z } from 'zod';
import { limits } from './limits';

export { limits };

/** 10000 -> "10,000" (no Intl: the same in the workflow sandbox, Node and every browser). */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A required, trimmed, bounded string whose errors name the field for the person who sent it. */
export function boundedText(label: string, max: number) {
  return z
    .string({ error: (i) => (i.input === undefined ? `${label} is required` : `${label} must be a string`) })
    .trim()
    .min(1, `${label} must not be empty`)
    .max(max, `${label} must be at most ${grouped(max)} characters`);
}

function optionalText(label: string, max: number) {
  return z
    .string({ error: `${label} must be a string` })
    .trim()
    .max(max, `${label} must be at most ${grouped(max)} characters`)
    .optional();
}

const name = (label: string) => boundedText(label, limits.name);

// ---------------------------------------------------------------- create

export const createTicketBody = z.strictObject({ text: boundedText('text', limits.ticketText) });

// ---------------------------------------------------------------- review

const draftVersion = z
  .number({ error: (i) => (i.input === undefined ? 'draftVersion is required' : 'draftVersion must be a number') })
  .int('draftVersion must be a whole number')
  .positive('draftVersion must be positive');

const reviewShapes = {
  approve: { action: z.literal('approve'), draftVersion },
  /**
   * `overrideReason`: a person sends a reply the guardrail refused only by saying why; the reason is recorded
   * with their name.
   */
  edit: {
    action: z.literal('edit'),
    draftVersion,
    text: boundedText('text', limits.replyText),
    overrideReason: optionalText('overrideReason', limits.reason),
  },
  reject: { action: z.literal('reject'), draftVersion, reason: boundedText('reason', limits.reason) },
};
const actionError = { error: 'action must be one of approve, edit, reject' };

export const reviewBody = z.discriminatedUnion(
  'action',
  [z.strictObject(reviewShapes.approve), z.strictObject(reviewShapes.edit), z.strictObject(reviewShapes.reject)],
  actionError,
);
export type ReviewBody = z.infer<typeof reviewBody>;

export const reviewDecisionSchema = z.discriminatedUnion(
  'action',
  [
    z.object({ ...reviewShapes.approve, reviewer: name('reviewer') }),
    z.object({ ...reviewShapes.edit, reviewer: name('reviewer') }),
    z.object({ ...reviewShapes.reject, reviewer: name('reviewer') }),
  ],
  actionError,
);
export type ReviewDecision = z.infer<typeof reviewDecisionSchema>;

// ---------------------------------------------------------------- release (security hold)

const releaseShape = { note: optionalText('note', limits.reason) };
export const releaseBody = z.strictObject(releaseShape);
export const releaseInputSchema = z.object({ ...releaseShape, reviewer: name('reviewer') });
export type ReleaseInput = z.infer<typeof releaseInputSchema>;

// ---------------------------------------------------------------- SOP

const sopShape = { title: boundedText('title', limits.sopTitle), body: boundedText('body', limits.sopBody) };
export const sopBody = z.strictObject(sopShape);
export const sopInputSchema = z.object({ ...sopShape, author: name('author') });
export type SopInput = z.infer<typeof sopInputSchema>;

// ---------------------------------------------------------------- feedback

const feedbackShape = {
  resolved: z.boolean({ error: 'resolved must be true or false' }).optional(),
  rating: z
    .number({ error: 'rating must be a number' })
    .int('rating must be a whole number')
    .min(1, 'rating must be 1 to 5')
    .max(5, 'rating must be 1 to 5')
    .optional(),
  comment: z
    .string({ error: 'comment must be a string' })
    .max(limits.feedbackComment, `comment must be at most ${grouped(limits.feedbackComment)} characters`)
    .default(''),
};
/** What the workflow takes (the client fills the comment's default). */
export const feedbackSchema = z.object(feedbackShape);
export type Feedback = z.infer<typeof feedbackSchema>;
export const feedbackBody = z
  .strictObject(feedbackShape)
  .refine((f) => f.resolved !== undefined || f.rating !== undefined || f.comment.trim() !== '', {
    message: 'feedback needs at least one of resolved, rating or comment',
  });

// ---------------------------------------------------------------- customer follow-up

const messageShape = { text: boundedText('text', limits.messageText) };
export const messageBody = z.strictObject(messageShape);
export const customerMessageSchema = z.object({ ...messageShape, author: optionalText('author', limits.name) });
export type CustomerMessage = z.infer<typeof customerMessageSchema>;

// ---------------------------------------------------------------- escalate, close

const escalateShape = { reason: boundedText('reason', limits.reason) };
export const escalateBody = z.strictObject(escalateShape);
export const escalateInputSchema = z.object({ ...escalateShape, by: name('by') });
export type EscalateInput = z.infer<typeof escalateInputSchema>;

const closeShape = { reason: optionalText('reason', limits.reason) };
export const closeBody = z.strictObject(closeShape);
export const closeInputSchema = z.object({ reason: closeShape.reason.default('closed by request'), by: name('by') });
export type CloseInput = z.input<typeof closeInputSchema>;

// ---------------------------------------------------------------- proposals (side effects a person confirms)

/**
 * A person confirms or declines one proposed action (a refund over the cap, a charge that is not a verified
 * duplicate...). A confirmed one runs when the reply is approved, before it is sent; a declined one never runs.
 */
const proposalShape = {
  proposalId: boundedText('proposalId', limits.name),
  decision: z.enum(['confirm', 'decline'], { error: 'decision must be confirm or decline' }),
  note: optionalText('note', limits.reason),
};
export const proposalDecisionBody = z.strictObject(proposalShape);
export type ProposalDecisionBody = z.infer<typeof proposalDecisionBody>;
export const proposalDecisionSchema = z.object({ ...proposalShape, by: name('by') });
export type ProposalDecision = z.infer<typeof proposalDecisionSchema>;

// ---------------------------------------------------------------- holder (the desk's assignment, told to the ticket)

/**
 * Who holds the ticket on the desk (null: nobody), as of `at` (the desk's time of the change). The desk store
 * decides assignments (a takeover needs a reason); the ticket keeps the latest it was told, so its review
 * validator refuses anyone else whichever client sends the review. An older `at` than the one kept is ignored,
 * so two gateways telling the ticket in the wrong order leave the newer holder.
 */
export const holderInputSchema = z.object({
  agent: name('agent').nullable(),
  at: z.iso.datetime({ error: 'at must be an ISO date-time' }),
  by: name('by'),
});
export type HolderInput = z.infer<typeof holderInputSchema>;
