/**
 * The ticket worker: polls the configured task queue, runs ticket workflows and their activities wired to
 * the real parts (intelligence: model, stores, SOPs; Kafka publisher). Uses the prebuilt workflow bundle in
 * production (`npm run build:workflows`) and bundles from source otherwise. SIGINT/SIGTERM drain it: no new
 * tasks, running activities get the grace time, then the clients close.
 */
import fs from 'node:fs';
import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from './activities';
import { createKafkaPublisher, type EventPublisher } from './activities/events';
import { createIntelligence } from './activities/intelligence';
import type { Intelligence } from './activities/ports';
import { config, type Config } from './core/config';
import { createLogger } from './core/logger';
import { startTracing, type Tracing } from './core/tracing';
import { createWorkerMetrics, proposalSinks } from './worker-ops/metrics';
import { installSdkMetrics } from './worker-ops/sdk-metrics';
import { bundleMatchesSources } from './worker-ops/bundle-sources';
import { WORKFLOW_PRELOAD_MODULES } from './worker-ops/preload';
import { startOpsServer, type OpsServer } from './worker-ops/server';
import { WORKFLOW_INTERCEPTOR_MODULE, workerTracing } from './worker-ops/tracing';

const log = createLogger('worker');

/** Where `npm run build:workflows` writes the bundle. */
export const WORKFLOW_BUNDLE_PATH = path.join(__dirname, 'dist', 'workflow-bundle.js');

export type WorkerState = 'starting' | 'ready' | 'draining' | 'stopped';

/**
 * The prebuilt bundle in production (required there), or in development when it was built from the workflow
 * sources as they are now (worker-ops/bundle-sources.ts); otherwise the workflows folder, bundled at start, so
 * an edit is never masked by a stale build.
 */
export function workflowSource(
  cfg: Config,
  bundlePath = WORKFLOW_BUNDLE_PATH,
  sourcesRoot = __dirname,
): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const workflowsDir = path.join(sourcesRoot, 'workflows');
  if (cfg.env === 'production') {
    if (!fs.existsSync(bundlePath))
      throw new Error(
        `no prebuilt workflow bundle at ${bundlePath}: run \`npm run build:workflows\` before starting in production`,
      );
    return { workflowBundle: { codePath: bundlePath } };
  }
  if (bundleMatchesSources(bundlePath, sourcesRoot)) return { workflowBundle: { codePath: bundlePath } };
  if (fs.existsSync(bundlePath))
    log.warn('prebuilt workflow bundle was built from other workflow sources: bundling from source', { bundlePath });
  return { workflowsPath: workflowsDir };
}

export interface RunningWorker {
  readonly state: WorkerState;
  /** Resolves when the worker has stopped (after a drain or a fatal error). */
  readonly done: Promise<void>;
  /** The ops port (/healthz, /readyz, /metrics); undefined when it could not listen. */
  readonly opsPort: number | undefined;
  /** Drains and stops; idempotent. */
  stop(): Promise<void>;
}

export async function startWorker(
  cfg: Config = config(),
  parts: { intelligence?: Intelligence; publisher?: EventPublisher; tracing?: Tracing } = {},
): Promise<RunningWorker> {
  let state: WorkerState = 'starting';
  // Registered here unless handed in (a test's in-memory exporter); undefined when the config leaves it off.
  const tracing = parts.tracing ?? startTracing(cfg.tracing, 'worker');
  const metrics = createWorkerMetrics({ taskQueue: cfg.temporal.taskQueue, defaultMetrics: require.main === module });
  const intelligence = parts.intelligence ?? (await createIntelligence(cfg, { modelObserver: metrics.models }));
  const publisher = parts.publisher ?? (await createKafkaPublisher(cfg.kafka, { tracer: tracing?.tracer }));
  const source = workflowSource(cfg);
  const connection = await NativeConnection.connect({ address: cfg.temporal.address });
  const otel = workerTracing(tracing);
  const worker = await Worker.create({
    connection,
    namespace: cfg.temporal.namespace,
    taskQueue: cfg.temporal.taskQueue,
    ...source,
    activities: createActivities({ intelligence, publisher, proposals: metrics.proposals }),
    interceptors: {
      activity: [metrics.interceptor, ...otel.activity],
      // A prebuilt bundle has them already (scripts/infra/workflow-bundle.ts).
      ...('workflowsPath' in source ? { workflowModules: [WORKFLOW_INTERCEPTOR_MODULE] } : {}),
    },
    ...('workflowsPath' in source ? { bundlerOptions: { preloadModules: WORKFLOW_PRELOAD_MODULES } } : {}),
    sinks: { ...otel.sinks, ...proposalSinks(metrics.proposals) },
    shutdownGraceTime: '20s',
  });
  // Several workers on one machine (the chaos suite, a laptop) may share the default port: the first gets it,
  // the others run without one rather than not at all.
  const ops: OpsServer | undefined = await startOpsServer(cfg.worker.opsHost, cfg.worker.opsPort, {
    state: () => state,
    registry: metrics.registry,
    metricsToken: cfg.gateway.metricsToken,
  }).catch((err: unknown) => {
    log.warn('worker ops port not available; running without /healthz, /readyz, /metrics', {
      port: cfg.worker.opsPort,
      error: (err as Error).message,
    });
    return undefined;
  });

  const done = (async () => {
    try {
      await worker.run();
    } finally {
      state = 'draining';
      // Owned parts only: injected ones belong to the caller.
      if (!parts.publisher)
        await publisher.close().catch((err) => log.warn('publisher close failed', { error: (err as Error).message }));
      if (!parts.intelligence)
        await intelligence
          .close()
          .catch((err) => log.warn('intelligence close failed', { error: (err as Error).message }));
      await connection.close().catch(() => undefined);
      await ops?.close();
      if (!parts.tracing) await tracing?.shutdown().catch(() => undefined);
      state = 'stopped';
      log.info('worker stopped');
    }
  })();
  state = 'ready';
  log.info('worker ready', {
    taskQueue: cfg.temporal.taskQueue,
    namespace: cfg.temporal.namespace,
    address: cfg.temporal.address,
    opsPort: ops?.port,
    prebuiltBundle: 'workflowBundle' in source,
  });

  return {
    get state() {
      return state;
    },
    done,
    opsPort: ops?.port,
    async stop() {
      if (state === 'ready') {
        state = 'draining';
        worker.shutdown();
      }
      await done;
    },
  };
}

if (require.main === module) {
  // The SDK's runtime already turns SIGINT/SIGTERM into a worker drain; `done` then resolves.
  Promise.resolve()
    .then(() => {
      const sdkMetrics = installSdkMetrics(config());
      if (sdkMetrics) log.info('temporal sdk metrics', { bindAddress: sdkMetrics });
      return startWorker();
    })
    .then((w) => w.done)
    .then(() => process.exit(0))
    .catch((err: unknown) => {
      log.error('worker failed', {
        error: err instanceof Error ? err.message : String(err),
        stack: err instanceof Error ? err.stack : undefined,
      });
      process.exit(1);
    });
}
