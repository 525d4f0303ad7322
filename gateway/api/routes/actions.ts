/**
 * What people do to a ticket: agents review drafts and provide SOPs; customers follow up and give feedback.
 * Each goes to the workflow (an update where the caller needs the answer), and the ticket's new state comes
 * back so the page can redraw at once.
 */
import type { TemplatedApp } from 'uWebSockets.js';
import type { ApiContext } from '../context';
import { defineRoute } from '../route';
import { feedbackBody, messageBody, releaseBody, reviewBody, sopBody } from '../schemas';
import { assertCanSee, viewFor } from '../views';
import { parseTicketId } from './tickets';

export function registerActionRoutes(app: TemplatedApp, ctx: ApiContext): void {
  defineRoute(app, ctx, {
    method: 'post',
    pattern: '/v1/tickets/:id/review',
    roles: ['agent'],
    params: 1,
    body: reviewBody,
    async handle({ principal, params, body }) {
      const ticketId = parseTicketId(params[0]);
      // Review goes through the workflow's update: a stale draft version or a ticket that no longer waits
      // for review is refused by its validator and comes back as 409 with the workflow's reason.
      const result = await ctx.tickets.review(ticketId, { ...body, reviewer: principal.sub });
      ctx.logger.info('review accepted', { ticketId, action: body.action, draftVersion: body.draftVersion, reviewer: principal.sub });
      const state = await ctx.tickets.getState(ticketId);
      return { status: 200, body: { accepted: true, result: result ?? null, state } };
    },
  });

  defineRoute(app, ctx, {
    method: 'post',
    pattern: '/v1/tickets/:id/release',
    roles: ['agent'],
    params: 1,
    body: releaseBody,
    async handle({ principal, params, body }) {
      const ticketId = parseTicketId(params[0]);
      const result = await ctx.tickets.release(ticketId, { reviewer: principal.sub, note: body.note });
      ctx.logger.info('ticket released from security hold', { ticketId, reviewer: principal.sub });
      const state = await ctx.tickets.getState(ticketId);
      return { status: 200, body: { accepted: true, result: result ?? null, state } };
    },
  });

  defineRoute(app, ctx, {
    method: 'post',
    pattern: '/v1/tickets/:id/sop',
    roles: ['agent'],
    params: 1,
    body: sopBody,
    async handle({ principal, params, body }) {
      const ticketId = parseTicketId(params[0]);
      const result = await ctx.tickets.provideSop(ticketId, { ...body, author: principal.sub });
      ctx.logger.info('sop provided', { ticketId, author: principal.sub });
      const state = await ctx.tickets.getState(ticketId);
      return { status: 200, body: { accepted: true, result: result ?? null, state } };
    },
  });

  defineRoute(app, ctx, {
    method: 'post',
    pattern: '/v1/tickets/:id/feedback',
    roles: ['customer'],
    params: 1,
    body: feedbackBody,
    async handle({ principal, params, body }) {
      const ticketId = parseTicketId(params[0]);
      assertCanSee(principal, await ctx.tickets.getState(ticketId));
      await ctx.tickets.sendFeedback(ticketId, body);
      const state = await ctx.tickets.getState(ticketId);
      return { status: 202, body: { accepted: true, state: viewFor(principal, state) } };
    },
  });

  defineRoute(app, ctx, {
    method: 'post',
    pattern: '/v1/tickets/:id/messages',
    roles: ['customer'],
    params: 1,
    body: messageBody,
    async handle({ principal, params, body }) {
      const ticketId = parseTicketId(params[0]);
      assertCanSee(principal, await ctx.tickets.getState(ticketId));
      await ctx.tickets.addMessage(ticketId, { text: body.text, author: principal.sub });
      const state = await ctx.tickets.getState(ticketId);
      return { status: 202, body: { accepted: true, state: viewFor(principal, state) } };
    },
  });
}
