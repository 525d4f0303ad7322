/**
 * The gateway process: config from the environment, the real ticket client (Temporal) as the snapshot
 * source and behind the HTTP API, the console's static UI, and a graceful drain on SIGTERM/SIGINT.
 * `npm run gateway`.
 */
import { createKnowledgeBase, openSopStore } from '../activities/knowledge';
import { connectTicketClient } from '../client';
import { config } from '../core/config';
import { createLogger } from '../core/logger';
import { startTracing } from '../core/tracing';
import { devIdentityBanner, devIdentityLinks } from './api/dev-identity';
import { consoleRoutes } from './api/register';
import { forCustomer } from './api/views';
import { JwtConfigError, loadJwtKeys } from './auth/keys';
import { openOutcomeReader } from '../activities/memory/outcomes';
import { openDeskStore } from './desk/open';
import { createGateway, type Gateway } from './server';

const log = createLogger('gateway-main');

async function main(): Promise<void> {
  const cfg = config();
  try {
    // Before anything connects: without a key to verify tokens the gateway must not start at all.
    loadJwtKeys(cfg.jwt);
  } catch (err) {
    if (!(err instanceof JwtConfigError)) throw err;
    process.stderr.write(`ticketflow gateway: ${err.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  let gateway: Gateway;
  // Off unless OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_TRACES_EXPORTER say otherwise (core/config-tracing.ts).
  const tracing = startTracing(cfg.tracing, 'gateway');
  // Counted into the gateway's metrics, which exist once the gateway is built (below, before any await).
  let countCall: (method: string) => void = () => undefined;
  // Lazy: the gateway comes up while Temporal is down, says so on /readyz and answers 503 until it is back.
  const tickets = connectTicketClient(cfg, tracing?.tracer, (method) => countCall(method));
  const temporalProbe = tickets.probe();
  // The same store the workers read (SQLite in the data dir, or SOP_DATABASE_URL): an approval here re-indexes them.
  const sopStore = openSopStore(cfg);
  const desk = openDeskStore(cfg);
  // The memory database the workers write finished tickets' outcomes to (the analytics' CSAT and review time).
  const outcomes = openOutcomeReader({ dataDir: cfg.dataDir, databaseUrl: cfg.memory.databaseUrl });
  try {
    gateway = createGateway({
      config: cfg,
      snapshots: tickets,
      customerView: forCustomer,
      processMetrics: true,
      tracer: tracing?.tracer,
      registerRoutes: consoleRoutes({
        tickets,
        sops: createKnowledgeBase({
          sopsDir: cfg.knowledge.sopsDir,
          store: sopStore,
          scoreFloor: cfg.knowledge.scoreFloor,
        }),
        desk,
        outcomes,
      }),
      dependencies: { temporal: () => temporalProbe.check() },
    });
  } catch (err) {
    if (err instanceof JwtConfigError) {
      process.stderr.write(`ticketflow gateway: ${err.message}\n`);
      await tickets.disconnect();
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }

  const { temporalCalls } = gateway.metrics;
  countCall = (method) => temporalCalls.inc({ method });
  const port = await gateway.listen(cfg.gateway.port, cfg.gateway.host);
  const url = cfg.gateway.publicUrl.replace(/:\d+$/, `:${port}`);
  log.info('gateway up', {
    url,
    temporal: cfg.temporal.address,
    kafka: cfg.kafka.brokers.join(','),
    topic: cfg.kafka.ticketEventsTopic,
  });
  const devLinks = devIdentityLinks(cfg, gateway.auth);
  if (devLinks) {
    log.warn('DEV_IDENTITY is on: the console hands out dev tokens; never enable it in production', {
      console: `${url}/`,
    });
    // stdout, not the log: `npm run up` relays it, and the tokens must not land in log files.
    process.stdout.write(`${devIdentityBanner(devLinks, url)}\n`);
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    void gateway
      .stop()
      .then(() => tickets.disconnect())
      .then(() => sopStore.close())
      .then(() => desk.close())
      .then(() => outcomes.close())
      .then(() => tracing?.shutdown())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          log.error('shutdown failed', { err });
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  log.error('gateway failed to start', { err });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100).unref();
});
