/**
 * A two-instance deployment on the shared Temporal and Kafka: worker and gateway processes (`worker.ts`,
 * `gateway/main.ts`, started as an operator would), each with a data dir of its own so nothing can be shared
 * through the disk, and every store they must agree on in one PostgreSQL database. Task queue, topics and
 * consumer groups are unique to the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../core/config';
import { freePorts } from '../../scripts/chaos/ports';
import { repoRoot } from '../../scripts/infra/paths';
import { pollUntil } from '../../scripts/infra/proc';
import { ensureWorkflowBundle } from '../../scripts/infra/workflow-bundle';
import {
  createTopic,
  testKafkaBrokers,
  testTemporalAddress,
  testTemporalNamespace,
  uniqueName,
} from '../helpers/infra';

export interface App {
  name: string;
  child: ChildProcess;
  /** Where its stdout and stderr go. */
  log: string;
  url?: string;
  exited: Promise<void>;
}

export class ClusterStack {
  readonly apps = new Map<string, App>();
  readonly cfg: Config;
  private readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-cluster-'));

  constructor(
    databaseUrl: string,
    extra: NodeJS.ProcessEnv,
    readonly env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TICKETFLOW_TOOLS_DIR: process.env.TICKETFLOW_TOOLS_DIR,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      TEMPORAL_ADDRESS: testTemporalAddress(),
      TEMPORAL_NAMESPACE: testTemporalNamespace(),
      TEMPORAL_TASK_QUEUE: uniqueName('cluster-tickets'),
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      KAFKA_TICKET_EVENTS_TOPIC: uniqueName('cluster-events'),
      KAFKA_ALERTS_TOPIC: uniqueName('cluster-alerts'),
      JWT_SECRET: crypto.randomBytes(32).toString('hex'),
      WS_TICKET_SECRET: crypto.randomBytes(32).toString('hex'),
      SOP_DATABASE_URL: databaseUrl,
      MEMORY_DATABASE_URL: databaseUrl,
      WS_TICKET_DATABASE_URL: databaseUrl,
      RATE_LIMIT_DATABASE_URL: databaseUrl,
      OPENAI_API_KEY: '',
      PII_WORKERS: '1',
      ...extra,
    },
  ) {
    for (const [k, v] of Object.entries(this.env)) if (v === undefined) delete this.env[k];
    this.cfg = loadConfig({ ...this.env, TICKETFLOW_DATA_DIR: this.root });
  }

  /** Topics and the prebuilt workflow bundle (a worker then starts in seconds, not after bundling). */
  async prepare(): Promise<void> {
    await createTopic(this.cfg.kafka.ticketEventsTopic, 3);
    await createTopic(this.cfg.kafka.alertsTopic, 1);
    await ensureWorkflowBundle(this.cfg);
  }

  /** A worker; its ops port (/healthz, /readyz, /metrics) is its `url`. */
  async startWorker(name: string): Promise<App> {
    const [port] = await freePorts(1);
    const app = await this.spawnApp(name, 'worker.ts', { WORKER_OPS_PORT: String(port) }, /worker ready/);
    app.url = `http://127.0.0.1:${port}`;
    return app;
  }

  async startGateway(name: string): Promise<App> {
    const [port] = await freePorts(1);
    const app = await this.spawnApp(
      name,
      path.join('gateway', 'main.ts'),
      { GATEWAY_PORT: String(port), GATEWAY_INSTANCE_ID: uniqueName(name) },
      /gateway up/,
    );
    app.url = `http://127.0.0.1:${port}`;
    await pollUntil(
      `${name} ready`,
      async () => ((await fetch(`${app.url}/readyz`).catch(() => undefined))?.ok ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    return app;
  }

  /** kill -9: the process gets no chance to drain. */
  async kill(name: string): Promise<void> {
    const app = this.apps.get(name);
    if (!app) return;
    app.child.kill('SIGKILL');
    await app.exited;
  }

  async stop(): Promise<void> {
    for (const app of this.apps.values()) app.child.kill('SIGTERM');
    const all = Promise.all([...this.apps.values()].map((a) => a.exited));
    const late = setTimeout(() => [...this.apps.values()].forEach((a) => a.child.kill('SIGKILL')), 20_000);
    await all;
    clearTimeout(late);
  }

  removeData(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  private async spawnApp(name: string, entry: string, env: NodeJS.ProcessEnv, ready: RegExp): Promise<App> {
    const dataDir = path.join(this.root, name);
    fs.mkdirSync(dataDir, { recursive: true });
    const log = path.join(this.root, `${name}.log`);
    const out = fs.createWriteStream(log);
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: repoRoot,
      env: { ...this.env, ...env, TICKETFLOW_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const app: App = { name, child, log, exited };
    this.apps.set(name, app);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} not up within 90 s (see ${log})`)), 90_000);
      let seen = '';
      const watch = (chunk: Buffer) => {
        out.write(chunk);
        seen = (seen + chunk.toString('utf8')).slice(-4096);
        if (ready.test(seen)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', watch);
      child.stderr.on('data', watch);
      void exited.then(() => {
        clearTimeout(timer);
        out.end();
        reject(new Error(`${name} exited before it was up (see ${log})`));
      });
    });
    return app;
  }
}
