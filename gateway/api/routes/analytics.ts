/**
 * The desk's figures for the analytics page (agents only): counted by Temporal visibility (client/figures.ts),
 * with CSAT, the reopen rate and the review time of the tickets finished in the same window from the memory
 * database (activities/memory/outcomes.ts), and the open queues sampled over the window by the gateways
 * (gateway/api/queue-sampler.ts; every topic: a sample counts queues, not topics).
 */
import type { TemplatedApp } from 'uWebSockets.js';
import { figuresQuery, type AnalyticsFigures } from '../../../client/figures';
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
      const counts = await ctx.tickets.deskFigures(parsed.data);
      const window = { from: Date.parse(counts.from), to: Date.parse(counts.to), topic: counts.topic ?? undefined };
      const [outcomes, queueSizes] = ctx.outcomes
        ? await Promise.all([ctx.outcomes.figures(window), ctx.outcomes.queueSizes(window.from, window.to)])
        : [null, null];
      const body: AnalyticsFigures = { ...counts, outcomes, queueSizes };
      return { status: 200, body };
    },
  });
}
