/**
 * The chaos suite's own ticketflow: a Temporal dev server and a Kafka broker on free loopback ports with
 * their data in a fresh folder, and the real worker (`worker.ts`) and gateway (`gateway/main.ts`) as child
 * processes. Every part can be killed and started again; nothing here touches the shared servers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../../core/config';
import { ensureKafka, SHORT_LIVED_KAFKA_JVM_FLAGS, stopKafka } from '../infra/kafka';
import { infraPaths, repoRoot } from '../infra/paths';
import { delay, pollUntil, readPid } from '../infra/proc';
import type { ServerTuning } from '../infra/server-tuning';
import { ensureTemporal, stopTemporal } from '../infra/temporal';
import { ensureWorkflowBundle } from '../infra/workflow-bundle';
import { freePorts } from './ports';

/** `worker`, `worker-2`, ... (several workers share the task queue, as replicas would) or `gateway`. */
export type AppName = string;

export class ChaosStack {
  readonly cfg: Config;
  readonly env: NodeJS.ProcessEnv;
  readonly url: string;
  private readonly apps = new Map<AppName, ChildProcess>();
  /** How many times each app was started (the first start included). */
  readonly starts: Record<AppName, number> = {};
  /** Exits nobody asked for (a gateway that cannot reach Temporal at start, say); each is restarted. */
  readonly unexpectedExits: Record<AppName, number> = {};
  private readonly killing = new Set<ChildProcess>();
  private readonly readiness = new WeakMap<ChildProcess, Promise<void>>();
  private stopping = false;

  private constructor(
    readonly dataDir: string,
    ports: number[],
    extraEnv: NodeJS.ProcessEnv,
    /** Where the worker and gateway are started from: another checkout runs its own code (bench/e2e/ab.ts). */
    private readonly appRoot: string,
    /** Extra node flags for the worker and gateway (`--cpu-prof` for bench/e2e/profile.ts). */
    private readonly nodeArgs: string[],
    /** Server runtime settings over the infra's defaults (bench/e2e/ab.ts compares them). */
    private readonly tuning: ServerTuning,
  ) {
    const [temporalPort, uiPort, kafkaPort, controllerPort, gatewayPort] = ports as [
      number,
      number,
      number,
      number,
      number,
    ];
    // Only what the apps need from the outside world is inherited; the shared servers' addresses are not.
    this.env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TICKETFLOW_TOOLS_DIR: process.env.TICKETFLOW_TOOLS_DIR,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      TICKETFLOW_DATA_DIR: dataDir,
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      TEMPORAL_TASK_QUEUE: 'chaos-tickets',
      KAFKA_PORT: String(kafkaPort),
      KAFKA_CONTROLLER_PORT: String(controllerPort),
      KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`,
      GATEWAY_PORT: String(gatewayPort),
      GATEWAY_INSTANCE_ID: 'chaos-gateway',
      JWT_SECRET: crypto.randomBytes(32).toString('hex'),
      OPENAI_API_KEY: '',
      AFTER_RUNNER_DELAY: '1s',
      FEEDBACK_WINDOW: '20s',
      REVIEW_SLA: '1h',
      ...extraEnv,
    };
    for (const [k, v] of Object.entries(this.env)) if (v === undefined) delete this.env[k];
    this.cfg = loadConfig(this.env);
    if (this.cfg.temporal.external || this.cfg.kafka.external)
      throw new Error('chaos: the stack must run its own servers');
    this.url = `http://127.0.0.1:${gatewayPort}`;
  }

  static async create(
    dataDir: string,
    extraEnv: NodeJS.ProcessEnv = {},
    appRoot = repoRoot,
    nodeArgs: string[] = [],
    tuning: ServerTuning = {},
  ): Promise<ChaosStack> {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true });
    return new ChaosStack(dataDir, await freePorts(5), extraEnv, appRoot, nodeArgs, tuning);
  }

  /** The worker replicas' names. */
  readonly workers: AppName[] = [];

  /** Servers, bundle, `workers` workers and the gateway; resolves when the gateway answers /readyz. */
  async start(log: (line: string) => void, workers = 1): Promise<void> {
    for (let i = 1; i <= workers; i++) this.workers.push(i === 1 ? 'worker' : `worker-${i}`);
    const [bundle] = await Promise.all([ensureWorkflowBundle(this.cfg), this.startTemporal(), this.startKafka()]);
    log(
      `servers up (Temporal ${this.cfg.temporal.address}, Kafka ${this.cfg.kafka.brokers.join(',')}; workflow bundle ${bundle})`,
    );
    for (const w of this.workers) this.startApp(w);
    this.startApp('gateway');
    await this.waitGatewayReady(90_000);
  }

  startTemporal(): Promise<unknown> {
    return ensureTemporal(this.cfg, infraPaths(this.cfg), this.tuning.temporal);
  }

  stopTemporal(): Promise<boolean> {
    return stopTemporal(infraPaths(this.cfg));
  }

  startKafka(): Promise<unknown> {
    // A stack's broker lives for one run: C1's code is ready sooner (infra/kafka.ts), unless a bench says otherwise.
    return ensureKafka(this.cfg, infraPaths(this.cfg), { jvm: [...SHORT_LIVED_KAFKA_JVM_FLAGS], ...this.tuning.kafka });
  }

  stopKafka(): Promise<boolean> {
    return stopKafka(this.cfg, infraPaths(this.cfg));
  }

  startApp(name: AppName): void {
    if (this.apps.has(name)) return;
    const entry = name.startsWith('worker') ? 'worker.ts' : path.join('gateway', 'main.ts');
    const out = fs.createWriteStream(path.join(this.dataDir, `${name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [...this.nodeArgs, '--import', 'tsx', entry], {
      cwd: this.appRoot,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.starts[name] = (this.starts[name] ?? 0) + 1;
    this.apps.set(name, child);
    let seenReady = false;
    this.readiness.set(
      child,
      new Promise<void>((resolve) => {
        const watch = (chunk: Buffer) => {
          out.write(chunk);
          // The SDK says so when the worker polls; the gateway is ready when it listens.
          if (!seenReady && /state: 'RUNNING'|"gateway up"/.test(chunk.toString('utf8'))) {
            seenReady = true;
            resolve();
          }
        };
        child.stdout.on('data', watch);
        child.stderr.on('data', watch);
        child.once('exit', () => resolve());
      }),
    );
    child.once('exit', () => {
      out.end();
      if (this.apps.get(name) === child) this.apps.delete(name);
      if (this.killing.delete(child) || this.stopping) return;
      this.unexpectedExits[name] = (this.unexpectedExits[name] ?? 0) + 1;
      setTimeout(() => {
        if (!this.stopping) this.startApp(name);
      }, 1_000).unref();
    });
  }

  /** Resolves when the running app says it is ready (or exits), at most after `timeoutMs`. */
  async ready(name: AppName, timeoutMs = 60_000): Promise<void> {
    const child = this.apps.get(name);
    const ready = child ? this.readiness.get(child) : undefined;
    if (ready) await Promise.race([ready, delay(timeoutMs)]);
  }

  pid(name: AppName): number | undefined {
    if (name === 'temporal' || name === 'kafka') return readPid(path.join(infraPaths(this.cfg).runDir, `${name}.pid`));
    return this.apps.get(name)?.pid;
  }

  /** kill -9 (or a polite signal) and wait for the exit. */
  async killApp(name: AppName, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.apps.get(name);
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.killing.add(child);
    child.kill(signal);
    await Promise.race([exited, delay(20_000)]);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    this.apps.delete(name);
  }

  async waitGatewayReady(timeoutMs: number): Promise<void> {
    await pollUntil(
      `chaos gateway at ${this.url}`,
      async () => ((await fetch(`${this.url}/readyz`).catch(() => undefined))?.ok ? true : undefined),
      { timeoutMs, intervalMs: 250 },
    );
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([this.killApp('gateway', 'SIGTERM'), ...this.workers.map((w) => this.killApp(w, 'SIGTERM'))]);
    await Promise.all([this.stopKafka(), this.stopTemporal()]);
  }
}
