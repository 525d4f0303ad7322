/**
 * `GET /v1/queue/stream`: the agents' queue as a WebSocket. Every open console gets each change (a ticket's
 * status event off Kafka, a holder or a viewer from the desk store) as one frame, through one uWS topic, so
 * a new or moved ticket shows without polling. Agents only; the token comes as for the ticket stream
 * (`Authorization: Bearer`, or the `bearer.<jwt>` subprotocol from a browser), never in the URL. No history:
 * a console that connects (or reconnects) reloads what it shows first. Queue sockets count in the principal's
 * open-stream cap with its ticket streams (MAX_STREAMS_PER_PRINCIPAL) and spend its stream-open budget
 * (RATE_LIMIT_STREAMS): over either, 429 with Retry-After before the upgrade. Both live in the shared store,
 * so the upgrade is asynchronous, as the ticket stream's (gateway/stream/route.ts states uWS's rules for it).
 */
import * as uWS from 'uWebSockets.js';
import type { HttpRequest, HttpResponse, TemplatedApp, us_socket_context_t, WebSocket } from 'uWebSockets.js';
import type { QueueFrame } from '../../core/desk';
import type { TicketEvent } from '../../core/events';
import type { Logger } from '../../core/logger';
import { AuthError } from '../auth/errors';
import type { JwtAuth } from '../auth/jwt';
import { bearerCredential } from '../auth/stream-credentials';
import { CloseCode, CloseReason } from '../close-codes';
import { lateUpgrader } from '../http/late-upgrade';
import { guardResponse, sendError } from '../http/respond';
import { RateLimited, type RateLimits } from '../limits/rate-limits';
import { ticketFrame } from './frames';

export const QUEUE_STREAM_ROUTE = '/v1/queue/stream';
const TOPIC = 'queue';
/** A console that falls this far behind is closed; it reconnects and reloads (uWS closes it, never skips). */
const MAX_BACKPRESSURE_BYTES = 1024 * 1024;
const EXPIRY_SWEEP_MS = 1_000;
/**
 * Consoles only listen, so any inbound frame is noise; one over this closes with 1009 as on the ticket
 * stream. uWS's own limit sits 4x above it because past its own limit uWS drops the connection without a
 * close frame (1006), which a console cannot tell from a network cut.
 */
export const QUEUE_MAX_INBOUND_BYTES = 1024;

interface QueueSocketData {
  connId: number;
  sub: string;
  expiresAt: number;
  /** Its slot in the principal's open-stream cap (none without limits). */
  leaseId: string | undefined;
}

let nextConnId = 1;

export interface QueueStream {
  /** One frame to every console. */
  publish(frame: QueueFrame): void;
  /** A Kafka event: queue-worthy ones (status) go out. */
  event(event: TicketEvent): void;
  readonly sockets: number;
  /** Closes every console with 1001 (the instance is draining). */
  closeAll(): void;
}

export function registerQueueStream(
  app: TemplatedApp,
  o: {
    auth: Pick<JwtAuth, 'verifyAccessToken'>;
    logger: Logger;
    isDraining?: () => boolean;
    limits?: Pick<RateLimits, 'openStream' | 'closeStream' | 'consume'>;
  },
): QueueStream {
  const open = new Set<WebSocket<QueueSocketData>>();
  // Token expiry: swept while anyone is connected.
  const sweeper = setInterval(() => {
    const t = Date.now();
    for (const ws of open)
      if (ws.getUserData().expiresAt <= t) ws.end(CloseCode.TOKEN_EXPIRED, CloseReason.TOKEN_EXPIRED);
  }, EXPIRY_SWEEP_MS);
  sweeper.unref();
  const late = lateUpgrader();

  function upgrade(res: HttpResponse, req: HttpRequest, context: us_socket_context_t): void {
    const life = guardResponse(res);
    const secKey = req.getHeader('sec-websocket-key');
    const extensions = req.getHeader('sec-websocket-extensions');
    const creds = { authorization: req.getHeader('authorization'), protocols: req.getHeader('sec-websocket-protocol') };
    if (o.isDraining?.())
      return void sendError(res, 503, 'draining', 'gateway is shutting down; retry another instance');
    // Bearer tokens only (no single-use ticket to spend in a store): a bad token is answered in this tick.
    let bearer: ReturnType<typeof bearerCredential>;
    try {
      bearer = bearerCredential(o.auth, creds);
      if (!bearer) throw new AuthError('missing');
    } catch (err) {
      const status = err instanceof AuthError ? err.status : 401;
      const message = err instanceof AuthError ? err.publicMessage : 'invalid or expired token';
      return void sendError(res, status, 'unauthorized', message, { 'www-authenticate': 'Bearer' });
    }
    if (bearer.principal.role !== 'agent') {
      return void sendError(res, 403, 'forbidden', 'the queue stream is for agents');
    }
    const { principal, protocol } = bearer;
    let leaseId: string | undefined;
    let upgraded = false;
    void (async () => {
      // The slot first: a refusal at the cap does not spend the open budget.
      leaseId = await o.limits?.openStream(principal.sub);
      await o.limits?.consume('streams', principal.sub);
    })()
      .then(
        () => {
          if (life.aborted) return;
          if (o.isDraining?.()) return void sendError(res, 503, 'draining', 'gateway is shutting down; retry');
          const data = { connId: nextConnId++, sub: principal.sub, expiresAt: principal.sessionExpiresAt, leaseId };
          life.answered = upgraded = true;
          late.upgrade(res, data, secKey, protocol, extensions, context);
        },
        (err: unknown) => refuse(err, principal.sub),
      )
      // Every way but the upgrade gives the reserved slot back; after it, the socket's close does.
      .finally(() => !upgraded && leaseId !== undefined && o.limits?.closeStream(leaseId));

    function refuse(err: unknown, sub: string): void {
      if (err instanceof RateLimited) {
        o.logger.info('queue stream refused: over a limit', { sub, limit: err.limit });
        return void sendError(res, 429, 'rate_limited', err.message, { 'retry-after': String(err.retryAfterSec) });
      }
      o.logger.error('queue stream open failed', { sub, err });
      sendError(res, 503, 'unavailable', 'cannot open the queue stream right now; retry shortly', {
        'retry-after': '2',
      });
    }
  }

  app.ws<QueueSocketData>(QUEUE_STREAM_ROUTE, {
    compression: uWS.DISABLED,
    maxPayloadLength: QUEUE_MAX_INBOUND_BYTES * 4,
    maxBackpressure: MAX_BACKPRESSURE_BYTES,
    closeOnBackpressureLimit: 1,
    // uWS pings an idle console itself; a browser answers by protocol.
    idleTimeout: 60,
    sendPingsAutomatically: true,
    upgrade,
    open: (ws) => {
      open.add(ws);
      ws.subscribe(TOPIC);
      o.logger.debug('queue stream opened', { sub: ws.getUserData().sub });
    },
    // Consoles only listen; anything they send is ignored, past the limit refused with the documented code.
    message: (ws, message) => {
      if (message.byteLength > QUEUE_MAX_INBOUND_BYTES) ws.end(CloseCode.MESSAGE_TOO_BIG, CloseReason.MESSAGE_TOO_BIG);
    },
    close: (ws, code) => {
      open.delete(ws);
      const d = ws.getUserData();
      if (d.leaseId !== undefined) o.limits?.closeStream(d.leaseId);
      if (late.droppedInUpgrade(d.connId)) o.logger.warn('uWS shut the queue socket in its upgrade', { sub: d.sub });
      o.logger.debug('queue stream closed', { sub: d.sub, code });
    },
  });

  const publish = (frame: QueueFrame) => {
    if (open.size > 0) app.publish(TOPIC, JSON.stringify(frame), false);
  };
  return {
    publish,
    event(event) {
      const frame = ticketFrame(event);
      if (frame) publish(frame);
    },
    get sockets() {
      return open.size;
    },
    closeAll() {
      clearInterval(sweeper);
      for (const ws of [...open]) ws.end(CloseCode.GOING_AWAY, CloseReason.GOING_AWAY);
    },
  };
}
