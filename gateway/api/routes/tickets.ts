/** Creating, listing and reading tickets. */
import type { TemplatedApp } from 'uWebSockets.js';
import type { ApiContext } from '../context';
import { ApiError } from '../errors';
import { defineRoute } from '../route';
import { NO_ORG } from '../../auth/authorize';
import { createTicketBody, describeZodError, listQuery, ticketIdParam } from '../schemas';
import { assertCanSee, viewFor } from '../views';

/** How long the customer's ticket-scoped token lasts: long enough to come back for the answer and feedback. */
export const TICKET_TOKEN_TTL_MS = 7 * 24 * 3600_000;

export function parseTicketId(raw: string | undefined): string {
  const parsed = ticketIdParam.safeParse(raw);
  if (!parsed.success) throw new ApiError(404, 'ticket not found');
  return parsed.data;
}

export function registerTicketRoutes(app: TemplatedApp, ctx: ApiContext): void {
  defineRoute(app, ctx, {
    method: 'post',
    pattern: '/v1/tickets',
    roles: ['customer'],
    body: createTicketBody,
    // With an Idempotency-Key the ticket id is derived from the caller and this request under the key: a retry
    // (after a timeout, a 503, a lost answer) answers the ticket the first call made and starts nothing new;
    // the same key with another text is refused (422) and, past the key's TTL, is a ticket of its own.
    idempotent: true,
    async handle({ principal, body, requestKey }) {
      const created = await ctx.tickets.createTicket(
        { userId: principal.sub, orgId: principal.orgId ?? NO_ORG, text: body.text },
        { idempotencyKey: requestKey },
      );
      ctx.logger.info('ticket created', {
        ticketId: created.ticketId,
        userId: principal.sub,
        idempotent: requestKey !== undefined,
      });
      // The first state is best effort: the ticket exists even if the query cannot answer yet.
      const read = ctx.firstState ?? ((id: string) => ctx.tickets.getState(id));
      const state = await read(created.ticketId).catch(() => undefined);
      return {
        status: 201,
        body: {
          ticketId: created.ticketId,
          status: state?.status ?? created.status ?? 'received',
          // Streams and ws-tickets are bound to one ticket for customers, so the page gets a token for this one.
          ticketToken: ctx.auth.canSign
            ? ctx.auth.signAccessToken(
                {
                  sub: principal.sub,
                  subjectIsUserId: true,
                  role: 'customer',
                  orgId: principal.orgId,
                  incidentId: created.ticketId,
                },
                TICKET_TOKEN_TTL_MS,
              )
            : null,
          state: state ? viewFor(principal, state) : null,
        },
      };
    },
  });

  defineRoute(app, ctx, {
    method: 'get',
    pattern: '/v1/tickets',
    roles: ['agent'],
    async handle({ query }) {
      const parsed = listQuery.safeParse(Object.fromEntries(query));
      if (!parsed.success) throw new ApiError(400, describeZodError(parsed.error));
      const { pageToken, total, ...filter } = parsed.data;
      const page = await ctx.tickets.listTickets({ ...filter, nextPageToken: pageToken, withTotal: total });
      return {
        status: 200,
        body: {
          tickets: page.tickets,
          nextPageToken: page.nextPageToken ?? null,
          ...(page.total === undefined ? {} : { total: page.total }),
        },
      };
    },
  });

  defineRoute(app, ctx, {
    method: 'get',
    pattern: '/v1/tickets/:id',
    roles: ['agent', 'customer'],
    params: 1,
    async handle({ principal, params }) {
      const state = await ctx.tickets.getState(parseTicketId(params[0]));
      assertCanSee(principal, state);
      return { status: 200, body: viewFor(principal, state) };
    },
  });
}
