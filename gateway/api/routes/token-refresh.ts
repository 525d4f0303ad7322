/**
 * `POST /v1/session/refresh` with a valid access token -> `200 { token, expiresAt }`: the same principal
 * (subject, role, organisation, the ticket a customer token is bound to) with a fresh expiry, so the console
 * and the customer page swap their token before it expires and an open stream never meets TOKEN_EXPIRED.
 * A refreshed token lives `jwt.refresh.ttlMs`, and no chain of refreshes outlives `jwt.refresh.sessionMaxAgeMs` from
 * the sign-in that began it (carried on as `auth_time`), so a stolen token cannot be kept alive for ever.
 */
import type { TemplatedApp } from 'uWebSockets.js';
import type { ApiContext } from '../context';
import { ApiError } from '../errors';
import { defineRoute } from '../route';

/** Less than this left in the session: no new token (the page signs in again). */
const MIN_REFRESH_MS = 1_000;

export function registerTokenRefreshRoute(app: TemplatedApp, ctx: ApiContext): void {
  defineRoute(app, ctx, {
    method: 'post',
    pattern: '/v1/session/refresh',
    roles: ['agent', 'customer'],
    async handle({ principal }) {
      if (!ctx.auth.canSign) {
        throw new ApiError(501, 'this gateway verifies tokens but cannot sign them; refresh at the identity provider');
      }
      const now = Date.now();
      const { ttlMs: refreshTtlMs, sessionMaxAgeMs } = ctx.config.jwt.refresh;
      const authTime = principal.authTime ?? now;
      const expiresAt = Math.min(now + refreshTtlMs, authTime + sessionMaxAgeMs);
      if (expiresAt - now < MIN_REFRESH_MS) throw new ApiError(401, 'the session is over; sign in again');
      const token = ctx.auth.signAccessToken(
        {
          sub: principal.sub,
          subjectIsUserId: true,
          role: principal.role,
          orgId: principal.orgId,
          incidentId: principal.incidentId,
          authTime: Math.floor(authTime / 1000),
        },
        expiresAt - now,
      );
      ctx.logger.info('access token refreshed', { sub: principal.sub, role: principal.role });
      // The token's own expiry, in whole seconds, is what the page schedules its next refresh by.
      const exp = ctx.auth.verifyAccessToken(token).expiresAt;
      return { status: 200, body: { token, expiresAt: new Date(exp).toISOString() } };
    },
  });
}
