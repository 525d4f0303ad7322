/**
 * Request/answer over the Node IPC channel between the orchestrator and its children (servers under test,
 * client processes). Children are forked with tsx and --expose-gc; each dies with its parent (the channel
 * closes) and on its own deadline, so nothing outlives a run even when the orchestrator is killed.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

interface Request {
  id: number;
  type: string;
  body: unknown;
}
interface Answer {
  id: number;
  ok: boolean;
  body?: unknown;
  error?: string;
}
interface Hello {
  hello: unknown;
}

export type Handler = (body: never) => unknown;

/** In a child: answer the parent's requests with `handlers`; exit when the parent goes away. */
export function serveParent(handlers: Record<string, Handler>, opts: { deadlineMs: number }): void {
  if (!process.send) throw new Error('this module runs as a forked child of bench/run.ts');
  process.on('message', (msg: Request) => {
    const handler = handlers[msg.type];
    void Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown request ${msg.type}`);
        return handler(msg.body as never);
      })
      .then(
        (body: unknown) => process.send?.({ id: msg.id, ok: true, body } satisfies Answer),
        (err: unknown) =>
          process.send?.({
            id: msg.id,
            ok: false,
            error: err instanceof Error ? (err.stack ?? err.message) : String(err),
          } satisfies Answer),
      );
  });
  process.on('disconnect', () => process.exit(0));
  setTimeout(() => {
    process.stderr.write(`bench child ${process.pid}: deadline passed, exiting\n`);
    process.exit(2);
  }, opts.deadlineMs).unref();
}

/** In a child: tell the parent it is up (once). */
export function helloParent(hello: unknown): void {
  process.send?.({ hello } satisfies Hello);
}

const live = new Set<Child<unknown>>();

/** Kills every child this process forked and that still runs (each by its own pid). */
export function killChildren(): void {
  for (const c of live) c.kill();
}

export class Child<THello = unknown> {
  readonly proc: ChildProcess;
  readonly hello: Promise<THello>;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited = false;

  constructor(
    readonly name: string,
    file: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.proc = fork(path.join(__dirname, file), [], {
      // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of every child (where the time goes).
      execArgv: [
        '--import',
        'tsx',
        '--expose-gc',
        ...(file === 'server-child.ts' ? serverNodeFlags() : []),
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      ],
      env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    live.add(this);
    this.hello = new Promise<THello>((resolve, reject) => {
      this.proc.on('message', (msg: Answer | Hello) => {
        if ('hello' in msg) return resolve(msg.hello as THello);
        const w = this.waiting.get(msg.id);
        if (!w) return;
        this.waiting.delete(msg.id);
        if (msg.ok) w.resolve(msg.body);
        else w.reject(new Error(`${this.name}: ${msg.error}`));
      });
      this.proc.on('exit', (code, signal) => {
        this.exited = true;
        live.delete(this);
        const err = new Error(`${this.name} exited (${signal ?? code})`);
        reject(err);
        for (const w of this.waiting.values()) w.reject(err);
        this.waiting.clear();
      });
    });
    this.hello.catch(() => undefined);
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  request<T>(type: string, body: unknown = {}, timeoutMs = 120_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} is not running`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${this.name}: ${type} not answered in ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.proc.send({ id, type, body } satisfies Request);
    });
  }

  /** Asks the child to stop, then kills it (by its own pid) if it has not exited in `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    this.request('stop', {}, graceMs).catch(() => undefined);
    const timer = setTimeout(() => this.kill(), graceMs);
    await gone;
    clearTimeout(timer);
  }

  kill(): void {
    if (!this.exited) this.proc.kill('SIGKILL');
  }
}

/**
 * V8 flags for every server under test (uws, ws and raw alike, so a comparison stays one of code), for an A/B
 * of GC settings: `BENCH_SERVER_NODE_FLAGS="--max-semi-space-size=64" npm run bench ...`. None by default.
 */
function serverNodeFlags(): string[] {
  return (process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean);
}
