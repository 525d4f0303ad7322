/**
 * The desk: who holds a ticket (claim, assign, release, take over with a reason) and who is looking at it
 * (a heartbeat while the console shows it). Agents only; the store is shared by every gateway instance, and
 * the ticket itself is told its holder (its review validator refuses anyone else).
 */
import type { TemplatedApp } from 'uWebSockets.js';
import { assignBody, deskQuery, type DeskView, type TicketDesk } from '../../../core/desk';
import { NO_ORG } from '../../auth/authorize';
import type { Assignment, DeskStore } from '../../desk/store';
import { tellHolder } from '../../desk/tell-holders';
import { shownAssignment } from '../../queue/frames';
import type { ApiContext } from '../context';
import { ApiError } from '../errors';
import { defineRoute } from '../route';
import { describeZodError } from '../schemas';
import { parseTicketId } from './tickets';

function deskOf(ctx: ApiContext): DeskStore {
  if (!ctx.desk) throw new ApiError(503, 'the desk store is not connected to this gateway');
  return ctx.desk;
}

const shown = shownAssignment;

/**
 * Tells the ticket its holder, so that its review validator refuses everyone else, whichever client sends the
 * review. A ticket that has finished or never ran needs no holder, and one that knows it already refuses the
 * word again (409, nothing in its history). Any other failure is the caller's: the desk
 * has changed but the ticket does not know it yet, and sending the same claim again (a no-op for the desk)
 * tells it.
 */
async function tellTicket(ctx: ApiContext, ticketId: string, by: string, a: Assignment | null): Promise<void> {
  const word = { agent: a?.agent ?? null, at: a?.since ?? new Date().toISOString(), by };
  if (!(await tellHolder(ctx.tickets, ticketId, word)))
    ctx.logger.info('holder not told: the ticket is not running or knows it already', { ticketId });
}

export function registerDeskRoutes(app: TemplatedApp, ctx: ApiContext): void {
  defineRoute(app, ctx, {
    method: 'post',
    pattern: '/v1/tickets/:id/assign',
    roles: ['agent'],
    params: 1,
    body: assignBody,
    async handle({ principal, params, body }) {
      const ticketId = parseTicketId(params[0]);
      const desk = deskOf(ctx);
      // A colleague named by their e-mail is held under the id their own token gives them, and the ticket is
      // told that id, never the address.
      const to = body.to === null ? null : ctx.auth.userIds.ofGiven(principal.orgId ?? NO_ORG, body.to);
      const assignment = await desk.assign({ ticketId, by: principal.sub, to, reason: body.reason });
      ctx.deskChanged?.();
      await tellTicket(ctx, ticketId, principal.sub, assignment);
      ctx.logger.info('ticket assignment', {
        ticketId,
        by: principal.sub,
        to,
        takeover: assignment?.takeoverReason != null,
      });
      const viewers = (await desk.viewers([ticketId])).get(ticketId) ?? [];
      const answer: TicketDesk = { ticketId, assignment: shown(assignment), viewers };
      return { status: 200, body: answer };
    },
  });

  defineRoute(app, ctx, {
    method: 'post',
    pattern: '/v1/tickets/:id/presence',
    roles: ['agent'],
    params: 1,
    async handle({ principal, params }) {
      const ticketId = parseTicketId(params[0]);
      const desk = deskOf(ctx);
      const viewers = await desk.touch(ticketId, principal.sub);
      ctx.deskChanged?.();
      const assignment = (await desk.assignments([ticketId])).get(ticketId);
      const answer: TicketDesk = { ticketId, assignment: shown(assignment), viewers };
      return { status: 200, body: answer };
    },
  });

  defineRoute(app, ctx, {
    method: 'get',
    pattern: '/v1/desk/mine',
    roles: ['agent'],
    async handle({ principal }) {
      const held = await deskOf(ctx).heldBy(principal.sub);
      return { status: 200, body: { tickets: held.map((a) => ({ ticketId: a.ticketId, ...shown(a)! })) } };
    },
  });

  defineRoute(app, ctx, {
    method: 'get',
    pattern: '/v1/desk',
    roles: ['agent'],
    async handle({ query }) {
      const parsed = deskQuery.safeParse(Object.fromEntries(query));
      if (!parsed.success) throw new ApiError(400, describeZodError(parsed.error));
      const desk = deskOf(ctx);
      const [assignments, viewers] = await Promise.all([
        desk.assignments(parsed.data.ids),
        desk.viewers(parsed.data.ids),
      ]);
      const answer: DeskView = {
        assignments: Object.fromEntries([...assignments].map(([id, a]) => [id, shown(a)!])),
        viewers: Object.fromEntries(viewers),
      };
      return { status: 200, body: answer };
    },
  });
}
