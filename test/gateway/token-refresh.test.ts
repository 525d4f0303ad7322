/**
 * `POST /v1/session/refresh` (issue 13): a page swaps its access token before it expires, so its stream never
 * meets TOKEN_EXPIRED. The fresh token is the same principal with a new expiry, and a chain of refreshes ends
 * `SESSION_MAX_AGE` after the sign-in that began it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { consoleRoutes } from '../../gateway/api/register';
import { call } from '../api/http';
import { customerToken, gatewayPerFile, noTickets, type RunningGateway } from './harness';

let g: RunningGateway;
gatewayPerFile(
  {
    env: { ACCESS_TOKEN_TTL: '30s', SESSION_MAX_AGE: '60s', JWT_CLOCK_TOLERANCE: '1s' },
    deps: { registerRoutes: consoleRoutes({ tickets: noTickets, ui: false }) },
  },
  (started) => (g = started),
);

const refresh = (token: string) => call(g.url, 'POST', '/v1/session/refresh', { token });

void describe('token refresh', () => {
  void test('gives the same principal a fresh token that opens its ticket stream', async () => {
    const old = g.gw.auth.signAccessToken({ sub: 'cust-r', role: 'customer', orgId: 'acme', incidentId: 'T-1' }, 5_000);
    const a = await refresh(old);
    assert.equal(a.status, 200);
    const fresh = g.gw.auth.verifyAccessToken(String(a.body.token));
    const before = g.gw.auth.verifyAccessToken(old);
    assert.deepEqual(
      [fresh.sub, fresh.role, fresh.orgId, fresh.incidentId],
      [before.sub, before.role, before.orgId, before.incidentId],
    );
    assert.ok(Math.abs(fresh.expiresAt - (Date.now() + 30_000)) < 3_000, 'lives ACCESS_TOKEN_TTL');
    assert.equal(new Date(String(a.body.expiresAt)).getTime(), fresh.expiresAt);
    assert.equal(fresh.authTime, before.authTime, 'the sign-in time carries on');
    const minted = await call(g.url, 'POST', '/v1/ws-tickets', {
      token: String(a.body.token),
      body: { ticketId: 'T-1' },
    });
    assert.equal(minted.status, 201);
  });

  void test('a chain of refreshes ends SESSION_MAX_AGE after the sign-in', async () => {
    const signedIn = Math.floor(Date.now() / 1000) - 50;
    const late = g.gw.auth.signAccessToken({ sub: 'a-r', role: 'agent', authTime: signedIn }, 5_000);
    const a = await refresh(late);
    assert.equal(a.status, 200);
    const fresh = g.gw.auth.verifyAccessToken(String(a.body.token));
    assert.ok(Math.abs(fresh.expiresAt - (signedIn + 60) * 1000) <= 1_000, 'capped at auth_time + SESSION_MAX_AGE');
    const over = g.gw.auth.signAccessToken({ sub: 'a-r', role: 'agent', authTime: signedIn - 11 }, 5_000);
    assert.equal((await refresh(over)).status, 401);
  });

  void test('an expired token, a ws-ticket or no token gets no fresh one', async () => {
    const expired = g.gw.auth.signAccessToken({ sub: 'a-r', role: 'agent' }, 1_000);
    const wsTicket = (
      await call(g.url, 'POST', '/v1/ws-tickets', { token: customerToken(g, 'T-2'), body: { ticketId: 'T-2' } })
    ).body.ticket;
    assert.equal((await refresh(String(wsTicket))).status, 401);
    assert.equal((await call(g.url, 'POST', '/v1/session/refresh')).status, 401);
    // Signed for 1 s; the verifier allows JWT_CLOCK_TOLERANCE (1 s here) past it, and exp has whole seconds.
    await new Promise((r) => setTimeout(r, 3_200));
    assert.equal((await refresh(expired)).status, 401);
  });
});
