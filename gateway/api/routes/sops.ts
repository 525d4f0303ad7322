/**
 * The SOP library's gate: an SOP a person provided for one ticket enters the library for everyone only
 * when another agent approves it here. Agents only; the author's own approval is refused (409). GET /v1/sops
 * lists the whole library with every provided SOP's versions, for the console's library page, each SOP (a
 * provided one per version) with the newest finished tickets that used it.
 */
import type { TemplatedApp } from 'uWebSockets.js';
import { withUsage } from '../../../activities/knowledge/library';
import type { ApiContext } from '../context';
import { ApiError } from '../errors';
import { defineRoute } from '../route';

/** "human-x" (its latest version) or "human-x@2". */
const SOP_ID = /^[a-z0-9][a-z0-9-]{0,79}(?:@\d{1,6})?$/;

export function registerSopRoutes(app: TemplatedApp, ctx: ApiContext): void {
  defineRoute(app, ctx, {
    method: 'get',
    pattern: '/v1/sops',
    roles: ['agent'],
    async handle() {
      if (!ctx.sops) throw new ApiError(503, 'the SOP library is not connected to this gateway');
      const [sops, usage] = await Promise.all([ctx.sops.listSops(), ctx.outcomes?.sopUsage()]);
      return { status: 200, body: { sops: usage ? withUsage(sops, usage) : sops } };
    },
  });

  defineRoute(app, ctx, {
    method: 'post',
    pattern: '/v1/sops/:id/approve',
    roles: ['agent'],
    params: 1,
    async handle({ principal, params }) {
      const id = decodeURIComponent(params[0] ?? '');
      if (!SOP_ID.test(id)) throw new ApiError(400, 'an SOP id like human-some-title or human-some-title@2');
      if (!ctx.sops) throw new ApiError(503, 'the SOP library is not connected to this gateway');
      const sop = await ctx.sops.approveSop(id, principal.sub);
      ctx.logger.info('SOP approved', { sopId: sop.id, approver: principal.sub });
      return {
        status: 200,
        body: { approved: true, sop: { id: sop.id, title: sop.title, topic: sop.topic }, by: principal.sub },
      };
    },
  });
}
