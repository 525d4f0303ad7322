/**
 * The ticket's contract: everything a caller can say to or ask of a ticket workflow. One definition per action
 * yields its input schema, its update and, only where someone sends it, its signal. Actions are updates
 * because the caller waits for the answer: a stale or impossible decision is refused at once by the validator
 * instead of being silently ignored. `review` and `feedback` keep a signal: the design card names them, tests
 * send them, and saved histories hold them, so replay needs their handlers. `decideProposal` has one because
 * issue 11 asks for it (a tool that cannot wait for an answer may still confirm or decline).
 *
 * The HTTP bodies and the limits are in core/ticket-actions (zod only, safe for the browser), its types re-exported.
 */
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { z } from 'zod';
import type * as Contract from '../core/ticket-actions';
import type { Queue, TicketStatus } from '../core/domain';
import type { Awaiting, Ticket } from './state';

export type * from '../core/ticket-actions';

/**
 * The input schemas, built on a run's first message that carries input, not at every run's start: the SDK
 * evaluates a bundle's modules afresh for each run, and building them (9 %) and zod itself (3.8 %) were an
 * eighth of the workflow thread's CPU for tickets that get no such message before review (docs/benchmarks.md,
 * issue 9). A require, not an import, so it can wait; the bodies and limits come from core/ticket-actions.
 */
function contract(): typeof Contract {
  return require('../core/ticket-actions') as typeof Contract;
}

/** What an accepted update answers: where the ticket stands right after the decision was applied. */
/**
 * The failure type of an update the ticket refused because it arrived in a workflow task in which something
 * else had already resolved (workflows/task-guard.ts): nothing was recorded, and the same update sent again
 * is taken (the client does this by itself, client/busy-retry.ts).
 */
export const TICKET_BUSY = 'TicketBusy';

export interface MessageAck {
  accepted: true;
  ticketId: string;
  status: TicketStatus;
  queue: Queue;
  awaiting: Awaiting;
  lastSeq: number;
  draftVersion: number | null;
}

export interface TicketAction<S extends z.ZodType, Sig extends boolean> {
  /** Validates (and normalises) the input, in the validator and again in the handler; built on first use. */
  readonly schema: S;
  update: UpdateDefinition<MessageAck, [z.input<S>]>;
  signal: Sig extends true ? SignalDefinition<[z.input<S>]> : undefined;
}

/** Names are kept as they were: running tickets and saved histories refer to them. */
function action<S extends z.ZodType>(schema: () => S, updateName: string): TicketAction<S, false>;
function action<S extends z.ZodType>(schema: () => S, updateName: string, signalName: string): TicketAction<S, true>;
function action<S extends z.ZodType>(
  schema: () => S,
  updateName: string,
  signalName?: string,
): TicketAction<S, boolean> {
  let built: S | undefined;
  return {
    get schema() {
      return (built ??= schema());
    },
    update: defineUpdate<MessageAck, [z.input<S>]>(updateName),
    signal: signalName ? defineSignal<[z.input<S>]>(signalName) : undefined,
  };
}

export const ticketActions = {
  review: action(() => contract().reviewDecisionSchema, 'reviewUpdate', 'review'),
  /** Lets a ticket held in the security queue continue with the automation. */
  release: action(() => contract().releaseInputSchema, 'releaseUpdate'),
  provideSop: action(() => contract().sopInputSchema, 'provideSopUpdate'),
  feedback: action(() => contract().feedbackSchema, 'feedbackUpdate', 'feedback'),
  customerMessage: action(() => contract().customerMessageSchema, 'customerMessageUpdate'),
  escalate: action(() => contract().escalateInputSchema, 'escalateUpdate'),
  close: action(() => contract().closeInputSchema, 'closeUpdate'),
  /**
   * Confirms or declines a proposed side effect; a confirmed one runs when the reply is approved (a held
   * revocation at once, while the security team still holds the ticket).
   */
  decideProposal: action(() => contract().proposalDecisionSchema, 'decideProposalUpdate', 'decideProposal'),
  /** The desk's holder (claim, assign, release, takeover): only they may review while someone holds it. */
  setHolder: action(() => contract().holderInputSchema, 'setHolderUpdate'),
};
export type TicketActionName = keyof typeof ticketActions;

/** The whole state: status, analysis, brief, findings, draft, review history and the durable events. */
export const ticketStateQuery = defineQuery<Ticket>('ticketState');

/** An update-with-start target: answers the first state as soon as the workflow runs. */
export const openTicketUpdate = defineUpdate<MessageAck>('openTicket');

// The names callers already use.
export const reviewUpdate = ticketActions.review.update;
export const reviewSignal = ticketActions.review.signal;
export const releaseUpdate = ticketActions.release.update;
export const provideSopUpdate = ticketActions.provideSop.update;
export const feedbackUpdate = ticketActions.feedback.update;
export const feedbackSignal = ticketActions.feedback.signal;
export const customerMessageUpdate = ticketActions.customerMessage.update;
export const escalateUpdate = ticketActions.escalate.update;
export const closeUpdate = ticketActions.close.update;
export const decideProposalUpdate = ticketActions.decideProposal.update;
export const decideProposalSignal = ticketActions.decideProposal.signal;
export const setHolderUpdate = ticketActions.setHolder.update;
