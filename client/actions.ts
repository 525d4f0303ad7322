/**
 * What people do to a ticket, each one the workflow's update from its single contract (workflows/messages.ts):
 * parsed against the action's schema here (bad input is refused before Temporal is asked), redacted where a
 * person's free text goes into the history, then sent. Every action takes an update id: the same id sent again
 * gets the first answer (the server joins a repeat of an update in flight, the workflow remembers finished
 * ones), so a caller that lost an answer can retry.
 */
import type { UpdateDefinition } from '@temporalio/client';
import type { z } from 'zod';
import { redactOffThread } from '../core/pii/pool';
import { ticketActions, type MessageAck } from './contract';
import { parseOr } from './errors';

/** Sends one update to one ticket and maps its errors; `updateId` makes a retry safe. */
export type SendUpdate = <A>(
  ticketId: string,
  def: UpdateDefinition<MessageAck, [A]>,
  arg: A,
  updateId?: string,
) => Promise<MessageAck>;

export function createTicketActions(send: SendUpdate) {
  /** One action: its schema checks the input, `prepare` may rewrite it (redaction) before it is sent. */
  function action<S extends z.ZodType>(
    def: { schema: S; update: UpdateDefinition<MessageAck, [z.input<S>]> },
    prepare: (input: z.output<S>) => z.input<S> | Promise<z.input<S>> = (x) => x as z.input<S>,
  ) {
    // Async so that bad input, too, comes back as a rejected promise.
    return async (ticketId: string, input: z.input<S>, updateId?: string): Promise<MessageAck> =>
      send(ticketId, def.update, await prepare(parseOr(def.schema, input) as z.output<S>), updateId);
  }

  const { review, release, provideSop, feedback, customerMessage, escalate, close, decideProposal, setHolder } =
    ticketActions;
  return {
    /** Approve / edit / reject a draft. */
    review: action(review),
    /** Lets a ticket held in the security queue continue with the automation. */
    release: action(release),
    provideSop: action(provideSop),
    // Redacted before they enter the workflow's history: agents, events and the console only see this form.
    sendFeedback: action(feedback, async (f) => ({ ...f, comment: await redactOffThread(f.comment) })),
    /** A customer's follow-up message, appended to the ticket. */
    addMessage: action(customerMessage, async (m) => ({ ...m, text: await redactOffThread(m.text) })),
    escalate: action(escalate),
    /** Closes the ticket cleanly (status closed), wherever it is. */
    close: action(close),
    /**
     * Confirms or declines one proposed side effect (`state.proposals`): a confirmed one runs when the reply
     * is approved, before it is sent; a declined one never runs.
     */
    decideProposal: action(decideProposal),
    /** Tells the ticket who holds it on the desk: while someone does, the workflow refuses anyone else's review. */
    setHolder: action(setHolder),
  };
}
