/** The desk's figures for the analytics page (agents only): counted by Temporal visibility, see client/figures.ts. */
import type { TemplatedApp } from 'uWebSockets.js';
import { figuresQuery } from '../../../client/figures';
import type { ApiContext } from '../context';
import { ApiError } from '../errors';
import { defineRoute } from '../route';
import { describeZodError } from '../schemas';

export function registerAnalyticsRoutes(app: TemplatedApp, ctx: ApiContext): void {
  defineRoute(app, ctx, {
    method: 'get',
    pattern: '/v1/analytics',
    roles: ['agent'],
    async handle({ query }) {
      const parsed = figuresQuery.safeParse(Object.fromEntries(query));
      if (!parsed.success) throw new ApiError(400, describeZodError(parsed.error));
      return { status: 200, body: await ctx.tickets.deskFigures(parsed.data) };
    },
  });
}
