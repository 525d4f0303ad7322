/**
 * What people do to a ticket: agents review drafts and provide SOPs; customers follow up and give feedback.
 * Each goes to the workflow (an update where the caller needs the answer), and the ticket's new state comes
 * back so the page can redraw at once.
 */
import type { TemplatedApp } from 'uWebSockets.js';
import type { z } from 'zod';
import type { ApiContext, Principal } from '../context';
import { defineRoute } from '../route';
import { feedbackBody, messageBody, releaseBody, reviewBody, sopBody } from '../schemas';
import { assertCanSee, viewFor } from '../views';
import { parseTicketId } from './tickets';

type Act<S extends z.ZodType> = (ticketId: string, principal: Principal, body: z.infer<S>) => Promise<unknown>;

export function registerActionRoutes(app: TemplatedApp, ctx: ApiContext): void {
  /** An agent's action: the workflow's answer and the whole state come back (200). */
  function agentAction<S extends z.ZodType>(path: string, body: S, act: Act<S>): void {
    defineRoute(app, ctx, {
      method: 'post',
      pattern: `/v1/tickets/:id/${path}`,
      roles: ['agent'],
      params: 1,
      body,
      async handle({ principal, params, body: input }) {
        const ticketId = parseTicketId(params[0]);
        // A body schema is always given here, so the input is its parsed output.
        const result = await act(ticketId, principal, input as z.infer<S>);
        const state = await ctx.tickets.getState(ticketId);
        return { status: 200, body: { accepted: true, result: result ?? null, state } };
      },
    });
  }

  /** A customer's action on their own ticket: checked first, then the customer's view comes back (202). */
  function customerAction<S extends z.ZodType>(path: string, body: S, act: Act<S>): void {
    defineRoute(app, ctx, {
      method: 'post',
      pattern: `/v1/tickets/:id/${path}`,
      roles: ['customer'],
      params: 1,
      body,
      async handle({ principal, params, body: input }) {
        const ticketId = parseTicketId(params[0]);
        assertCanSee(principal, await ctx.tickets.getState(ticketId));
        await act(ticketId, principal, input as z.infer<S>);
        const state = await ctx.tickets.getState(ticketId);
        return { status: 202, body: { accepted: true, state: viewFor(principal, state) } };
      },
    });
  }

  // Review goes through the workflow's update: a stale draft version or a ticket that no longer waits for
  // review is refused by its validator and comes back as 409 with the workflow's reason.
  agentAction('review', reviewBody, async (ticketId, principal, body) => {
    const result = await ctx.tickets.review(ticketId, { ...body, reviewer: principal.sub });
    ctx.logger.info('review accepted', { ticketId, action: body.action, draftVersion: body.draftVersion, reviewer: principal.sub });
    return result;
  });

  agentAction('release', releaseBody, async (ticketId, principal, body) => {
    const result = await ctx.tickets.release(ticketId, { reviewer: principal.sub, note: body.note });
    ctx.logger.info('ticket released from security hold', { ticketId, reviewer: principal.sub });
    return result;
  });

  agentAction('sop', sopBody, async (ticketId, principal, body) => {
    const result = await ctx.tickets.provideSop(ticketId, { ...body, author: principal.sub });
    ctx.logger.info('sop provided', { ticketId, author: principal.sub });
    return result;
  });

  customerAction('feedback', feedbackBody, (ticketId, _principal, body) => ctx.tickets.sendFeedback(ticketId, body));

  customerAction('messages', messageBody, (ticketId, principal, body) => ctx.tickets.addMessage(ticketId, { text: body.text, author: principal.sub }));
}
