/**
 * What people do to a ticket: agents review drafts, release security holds and provide SOPs; customers follow
 * up and give feedback. Each is the workflow's update, and each is safe to retry: the caller's
 * `Idempotency-Key`, bound to this request (ticket, action and body: gateway/idempotency), becomes the update
 * id (scoped to the caller and the action), so a retry of an applied action gets the same answer instead of
 * 409, and the same key with another body is refused 422 instead of answered with the first one's result.
 * The answer comes from the update's own result; the state read after it is a courtesy that may be missing
 * (null) when that read fails, never a reason to report an applied action as failed. An action accepted but
 * not applied within TICKET_APPLY_TIMEOUT (a long step, or its worker died half way) answers 202 with
 * `applied: false`: decided, its outcome on the ticket's stream.
 */
import { createHash } from 'node:crypto';
import type { TemplatedApp } from 'uWebSockets.js';
import type { z } from 'zod';
import { StillApplying, type MessageAck } from '../../../client';
import type { ApiContext, Principal } from '../context';
import { defineRoute } from '../route';
import { feedbackBody, messageBody, proposalDecisionBody, releaseBody, reviewBody, sopBody } from '../schemas';
import { assertCanSee, viewFor } from '../views';
import { parseTicketId } from './tickets';

type Act<S extends z.ZodType> = (
  ticketId: string,
  principal: Principal,
  body: z.infer<S>,
  updateId: string | undefined,
) => Promise<MessageAck>;

/** The update id for a request's key: one caller's key never answers for another caller, action or request. */
export function updateIdFor(principal: Principal, action: string, key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  return `idem-${createHash('sha256')
    .update(JSON.stringify([principal.sub, action, key]))
    .digest('hex')
    .slice(0, 40)}`;
}

export function registerActionRoutes(app: TemplatedApp, ctx: ApiContext): void {
  /** The state after an applied action, or null when it cannot be read now. */
  async function stateAfter(ticketId: string) {
    try {
      return await ctx.tickets.getState(ticketId);
    } catch (err) {
      ctx.logger.warn('state read after an applied action failed; answering from the update', {
        ticketId,
        err: (err as Error).message,
      });
      return null;
    }
  }

  /**
   * The action's answer, or undefined when it was accepted but is still being applied past its bound
   * (client/accept-deadline.ts): decided and in the ticket's history, its outcome comes on the ticket's stream.
   */
  async function applied(ticketId: string, run: () => Promise<MessageAck>): Promise<MessageAck | undefined> {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof StillApplying)) throw err;
      ctx.logger.warn('action accepted, still being applied: answered 202', { ticketId, boundMs: err.boundMs });
      return undefined;
    }
  }

  /**
   * 202 with no result yet: the same request with the same Idempotency-Key joins it and gets its answer. No
   * state either: only a worker answers a query, and the worker may be the one that died half way.
   */
  function stillApplying() {
    return { status: 202, body: { accepted: true, applied: false, result: null, state: null } };
  }

  /** An agent's action: the workflow's answer and, when it can be read, the whole state come back (200). */
  function agentAction<S extends z.ZodType>(path: string, body: S, act: Act<S>): void {
    defineRoute(app, ctx, {
      method: 'post',
      pattern: `/v1/tickets/:id/${path}`,
      roles: ['agent'],
      params: 1,
      body,
      idempotent: true,
      async handle({ principal, params, body: input, requestKey }) {
        const ticketId = parseTicketId(params[0]);
        // A body schema is always given here, so the input is its parsed output.
        const result = await applied(ticketId, () =>
          act(ticketId, principal, input as z.infer<S>, updateIdFor(principal, path, requestKey)),
        );
        if (!result) return stillApplying();
        return { status: 200, body: { accepted: true, applied: true, result, state: await stateAfter(ticketId) } };
      },
    });
  }

  /**
   * A customer's action on their own ticket: the owner is checked first (from the start's record, which the
   * server answers without a worker), then the customer's view comes back (202).
   */
  function customerAction<S extends z.ZodType>(path: string, body: S, act: Act<S>): void {
    defineRoute(app, ctx, {
      method: 'post',
      pattern: `/v1/tickets/:id/${path}`,
      roles: ['customer'],
      params: 1,
      body,
      idempotent: true,
      async handle({ principal, params, body: input, requestKey }) {
        const ticketId = parseTicketId(params[0]);
        assertCanSee(principal, { ticketId, ...(await ctx.tickets.ownerOf(ticketId)) });
        const result = await applied(ticketId, () =>
          act(ticketId, principal, input as z.infer<S>, updateIdFor(principal, path, requestKey)),
        );
        if (!result) return stillApplying();
        const state = await stateAfter(ticketId);
        const view = state ? viewFor(principal, state) : null;
        // Of the update's answer a customer sees what their view shows anyway: the status and the last seq.
        return {
          status: 202,
          body: {
            accepted: true,
            applied: true,
            result: { status: result.status, lastSeq: result.lastSeq },
            state: view,
          },
        };
      },
    });
  }

  // Review goes through the workflow's update: a stale draft version, a ticket that no longer waits for
  // review, or one another agent holds (until taken over; the desk routes tell the ticket its holder) is
  // refused by its validator and comes back as 409 with the workflow's reason.
  agentAction('review', reviewBody, async (ticketId, principal, body, updateId) => {
    const result = await ctx.tickets.review(ticketId, { ...body, reviewer: principal.sub }, updateId);
    ctx.logger.info('review accepted', {
      ticketId,
      action: body.action,
      draftVersion: body.draftVersion,
      reviewer: principal.sub,
    });
    return result;
  });

  agentAction('release', releaseBody, async (ticketId, principal, body, updateId) => {
    const result = await ctx.tickets.release(ticketId, { reviewer: principal.sub, note: body.note }, updateId);
    ctx.logger.info('ticket released from security hold', { ticketId, reviewer: principal.sub });
    return result;
  });

  agentAction('sop', sopBody, async (ticketId, principal, body, updateId) => {
    const result = await ctx.tickets.provideSop(ticketId, { ...body, author: principal.sub }, updateId);
    ctx.logger.info('sop provided', { ticketId, author: principal.sub });
    return result;
  });

  // A proposed side effect (state.proposals): confirmed, it runs when the reply is approved; declined, never.
  agentAction('proposals', proposalDecisionBody, async (ticketId, principal, body, updateId) => {
    const result = await ctx.tickets.decideProposal(ticketId, { ...body, by: principal.sub }, updateId);
    ctx.logger.info('proposal decided', {
      ticketId,
      proposalId: body.proposalId,
      decision: body.decision,
      by: principal.sub,
    });
    return result;
  });

  customerAction('feedback', feedbackBody, (ticketId, _principal, body, updateId) =>
    ctx.tickets.sendFeedback(ticketId, body, updateId),
  );

  customerAction('messages', messageBody, (ticketId, principal, body, updateId) =>
    ctx.tickets.addMessage(ticketId, { text: body.text, author: principal.sub }, updateId),
  );
}
