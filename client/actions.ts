/**
 * What people do to a ticket, each one the workflow's update: parsed against the contract here (bad input is
 * refused before Temporal is asked), redacted where a person's free text goes into the history, then sent.
 * Every action takes an update id: the same id sent again gets the first answer (the server joins a repeat
 * of an update in flight, the workflow remembers finished ones), so a caller that lost an answer can retry.
 */
import type { UpdateDefinition } from '@temporalio/client';
import type { z } from 'zod';
import { redact } from '../core/pii';
import {
  closeInputSchema,
  closeUpdate,
  customerMessageSchema,
  customerMessageUpdate,
  escalateInputSchema,
  escalateUpdate,
  feedbackSchema,
  feedbackUpdate,
  releaseInputSchema,
  releaseUpdate,
  reviewDecisionSchema,
  reviewUpdate,
  sopInputSchema,
  provideSopUpdate,
  type MessageAck,
} from './contract';
import { parseOr } from './errors';

/** Sends one update to one ticket and maps its errors; `updateId` makes a retry safe. */
export type SendUpdate = <A>(ticketId: string, def: UpdateDefinition<MessageAck, [A]>, arg: A, updateId?: string) => Promise<MessageAck>;

export function createTicketActions(send: SendUpdate) {
  /** One action: the contract's schema checks the input, `prepare` turns it into the update's argument. */
  function action<S extends z.ZodType, A>(def: UpdateDefinition<MessageAck, [A]>, schema: S, prepare: (input: z.output<S>) => A) {
    return (ticketId: string, input: z.input<S>, updateId?: string): Promise<MessageAck> => send(ticketId, def, prepare(parseOr(schema, input) as z.output<S>), updateId);
  }

  return {
    /** Approve / edit / reject a draft. */
    review: action(reviewUpdate, reviewDecisionSchema, (d) => d),
    /** Lets a ticket held in the security queue continue with the automation. */
    release: action(releaseUpdate, releaseInputSchema, (r) => r),
    provideSop: action(provideSopUpdate, sopInputSchema, (s) => s),
    // Redacted before they enter the workflow's history: agents, events and the console only see this form.
    sendFeedback: action(feedbackUpdate, feedbackSchema, (f) => ({ ...f, comment: redact(f.comment) })),
    /** A customer's follow-up message, appended to the ticket. */
    addMessage: action(customerMessageUpdate, customerMessageSchema, (m) => ({ ...m, text: redact(m.text) })),
    escalate: action(escalateUpdate, escalateInputSchema, (e) => e),
    /** Closes the ticket cleanly (status closed), wherever it is. */
    close: action(closeUpdate, closeInputSchema, (c) => c),
  };
}
