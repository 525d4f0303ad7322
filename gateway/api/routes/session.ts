/**
 * Who the caller is and where the console links to, and the queue counts for the console's header.
 */
import type { TemplatedApp } from 'uWebSockets.js';
import { CONSOLE_QUEUES } from '../../../client';
import type { ApiContext } from '../context';
import { defineRoute } from '../route';

export function registerSessionRoutes(app: TemplatedApp, ctx: ApiContext): void {
  defineRoute(app, ctx, {
    method: 'get',
    pattern: '/v1/session',
    roles: ['agent', 'customer'],
    async handle({ principal }) {
      const { temporal, gateway } = ctx.config;
      return {
        status: 200,
        body: {
          sub: principal.sub,
          role: principal.role,
          orgId: principal.orgId ?? null,
          dev: gateway.devIdentity,
          // The Temporal UI link is for agents only; customers have no business in the workflow history.
          temporal: principal.role === 'agent' ? { uiUrl: temporal.uiUrl, namespace: temporal.namespace } : null,
        },
      };
    },
  });

  defineRoute(app, ctx, {
    method: 'get',
    pattern: '/v1/queues',
    roles: ['agent'],
    async handle() {
      const counts = await ctx.tickets.countQueues();
      return { status: 200, body: { counts: Object.fromEntries(CONSOLE_QUEUES.map((q) => [q, counts[q] ?? 0])) } };
    },
  });
}
