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
import { TicketflowError } from '../core/errors';
import { limits, ticketActions, type MessageAck } from './contract';
import { parseOr } from './errors';

/** Sends one update to one ticket and maps its errors; `updateId` makes a retry safe. */
export type SendUpdate = <A>(
  ticketId: string,
  def: UpdateDefinition<MessageAck, [A]>,
  arg: A,
  updateId?: string,
) => Promise<MessageAck>;

/**
 * A person's text redacted for the history. A placeholder can be longer than what it replaces
 * ("a@b.co" -> "[REDACTED_EMAIL]"), so a text within its limit may not be once redacted; the workflow's
 * validator would then refuse it saying only "at most N characters" of a text shorter than N. Refused here
 * instead, saying why, before anything is sent.
 */
async function redactWithin(label: string, text: string, max: number): Promise<string> {
  const redacted = await redactOffThread(text);
  if (redacted.length > max) {
    throw new TicketflowError(
      'bad_input',
      `${label} must be at most ${max.toLocaleString('en-US')} characters once personal data is redacted ` +
        `(placeholders replace addresses, numbers and secrets; it is ${redacted.length.toLocaleString('en-US')}): ` +
        'send it shorter or in parts',
    );
  }
  return redacted;
}

/** An agent's note or reason, redacted within the reasons' limit; absent stays absent. */
function redactNote<T extends string | undefined>(label: string, text: T): Promise<T> {
  return (text === undefined ? Promise.resolve(text) : redactWithin(label, text, limits.reason)) as Promise<T>;
}

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
    /**
     * Approve / edit / reject a draft. The reasons are an agent's notes and go into the history and the
     * event log like a customer's text, so they are redacted the same way (an agent quoting the customer's
     * card or password in a reject reason put it on Kafka in full). So is an agent's own reply: the workflow
     * redacts every reply before it is sent anyway, and this keeps it out of the update's history in full.
     */
    review: action(review, async (r) => {
      if (r.action === 'reject') return { ...r, reason: await redactNote('reason', r.reason) };
      if (r.action !== 'edit') return r;
      const text = await redactWithin('text', r.text, limits.replyText);
      return r.overrideReason === undefined
        ? { ...r, text }
        : { ...r, text, overrideReason: await redactNote('overrideReason', r.overrideReason) };
    }),
    /** Lets a ticket held in the security queue continue with the automation. */
    release: action(release, async (r) => ({ ...r, note: await redactNote('note', r.note) })),
    provideSop: action(provideSop),
    // Redacted before they enter the workflow's history: agents, events and the console only see this form.
    sendFeedback: action(feedback, async (f) => ({
      ...f,
      comment: await redactWithin('comment', f.comment, limits.feedbackComment),
    })),
    /** A customer's follow-up message, appended to the ticket. */
    addMessage: action(customerMessage, async (m) => ({
      ...m,
      text: await redactWithin('text', m.text, limits.messageText),
    })),
    escalate: action(escalate, async (e) => ({ ...e, reason: await redactNote('reason', e.reason) })),
    /** Closes the ticket cleanly (status closed), wherever it is. */
    close: action(close, async (c) => ({ ...c, reason: await redactNote('reason', c.reason) })),
    /**
     * Confirms or declines one proposed side effect (`state.proposals`): a confirmed one runs when the reply
     * is approved, before it is sent; a declined one never runs.
     */
    decideProposal: action(decideProposal, async (d) => ({ ...d, note: await redactNote('note', d.note) })),
    /** Tells the ticket who holds it on the desk: while someone does, the workflow refuses anyone else's review. */
    setHolder: action(setHolder),
  };
}
