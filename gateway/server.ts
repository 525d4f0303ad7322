/**
 * Builds a gateway: the uWS app with the stream route, ws-tickets, health, readiness and metrics; the ticket
 * hub (fan-out); the Kafka consumer that feeds it; and the idle-session sweeper. Nothing is read from the
 * environment here: `main.ts` passes `config()`, tests and the benchmark pass their own config and snapshot
 * source, so a gateway can be started in-process on port 0.
 *
 * Lifecycle: created -> listening (`listen`) -> ready (consumer joined its group) -> draining (`stop`:
 * refuses new streams, closes sockets with 1001, disconnects the consumer) -> stopped. `stop()` is idempotent.
 *
 * @example In-process on port 0 (tests, the benchmark):
 * const gw = createGateway({ config: loadConfig({ ...process.env, JWT_SECRET: '<32+ bytes>' }), snapshots, topic, customerView: forCustomer });
 * const port = await gw.listen(0, '127.0.0.1');
 * await gw.waitReady();                       // the consumer joined and fetched once
 * const token = gw.auth.signAccessToken({ sub: 'bench', role: 'agent' }, 3_600_000);
 * // ws://127.0.0.1:<port>/v1/tickets/<id>/stream with `Authorization: Bearer <token>`
 * await gw.stop();
 * Without Kafka (`kafka: false`), `gw.deliver(event)` feeds the same fan-out directly.
 */
import * as uWS from 'uWebSockets.js';
import type { TemplatedApp, us_listen_socket } from 'uWebSockets.js';
import type { Config } from '../core/config';
import type { TicketEvent } from '../core/events';
import { createLogger, type Logger } from '../core/logger';
import type { JtiStore } from './auth/jti-store';
import { openJtiStore } from './auth/open-jti-store';
import { openRateLimits } from './limits/open-buckets';
import type { RateLimits } from './limits/rate-limits';
import { metricsAllowed } from './http/metrics-auth';
import { createJwtAuth, type JwtAuth } from './auth/jwt';
import { registerWsTicketRoute } from './auth/ws-ticket-route';
import { guardResponse, sendJson, sendText } from './http/respond';
import { createRecordConsumer, gatewayGroupId, type ConsumerStats, type RecordConsumer } from './kafka/consumer';
import { createGatewayMetrics, lagReporter, type GatewayMetrics } from './metrics';
import type { SnapshotSource } from './snapshot-source';
import type { Tracer } from '@opentelemetry/api';
import { TicketHub, type CustomerView } from './stream/hub';
import { createIngest } from './stream/ingest';
import { createRecordCheck } from './stream/record-bounds';
import { resyncOpenTickets } from './stream/resync';
import { registerStreamRoute } from './stream/route';
import { SnapshotFlights } from './stream/snapshot-flights';
import { sessionStatuses } from './stream/session-status';

export interface GatewayContext {
  config: Config;
  auth: JwtAuth;
  metrics: GatewayMetrics;
  logger: Logger;
  hub: TicketHub;
  limits: RateLimits;
  /** Tracing on (core/tracing.ts): a span per API request and per record fanned out. */
  tracer?: Tracer;
  /** True when the consumer runs and the instance is not draining. */
  isReady(): boolean;
  /** Also hands every event the fan-out gets to `listener` (the agents' queue stream). */
  tapEvents(listener: (event: TicketEvent) => void): void;
  /** Runs `fn` when the gateway drains, after its own sockets are closed. */
  onStop(fn: () => void): void;
  /** The streams' snapshots: the POST's first read seeds them (snapshot-flights.ts). */
  flights: SnapshotFlights;
}

export interface GatewayDeps {
  config: Config;
  snapshots: SnapshotSource;
  /** Kafka topic to consume; defaults to `config.kafka.ticketEventsTopic`. */
  topic?: string;
  /** Defaults to `config.gateway.instanceId`; names the consumer group. */
  instanceId?: string;
  /** `false` runs without Kafka (feed `gateway.deliver` yourself: the benchmark's raw ceiling). */
  kafka?: false;
  /** Another record consumer behind the same interface (the benchmark tries other Kafka clients with it). */
  createConsumer?: typeof createRecordConsumer;
  /** Plugs in more routes (the HTTP API, the static console) before the catch-all 404. */
  registerRoutes?: (app: TemplatedApp, ctx: GatewayContext) => void;
  logger?: Logger;
  tracer?: Tracer;
  jtis?: JtiStore;
  /**
   * What customers' sockets may see of an event (null hides it). Required, with no default: a gateway built
   * without it would show customers drafts and tool output (`forCustomer` in gateway/api/views.ts is the
   * product's).
   */
  customerView: CustomerView;
  /** Snapshot query timeout per connection (default 10 s). */
  snapshotTimeoutMs?: number;
  /** Collect Node process metrics too (main.ts turns it on; off in tests). */
  processMetrics?: boolean;
  /**
   * Other services /readyz reports beside Kafka, by name (main.ts: `temporal`). Each answers quickly (a cached
   * probe); any false makes the instance unready.
   */
  dependencies?: Record<string, () => Promise<boolean>>;
}

export interface Gateway {
  app: TemplatedApp;
  hub: TicketHub;
  auth: JwtAuth;
  metrics: GatewayMetrics;
  /** Binds to `host` (default config.gateway.host) and `port` (0 = any free port); resolves the actual port. */
  listen(port?: number, host?: string): Promise<number>;
  readonly ready: boolean;
  /** Resolves once the Kafka consumer has joined its group. */
  waitReady(timeoutMs?: number): Promise<void>;
  /** The Kafka consumer's counters (undefined without Kafka). */
  consumerStats(): ConsumerStats | undefined;
  /** Hands one event to the fan-out as if it came from Kafka (benchmark raw path, no-Kafka mode). */
  deliver(event: TicketEvent): void;
  stop(): Promise<void>;
}

export function createGateway(deps: GatewayDeps): Gateway {
  const cfg = deps.config;
  const instanceId = deps.instanceId ?? cfg.gateway.instanceId;
  const topic = deps.topic ?? cfg.kafka.ticketEventsTopic;
  const logger = deps.logger ?? createLogger('gateway', { instanceId });
  // Throws JwtConfigError without a secret/key: the gateway refuses to start rather than serve unauthenticated.
  const auth = createJwtAuth(cfg.jwt);
  // Shared by every instance (SQLite in the data dir, or WS_TICKET_DATABASE_URL): a ws-ticket opens one stream in all.
  const jtis = deps.jtis ?? openJtiStore(cfg);
  const metrics = createGatewayMetrics({ instanceId, defaultMetrics: deps.processMetrics });
  const app = uWS.App();
  const hub = new TicketHub({
    app,
    metrics,
    logger,
    maxBackpressureBytes: cfg.gateway.maxBackpressureBytes,
    customerView: deps.customerView,
    check: (h) =>
      createRecordCheck({ hub: h, snapshots: deps.snapshots, metrics, logger, timeoutMs: deps.snapshotTimeoutMs }),
  });
  const timeoutMs = deps.snapshotTimeoutMs ?? 10_000;
  const flights = new SnapshotFlights(hub, deps.snapshots, timeoutMs, metrics.snapshotQueries);
  let draining = false;
  let listenSocket: us_listen_socket | undefined;

  const taps: ((event: TicketEvent) => void)[] = [];
  const stopHooks: (() => void)[] = [];
  let consumerStarted = deps.kafka === false;
  const consumer: RecordConsumer | undefined =
    deps.kafka === false
      ? undefined
      : (deps.createConsumer ?? createRecordConsumer)({
          kafka: cfg.kafka,
          topic,
          groupId: gatewayGroupId(instanceId),
          handle: createIngest({ hub, metrics, logger, tracer: deps.tracer, taps }),
          logger: logger.child({ component: 'gateway-kafka' }),
          onReadyChange: (r) => {
            metrics.consumerReady.set(r ? 1 : 0);
            if (r) consumerStarted = true;
          },
          onFailure: () => metrics.consumerFailures.inc(),
          onLag: lagReporter(metrics),
          onGap: () => resyncOpenTickets({ hub, snapshots: deps.snapshots, logger, timeoutMs, flights }),
        });

  const isReady = () => !draining && listenSocket !== undefined && (consumer ? consumer.ready : true);
  const { limits, close: closeLimits } = openRateLimits(cfg, instanceId, (err) =>
    logger.warn('rate-limit store unavailable; request let through', { err }),
  );
  const ctx: GatewayContext = {
    ...{ config: cfg, auth, metrics, logger, hub, limits, isReady, tracer: deps.tracer, flights },
    tapEvents: (listener) => void taps.push(listener),
    onStop: (fn) => void stopHooks.push(fn),
  };

  app.get('/healthz', (res) => {
    sendJson(res, 200, { status: draining ? 'draining' : 'ok', instanceId });
  });
  app.get('/readyz', (res) => {
    guardResponse(res);
    const names = Object.keys(deps.dependencies ?? {});
    void Promise.all(names.map((n) => deps.dependencies![n]!().catch(() => false))).then((oks) => {
      const ready = isReady() && oks.every(Boolean);
      const states = Object.fromEntries(names.map((n, i) => [n, oks[i] ? 'ready' : 'not_ready']));
      const body = {
        ready,
        draining,
        kafka: consumer ? (consumer.ready ? 'ready' : 'not_ready') : 'disabled',
        ...states,
        sockets: hub.sockets,
      };
      sendJson(res, ready ? 200 : 503, body);
    });
  });
  app.get('/metrics', (res, req) => {
    if (!metricsAllowed(cfg.gateway.metricsToken, req.getHeader('authorization'))) {
      return void sendJson(
        res,
        401,
        { error: { code: 'unauthorized', message: 'metrics need the ops bearer token' } },
        { 'www-authenticate': 'Bearer' },
      );
    }
    let aborted = false;
    res.onAborted(() => (aborted = true));
    metrics.sockets.set(hub.sockets);
    metrics.subscriptions.set(hub.subscribedTickets());
    metrics.pendingConnections.set(hub.pendingCount());
    const counts = hub.sessionCounts();
    for (const s of sessionStatuses) metrics.sessions.set({ status: s }, counts[s]);
    void metrics.registry.metrics().then(
      (text) => {
        if (!aborted) sendText(res, 200, text, { 'content-type': metrics.registry.contentType });
      },
      (err: unknown) => {
        logger.error('metrics collection failed', { err });
        if (!aborted) sendText(res, 500, 'metrics collection failed\n');
      },
    );
  });

  registerWsTicketRoute(app, {
    auth,
    ttlMs: cfg.gateway.wsTicketTtlMs,
    heartbeatMs: Math.max(1_000, Math.floor(cfg.gateway.sessionTtlMs / 3)),
    logger,
    onAuthFailure: (reason) => metrics.authFailures.inc({ reason }),
  });
  const streamRoute = registerStreamRoute(app, {
    hub,
    auth,
    jtis,
    limits,
    flights,
    metrics,
    logger,
    maxPayloadBytes: cfg.gateway.maxPayloadBytes,
    maxBackpressureBytes: cfg.gateway.maxBackpressureBytes,
    pingIntervalMs: cfg.gateway.pingIntervalMs,
    compression: cfg.gateway.compression,
    isDraining: () => draining,
    isStarting: () => !consumerStarted,
  });
  deps.registerRoutes?.(app, ctx);
  app.any('/*', (res, req) => {
    // The routes answer GET and POST; a HEAD for any of them lands here and must not get a body.
    guardResponse(res).head = req.getMethod() === 'head';
    sendJson(res, 404, { error: { code: 'not_found', message: 'no such route' } });
  });

  // Sessions idle past their TTL are closed; checked a few times per TTL (bounded to 100 ms .. 5 s).
  const ttl = cfg.gateway.sessionTtlMs;
  const sweeper = setInterval(() => hub.closeIdle(ttl), Math.min(5_000, Math.max(100, Math.floor(ttl / 4)))).unref();
  // Once a second: a stream closes (TOKEN_EXPIRED) within about a second of its token's expiry.
  const expirySweeper = setInterval(() => hub.closeExpired(), 1_000).unref();

  let stopPromise: Promise<void> | undefined;

  return {
    app,
    hub,
    auth,
    metrics,
    listen(port = cfg.gateway.port, host = cfg.gateway.host) {
      return new Promise<number>((resolve, reject) => {
        app.listen(host, port, (socket) => {
          if (!socket) return reject(new Error(`gateway could not listen on ${host}:${port}`));
          listenSocket = socket;
          const actual = uWS.us_socket_local_port(socket);
          logger.info('gateway listening', { host, port: actual, topic, groupId: gatewayGroupId(instanceId) });
          consumer?.start();
          resolve(actual);
        });
      });
    },
    get ready() {
      return isReady();
    },
    waitReady(timeoutMs = 30_000) {
      return consumer ? consumer.waitReady(timeoutMs) : Promise.resolve();
    },
    consumerStats: () => consumer?.stats(),
    deliver(event) {
      hub.deliver(event);
      for (const tap of taps) tap(event);
    },
    stop() {
      stopPromise ??= (async () => {
        draining = true;
        logger.info('gateway draining', { sockets: hub.sockets });
        clearInterval(sweeper);
        clearInterval(expirySweeper);
        streamRoute.stop();
        if (listenSocket) uWS.us_listen_socket_close(listenSocket);
        listenSocket = undefined;
        hub.closeAll('GOING_AWAY');
        for (const fn of stopHooks) fn();
        await consumer?.stop();
        if (!deps.jtis)
          await jtis.close().catch((err: unknown) => logger.warn('ws-ticket store close failed', { err }));
        await closeLimits();
        logger.info('gateway stopped');
      })();
      return stopPromise;
    },
  };
}
