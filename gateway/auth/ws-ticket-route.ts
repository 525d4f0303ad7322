/**
 * `POST /v1/ws-tickets` `{ "ticketId": "..." }` with a valid access token -> `201 { ticket, expiresAt, ticketId, heartbeatMs }`.
 * The ticket is a short-lived single-use JWT for `GET /v1/tickets/:id/stream?token=...`, bound to one ticket,
 * so a browser never has to put its long-lived token in a URL.
 */
import type { TemplatedApp } from 'uWebSockets.js';
import { z } from 'zod';
import type { Logger } from '../../core/logger';
import { ticketIdSchema } from '../../core/events';
import {
  acceptsAsJson,
  asyncRoute,
  HttpError,
  parseContentLength,
  parseJsonBody,
  readBody,
  sendError,
  sendJson,
} from '../http/respond';
import { authorizeTicket } from './authorize';
import { AuthError, type AuthFailureReason } from './errors';
import type { JwtAuth } from './jwt';

// Strict and JSON-typed as every API body is (gateway/api/route.ts): `{"ticketId": "..", "ticket_id": ".."}`
// or a text/plain form post was taken and minted.
const bodySchema = z.strictObject({ ticketId: ticketIdSchema });

export interface WsTicketRouteDeps {
  auth: JwtAuth;
  ttlMs: number;
  /** How often a client should say it is alive to stay under the session TTL (sent back to it). */
  heartbeatMs: number;
  logger: Logger;
  onAuthFailure?: (reason: AuthFailureReason) => void;
}

export function registerWsTicketRoute(app: TemplatedApp, deps: WsTicketRouteDeps): void {
  app.post(
    '/v1/ws-tickets',
    asyncRoute(
      async (res, req) => {
        // In the API's order: a body over the limit is 413 first, then the content type, then the JSON.
        const raw = await readBody(res, 4096, parseContentLength(req.header('content-length')));
        if (!acceptsAsJson(req.header('content-type')))
          throw new HttpError(415, 'unsupported_media_type', 'Content-Type must be application/json');
        const parsed = bodySchema.safeParse(parseJsonBody(raw));
        if (!parsed.success) throw new HttpError(400, 'bad_request', 'body must be {"ticketId": "<ticket id>"}');
        const { ticketId } = parsed.data;
        try {
          const m = /^Bearer\s+(\S+)\s*$/i.exec(req.header('authorization'));
          if (!m?.[1]) throw new AuthError('missing');
          const principal = deps.auth.verifyAccessToken(m[1]);
          authorizeTicket(principal, ticketId);
          const minted = deps.auth.mintWsTicket(principal, ticketId, deps.ttlMs);
          deps.logger.info('ws-ticket minted', { ticketId, sub: principal.sub, role: principal.role });
          sendJson(res, 201, {
            ticket: minted.ticket,
            expiresAt: new Date(minted.expiresAt).toISOString(),
            ticketId,
            heartbeatMs: deps.heartbeatMs,
          });
        } catch (err) {
          if (!(err instanceof AuthError)) throw err;
          deps.onAuthFailure?.(err.reason);
          deps.logger.warn('ws-ticket refused', { ticketId, reason: err.reason });
          sendError(
            res,
            err.status,
            err.reason,
            err.publicMessage,
            err.status === 401 ? { 'www-authenticate': 'Bearer' } : {},
          );
        }
      },
      { onError: (err) => deps.logger.error('ws-ticket route failed', { err }) },
    ),
  );
}
