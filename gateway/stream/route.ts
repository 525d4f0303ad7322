/**
 * `GET /v1/tickets/:id/stream`: a WebSocket, opened only after auth and the ticket's snapshot.
 *
 * uWS rules for an asynchronous upgrade, all applied here: everything needed from `req` (headers, the
 * parameter, the query) is copied in the first tick, because the request dies with the callback; an abort
 * handler is attached before the first await, because returning without one terminates the process; the
 * upgrade (or the refusal) is written inside `cork`, and only if the client is still there.
 *
 * Refusals are plain HTTP answers before the upgrade: 400 (bad ticket id or since), 401 (bad token),
 * 403 (a valid token for another ticket), 404 (no such ticket), 503 (draining, snapshot unavailable).
 */
import * as uWS from 'uWebSockets.js';
import type { HttpRequest, HttpResponse, TemplatedApp, us_socket_context_t } from 'uWebSockets.js';
import { ticketIdSchema } from '../../core/events';
import type { Logger } from '../../core/logger';
import { authorizeTicket } from '../auth/authorize';
import { CloseCode, CloseReason } from '../close-codes';
import { AuthError } from '../auth/errors';
import type { JtiStore } from '../auth/jti-store';
import type { JwtAuth, Principal } from '../auth/jwt';
import { authenticateStream } from '../auth/stream-credentials';
import { RateLimited, type RateLimits } from '../limits/rate-limits';
import { lateUpgrader } from '../http/late-upgrade';
import { guardResponse, safeDecode, sendError } from '../http/respond';
import type { GatewayMetrics } from '../metrics';
import type { TicketSnapshot } from '../snapshot-source';
import { pongFrame } from './frames';
import { idleTimeoutSeconds, SpreadPinger, uwsPingSlots } from './pinger';
import { START } from './position';
import type { PendingConnection, StreamSocketData, TicketHub } from './hub';
import type { SnapshotFlights } from './snapshot-flights';

export interface StreamRouteOptions {
  hub: TicketHub;
  auth: JwtAuth;
  jtis: JtiStore;
  limits: RateLimits;
  /** Where a stream's snapshot comes from: one query per ticket at a time (snapshot-flights.ts). */
  flights: SnapshotFlights;
  metrics: GatewayMetrics;
  logger: Logger;
  maxPayloadBytes: number;
  maxBackpressureBytes: number;
  pingIntervalMs: number;
  compression: boolean;
  isDraining(): boolean;
  /**
   * True until the Kafka consumer has its start offsets: a stream opened before that could get a snapshot
   * older than the consumer's starting point and silently miss what lies between.
   */
  isStarting(): boolean;
}

export const STREAM_ROUTE = '/v1/tickets/:id/stream';

let nextConnId = 1;

/** Room above the configured limit before uWS itself closes a socket (see maxBackpressure below). */
const BACKSTOP_HEADROOM_BYTES = 4 * 1024 * 1024;

export interface StreamRoute {
  /** Stops the pings (the sockets themselves are closed by the hub). */
  stop(): void;
}

export function registerStreamRoute(app: TemplatedApp, o: StreamRouteOptions): StreamRoute {
  const pinger = new SpreadPinger(o.pingIntervalMs, uwsPingSlots<StreamSocketData>());
  pinger.start();
  const late = lateUpgrader();

  function refuse(
    res: HttpResponse,
    status: number,
    code: string,
    message: string,
    outcome: string,
    headers: Record<string, string> = {},
  ): void {
    o.metrics.upgrades.inc({ outcome });
    sendError(res, status, code, message, headers);
  }

  function upgrade(res: HttpResponse, req: HttpRequest, context: us_socket_context_t): void {
    // First tick: copy everything out of req, attach the abort handler.
    const life = guardResponse(res);
    const rawId = req.getParameter(0) ?? '';
    const secKey = req.getHeader('sec-websocket-key');
    const secExtensions = req.getHeader('sec-websocket-extensions');
    const creds = {
      authorization: req.getHeader('authorization'),
      protocols: req.getHeader('sec-websocket-protocol'),
      queryToken: req.getQuery('token') ?? '',
    };
    const sinceRaw = req.getQuery('since') ?? '';

    if (o.isDraining())
      return refuse(res, 503, 'draining', 'gateway is shutting down; retry another instance', 'draining');
    if (o.isStarting())
      return refuse(res, 503, 'starting', 'gateway is starting; retry in a moment', 'starting', { 'retry-after': '1' });
    const idParsed = ticketIdSchema.safeParse(safeDecode(rawId));
    if (!idParsed.success)
      return refuse(res, 400, 'bad_ticket_id', 'ticket ids are letters, digits, _ and -', 'bad_request');
    const ticketId = idParsed.data;
    const since = sinceRaw === '' ? 0 : Number(sinceRaw);
    if (!Number.isSafeInteger(since) || since < 0)
      return refuse(res, 400, 'bad_since', 'since must be a whole number >= 0', 'bad_request');

    // Asynchronous: a ws-ticket's single use and the principal's stream slots are kept in the shared store.
    let principal: Principal | undefined;
    let leaseId: string | undefined;
    let upgraded = false;
    void authenticateStream(o.auth, o.jtis, creds)
      .then(async (result) => {
        principal = result.principal;
        authorizeTicket(result.principal, ticketId);
        leaseId = await o.limits.openStream(result.principal.sub);
        await o.limits.consume('streams', result.principal.sub);
        return result;
      })
      .then(
        (result) => {
          if (life.aborted) return void o.metrics.upgrades.inc({ outcome: 'aborted' });
          return authenticated(result.principal, result.protocol);
        },
        (err: unknown) => refuseAuth(err),
      )
      // Every way but the upgrade gives the reserved slot back; after it, the socket's close does.
      .finally(() => !upgraded && leaseId !== undefined && o.limits.closeStream(leaseId));

    function refuseAuth(err: unknown): void {
      if (err instanceof RateLimited) {
        o.logger.info('stream refused: over a limit', { ticketId, sub: principal?.sub, limit: err.limit });
        return refuse(res, 429, 'rate_limited', err.message, 'rate_limited', {
          'retry-after': String(err.retryAfterSec),
        });
      }
      if (!(err instanceof AuthError)) {
        // The used-ticket store did not answer: refuse rather than let a ws-ticket be replayed.
        o.logger.error('stream auth failed unexpectedly', { ticketId, err });
        return refuse(res, 503, 'auth_unavailable', 'cannot check the token right now; retry shortly', 'error', {
          'retry-after': '2',
        });
      }
      o.metrics.authFailures.inc({ reason: err.reason });
      if (err.reason === 'forbidden') {
        o.logger.warn('stream refused: token is for another ticket', {
          ticketId,
          sub: principal?.sub,
          role: principal?.role,
          tokenTicket: principal?.incidentId,
        });
      } else {
        o.logger.info('stream refused: bad token', { ticketId, reason: err.reason });
      }
      return refuse(
        res,
        err.status,
        err.reason,
        err.publicMessage,
        `auth_${err.status}`,
        err.status === 401 ? { 'www-authenticate': 'Bearer' } : {},
      );
    }

    function authenticated(caller: Principal, protocol: string): Promise<void> {
      // Buffer the ticket's live records from now on, then ask for the snapshot (or join the query in flight).
      const { pending, snapshot: answer } = o.flights.open(ticketId);
      return answer.then(
        (snapshot) => finish(caller, protocol, pending, snapshot, undefined),
        (err: unknown) => finish(caller, protocol, pending, undefined, err),
      );
    }

    function finish(
      caller: Principal,
      protocol: string,
      pending: PendingConnection,
      snapshot: TicketSnapshot | null | undefined,
      err: unknown,
    ): void {
      const user = { sub: caller.sub, role: caller.role };
      if (life.aborted) {
        // The client left during the snapshot query: nothing may be written to res now.
        o.hub.cancelPending(pending);
        o.metrics.upgrades.inc({ outcome: 'aborted' });
        o.logger.debug('client left before the upgrade', { ticketId });
        return;
      }
      if (err !== undefined || snapshot === undefined) {
        o.hub.cancelPending(pending);
        o.logger.warn('snapshot unavailable; stream refused', { ticketId, err: (err as Error | undefined)?.message });
        return refuse(
          res,
          503,
          'snapshot_unavailable',
          'the ticket state is unavailable; retry shortly',
          'snapshot_error',
          { 'retry-after': '2' },
        );
      }
      if (snapshot === null) {
        o.hub.cancelPending(pending);
        return refuse(res, 404, 'ticket_not_found', `no ticket ${ticketId}`, 'not_found');
      }
      try {
        // The same check as the HTTP API's, now that the ticket's owner is known.
        authorizeTicket(caller, ticketId, snapshot.owner);
      } catch (authErr) {
        o.hub.cancelPending(pending);
        o.logger.warn('stream refused: the ticket belongs to someone else', { ticketId, sub: caller.sub });
        return refuse(res, 403, 'forbidden', (authErr as AuthError).publicMessage ?? 'forbidden', 'auth_403');
      }
      if (o.isDraining() || pending.overflowed) {
        o.hub.cancelPending(pending);
        return refuse(res, 503, 'unavailable', 'gateway busy or shutting down; retry', 'draining');
      }
      const now = Date.now();
      const data: StreamSocketData = {
        connId: nextConnId++,
        // Agents watch everything; a customer (or a customer's ws-ticket) gets the customer view.
        audience: user.role === 'agent' ? 'agent' : 'customer',
        ticketId,
        ...user,
        since,
        pending,
        snapshot,
        position: START,
        connectedAt: now,
        lastInboundAt: now,
        expiresAt: caller.sessionExpiresAt,
        closing: false,
        leaseId: leaseId!,
      };
      life.answered = upgraded = true;
      o.metrics.upgrades.inc({ outcome: 'upgraded' });
      late.upgrade(res, data, secKey, protocol, secExtensions, context);
    }
  }

  app.ws<StreamSocketData>(STREAM_ROUTE, {
    compression: o.compression ? uWS.SHARED_COMPRESSOR : uWS.DISABLED,
    // Headroom above our limit, so a frame over it gets the documented 1009 from us (message below); uWS
    // itself drops the connection without a close frame (1006) past this.
    maxPayloadLength: o.maxPayloadBytes * 4,
    // Our own check closes a socket at maxBackpressureBytes with SLOW_CONSUMER. uWS queues published messages
    // and writes them at the end of the loop iteration, so the check sees the buffer one Kafka batch late;
    // uWS's own limit sits a fetch's worth (1 MiB per partition) above ours as a backstop, and closing (not
    // silently skipping) there keeps a slow socket from ever seeing a gap.
    maxBackpressure: o.maxBackpressureBytes + BACKSTOP_HEADROOM_BYTES,
    closeOnBackpressureLimit: 1,
    idleTimeout: idleTimeoutSeconds(o.pingIntervalMs),
    sendPingsAutomatically: false,
    upgrade,
    open: (ws) => {
      const d = ws.getUserData();
      try {
        o.hub.attach(ws);
        // attach() may already have ended the socket (a closed ticket's snapshot): its close handler
        // has run, so it must not join the pings.
        if (!d.closing) pinger.add(ws);
        o.logger.debug('stream opened', { ticketId: d.ticketId, sub: d.sub, since: d.since, connId: d.connId });
      } catch (err) {
        o.logger.error('stream open failed', { ticketId: d.ticketId, err });
        if (!d.closing) {
          d.closing = true;
          ws.end(CloseCode.INTERNAL_ERROR, CloseReason.INTERNAL_ERROR);
        }
      }
    },
    message: (ws, message) => {
      const d = ws.getUserData();
      d.lastInboundAt = Date.now();
      if (message.byteLength > o.maxPayloadBytes) return ws.end(CloseCode.MESSAGE_TOO_BIG, CloseReason.MESSAGE_TOO_BIG);
      // The only client message is an application-level ping (activity for the session TTL).
      if (message.byteLength < 64 && Buffer.from(message).toString('utf8').includes('"ping"')) ws.send(pongFrame());
    },
    close: (ws, code) => {
      const d = ws.getUserData();
      pinger.remove(ws);
      o.limits.closeStream(d.leaseId);
      try {
        o.hub.detach(ws);
      } catch (err) {
        o.logger.error('stream detach failed', { ticketId: d.ticketId, err });
      }
      o.metrics.closes.inc({ code: String(code) });
      if (late.droppedInUpgrade(d.connId)) {
        o.metrics.upgradeDrops.inc();
        o.logger.warn('uWS shut the socket in its upgrade', { ticketId: d.ticketId });
      }
      const { ticketId, sub, connId, closeReason: reason } = d;
      o.logger.debug('stream closed', { ticketId, sub, code, connId, reason });
    },
  });
  return { stop: () => pinger.stop() };
}
