/**
 * Everything a caller can say to or ask of a ticket workflow. Most decisions exist twice: as a signal (fire and
 * forget, what the design card names) and as an update with a synchronous validator (the console waits for the
 * answer, so a stale or impossible decision is refused at once instead of silently ignored).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import type { Feedback, Queue, ReviewDecision, TicketStatus } from '../core/domain';
import type { Awaiting, TicketState } from './state';

export const sopInputSchema = z.object({
  title: z.string().trim().min(1, 'an SOP needs a title').max(200),
  body: z.string().trim().min(1, 'an SOP needs a body').max(50_000),
  author: z.string().trim().min(1, 'an SOP needs an author').max(200),
});
export type SopInput = z.infer<typeof sopInputSchema>;

export const customerMessageSchema = z.object({
  text: z.string().trim().min(1, 'a message needs text').max(10_000, 'a message is at most 10,000 characters'),
  author: z.string().max(200).optional(),
});
export type CustomerMessage = z.infer<typeof customerMessageSchema>;

export const escalateInputSchema = z.object({
  reason: z.string().trim().min(1, 'say why the ticket is escalated').max(2_000),
  by: z.string().trim().min(1).max(200),
});
export type EscalateInput = z.infer<typeof escalateInputSchema>;

export const closeInputSchema = z.object({
  reason: z.string().trim().max(2_000).default('closed by request'),
  by: z.string().trim().min(1).max(200),
});
export type CloseInput = z.input<typeof closeInputSchema>;

export const releaseInputSchema = z.object({
  reviewer: z.string().trim().min(1).max(200),
  note: z.string().max(2_000).optional(),
});
export type ReleaseInput = z.infer<typeof releaseInputSchema>;

/** What an accepted update answers: where the ticket stands right after the decision was applied. */
export interface MessageAck {
  accepted: true;
  ticketId: string;
  status: TicketStatus;
  queue: Queue;
  awaiting: Awaiting;
  lastSeq: number;
  draftVersion: number | null;
}

/** The whole state: status, analysis, brief, findings, draft, review history and the durable events. */
export const ticketStateQuery = defineQuery<TicketState>('ticketState');

/** An update-with-start target: answers the first state as soon as the workflow runs. */
export const openTicketUpdate = defineUpdate<MessageAck>('openTicket');

export const reviewSignal = defineSignal<[ReviewDecision]>('review');
export const reviewUpdate = defineUpdate<MessageAck, [ReviewDecision]>('reviewUpdate');

/** Lets a ticket held in the secure queue continue with the automation. */
export const releaseSignal = defineSignal<[ReleaseInput]>('release');
export const releaseUpdate = defineUpdate<MessageAck, [ReleaseInput]>('releaseUpdate');

export const provideSopSignal = defineSignal<[SopInput]>('provideSop');
export const provideSopUpdate = defineUpdate<MessageAck, [SopInput]>('provideSopUpdate');

export const feedbackSignal = defineSignal<[Feedback]>('feedback');
export const feedbackUpdate = defineUpdate<MessageAck, [Feedback]>('feedbackUpdate');

export const customerMessageSignal = defineSignal<[CustomerMessage]>('customerMessage');
export const customerMessageUpdate = defineUpdate<MessageAck, [CustomerMessage]>('customerMessageUpdate');

export const escalateSignal = defineSignal<[EscalateInput]>('escalate');
export const escalateUpdate = defineUpdate<MessageAck, [EscalateInput]>('escalateUpdate');

export const closeSignal = defineSignal<[CloseInput]>('close');
export const closeUpdate = defineUpdate<MessageAck, [CloseInput]>('closeUpdate');
