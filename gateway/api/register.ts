/**
 * The HTTP API of the gateway: `registerApiRoutes(app, ctx)` adds every /v1 route (except the WebSocket
 * stream and ws-tickets, which the gateway owns) to a uWS app. `consoleRoutes({ tickets })` is the
 * `registerRoutes` plug for createGateway: the API plus the built UI.
 */
import type { Tracer } from '@opentelemetry/api';
import type { TemplatedApp } from 'uWebSockets.js';
import type { Config } from '../../core/config';
import type { OutcomeReader } from '../../activities/memory/outcomes';
import { startQueueSampler } from './queue-sampler';
import type { Logger } from '../../core/logger';
import { registerStaticRoutes } from '../static/serve';
import type { RateLimits } from '../limits/rate-limits';
import type { ApiAuth, ApiContext, SopApprovals, TicketApiPort } from './context';
import { snapshotOf } from '../../client';
import type { SnapshotFlights } from '../stream/snapshot-flights';
import type { DeskStore } from '../desk/store';
import type { TicketEvent } from '../../core/events';
import { tellHolders } from '../desk/tell-holders';
import { watchDesk } from '../queue/desk-watch';
import { registerQueueStream } from '../queue/route';
import { createIdempotencyGuard, openIdempotencyGuard, type IdempotencyGuard } from '../idempotency/guard';
import { createMemoryKeyStore } from '../idempotency/key-store';
import { registerActionRoutes } from './routes/actions';
import { registerAnalyticsRoutes } from './routes/analytics';
import { registerDeskRoutes } from './routes/desk';
import { registerSessionRoutes } from './routes/session';
import { registerSopRoutes } from './routes/sops';
import { registerTicketRoutes } from './routes/tickets';
import { registerTokenRefreshRoute } from './routes/token-refresh';

export type { ApiContext, Principal, TicketApiPort } from './context';

export function registerApiRoutes(app: TemplatedApp, ctx: ApiContext): void {
  registerTicketRoutes(app, ctx);
  registerActionRoutes(app, ctx);
  registerSessionRoutes(app, ctx);
  registerTokenRefreshRoute(app, ctx);
  registerSopRoutes(app, ctx);
  registerDeskRoutes(app, ctx);
  registerAnalyticsRoutes(app, ctx);
}

export interface ConsoleRoutesOptions {
  tickets: TicketApiPort;
  /** Where the built UI is; defaults to ui/dist. */
  uiDistDir?: string;
  /** The SOP library's approvals (POST /v1/sops/:id/approve). */
  sops?: SopApprovals;
  /** Assignments and presence (gateway/desk). */
  desk?: DeskStore;
  /**
   * Finished tickets' outcomes and the queue samples for GET /v1/analytics (activities/memory/outcomes.ts); with
   * it the gateway samples the open queues every QUEUE_SAMPLE_INTERVAL.
   */
  outcomes?: Pick<OutcomeReader, 'figures' | 'queueSizes' | 'recordQueues' | 'sopUsage'>;
  /** Serve the UI too (default true). */
  ui?: boolean;
}

/** What consoleRoutes needs of the gateway (GatewayContext has it all; the hooks are optional for other apps). */
interface ConsoleGateway {
  config: Config;
  auth: ApiAuth;
  logger: Logger;
  limits?: RateLimits;
  tracer?: Tracer;
  tapEvents?: (listener: (event: TicketEvent) => void) => void;
  onStop?: (fn: () => void) => void;
  flights?: Pick<SnapshotFlights, 'seed'>;
}

/**
 * The agents' queue stream, where the gateway can feed it: status events from its Kafka fan-out, holders and
 * viewers from the desk store's changes.
 */
function liveQueue(app: TemplatedApp, gw: ConsoleGateway, desk: DeskStore | undefined) {
  if (!gw.tapEvents || !gw.onStop) return undefined;
  const logger = gw.logger.child({ component: 'queue-stream' });
  const stream = registerQueueStream(app, { auth: gw.auth, logger, limits: gw.limits });
  gw.tapEvents((event) => stream.event(event));
  const watch = desk ? watchDesk({ desk, publish: stream.publish, logger }) : undefined;
  gw.onStop(() => {
    watch?.stop();
    stream.closeAll();
  });
  return { deskChanged: () => watch?.poke() };
}

/** Tells the tickets the desk holds their holder, in the background (gateway/desk/tell-holders.ts says why). */
function sweepHolders(gw: ConsoleGateway, desk: DeskStore, tickets: TicketApiPort): void {
  const logger = gw.logger.child({ component: 'desk-holders' });
  let stopped = false;
  gw.onStop?.(() => (stopped = true));
  tellHolders({ desk, tickets, logger, stopped: () => stopped }).then(
    (r) => logger.info('desk holders told at start', { ...r }),
    (err: unknown) => logger.warn('desk holders not all told at start', { err: (err as Error).message }),
  );
}

/**
 * The Idempotency-Key store on the limits' database, closed with the gateway; an app that cannot say when it
 * stops gets one in memory (nothing to close).
 */
function idempotencyGuard(gw: ConsoleGateway, logger: Logger): IdempotencyGuard {
  if (!gw.onStop) return createIdempotencyGuard(createMemoryKeyStore(), gw.config.limits.idempotencyKeyTtlMs);
  const guard = openIdempotencyGuard(gw.config, (err) =>
    logger.warn('idempotency key store unavailable; request let through', { err: (err as Error).message }),
  );
  gw.onStop(() => void guard.close().catch(() => undefined));
  return guard;
}

/** The POST's first read of a ticket, which its streams opening next take as their snapshot (no query of their own). */
function firstState(flights: Pick<SnapshotFlights, 'seed'>, tickets: TicketApiPort) {
  return (ticketId: string) => flights.seed(ticketId, () => tickets.getState(ticketId), snapshotOf);
}

/** For `createGateway({ registerRoutes: consoleRoutes({ tickets }) })`. */
export function consoleRoutes(opts: ConsoleRoutesOptions) {
  return (app: TemplatedApp, gw: ConsoleGateway): void => {
    const logger = gw.logger.child({ component: 'gateway-api' });
    const live = liveQueue(app, gw, opts.desk);
    registerApiRoutes(app, {
      config: gw.config,
      auth: gw.auth,
      logger,
      tickets: opts.tickets,
      limits: gw.limits,
      idempotency: idempotencyGuard(gw, logger),
      ...(gw.flights ? { firstState: firstState(gw.flights, opts.tickets) } : {}),
      tracer: gw.tracer,
      ...(opts.sops ? { sops: opts.sops } : {}),
      ...(opts.desk ? { desk: opts.desk } : {}),
      ...(opts.outcomes ? { outcomes: opts.outcomes } : {}),
      ...(live ? { deskChanged: live.deskChanged } : {}),
    });
    if (opts.desk) sweepHolders(gw, opts.desk, opts.tickets);
    if (opts.outcomes && gw.onStop)
      gw.onStop(
        startQueueSampler({
          countQueues: () => opts.tickets.countQueues(),
          samples: opts.outcomes,
          intervalMs: gw.config.gateway.queueSampleMs,
          logger: gw.logger.child({ component: 'queue-sampler' }),
        }),
      );
    if (opts.ui !== false) registerStaticRoutes(app, { distDir: opts.uiDistDir, logger });
  };
}
