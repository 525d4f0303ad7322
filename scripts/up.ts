/**
 * `npm run up`: everything a person needs to try ticketflow on this machine. Installs what is missing,
 * starts (or reuses) Temporal and Kafka, then the worker and the gateway (those that exist), prints the
 * URLs, and relays the apps' output. Ctrl-C stops what this command started, cleanly; servers that were
 * already running are left running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { config } from '../core/config';
import { maskSecrets } from '../core/secrets';
import { infraEnv, logFiles, startInfra, stopStarted, type InfraState } from './infra';
import { repoRoot } from './infra/paths';
import { delay, pollUntil } from './infra/proc';
import { buildUiIfPresent } from './infra/ui-build';
import { ensureWorkflowBundle } from './infra/workflow-bundle';

interface App {
  name: string;
  entry: string;
  child?: ChildProcess;
  logFile: string;
  exited?: Promise<void>;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** A stable dev secret in data/ so tokens minted earlier stay valid across restarts; never for production. */
function devJwtSecret(dataDir: string): string {
  const file = path.join(dataDir, 'dev-secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(32).toString('hex');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

const URL_PATTERN = /https?:\/\/\S+/;
const DEV_TOKEN_LINK = /#token=/;

/** Every line goes to the app's log file; stdout lines and lines with a link or a warning are shown too. */
function relay(app: App, stream: NodeJS.ReadableStream, isStdout: boolean, out: fs.WriteStream): void {
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      // The DEV identity links carry tokens: shown once on the terminal, never kept in a log file.
      out.write(`${DEV_TOKEN_LINK.test(line) ? maskSecrets(line) : line}\n`);
      if (isStdout || URL_PATTERN.test(line) || /"level":"(warn|error)"/.test(line)) say(`[${app.name}] ${line}`);
    }
  });
}

function startApp(app: App, env: NodeJS.ProcessEnv): void {
  fs.mkdirSync(path.dirname(app.logFile), { recursive: true });
  const out = fs.createWriteStream(app.logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', app.entry], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  app.child = child;
  relay(app, child.stdout, true, out);
  relay(app, child.stderr, false, out);
  app.exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      app.child = undefined;
      out.end();
      if (!stopping) say(`[${app.name}] exited (${signal ?? `code ${code}`}); its log: ${app.logFile}`);
      resolve();
    }),
  );
}

async function stopApp(app: App): Promise<void> {
  const child = app.child;
  if (!child) return;
  child.kill('SIGTERM');
  const killed = await Promise.race([app.exited?.then(() => false), delay(15_000).then(() => true)]);
  if (killed) {
    child.kill('SIGKILL');
    await app.exited;
  }
}

let stopping = false;

async function main(): Promise<void> {
  const started = Date.now();
  const cfg = config();
  let state: InfraState = {};
  const apps: App[] = [
    { name: 'worker', entry: 'worker.ts', logFile: path.join(cfg.dataDir, 'logs', 'worker.log') },
    { name: 'gateway', entry: path.join('gateway', 'main.ts'), logFile: path.join(cfg.dataDir, 'logs', 'gateway.log') },
  ].filter((app) => fs.existsSync(path.join(repoRoot, app.entry)));

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping...');
    await Promise.all(apps.map(stopApp));
    await stopStarted(cfg, state);
    say('stopped');
    process.exit(code);
  };
  // `on`, not `once`: Ctrl-C reaches us both from the terminal and relayed by npm/tsx, and a second SIGINT
  // without a handler would kill us halfway through stopping.
  process.on('SIGINT', () => void shutdown(0)).on('SIGTERM', () => void shutdown(0));

  // Bundled while the servers start: with a fresh bundle the worker is up in about 2 s instead of 19 s.
  const bundled = apps.some((a) => a.name === 'worker')
    ? ensureWorkflowBundle(cfg).catch((err: unknown) => err as Error)
    : undefined;
  try {
    state = await startInfra(cfg, { temporal: true, kafka: true });
  } catch (err) {
    process.stderr.write(`up: ${(err as Error).message}\nserver logs: ${logFiles(cfg).join(' ')}\n`);
    process.exit(1);
  }

  const env: NodeJS.ProcessEnv = { ...process.env, ...infraEnv(cfg, state) };
  if (!env.JWT_SECRET && !env.JWT_PUBLIC_KEY) {
    env.JWT_SECRET = devJwtSecret(cfg.dataDir);
    env.DEV_IDENTITY = env.DEV_IDENTITY ?? 'true';
  }
  try {
    buildUiIfPresent(env);
  } catch (err) {
    say(`warning: ${(err as Error).message}; the console will not be served until \`npm run build:ui\` succeeds`);
  }
  const bundle = await bundled;
  if (bundle instanceof Error)
    say(`warning: the workflow bundle was not built (${bundle.message}); the worker bundles at start instead`);
  else if (bundle === 'built') say('workflow bundle built (dist/workflow-bundle.js)');
  for (const app of apps) startApp(app, env);

  const gateway = apps.find((a) => a.name === 'gateway');
  if (gateway) {
    await pollUntil(
      `gateway at ${cfg.gateway.publicUrl}`,
      async () => ((await fetch(`${cfg.gateway.publicUrl}/healthz`).catch(() => undefined))?.ok ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 300, alive: () => gateway.child !== undefined },
    ).catch((err: Error) => say(`warning: ${err.message}; its log: ${gateway.logFile}`));
  }

  const missing = ['worker.ts', 'gateway/main.ts'].filter((f) => !fs.existsSync(path.join(repoRoot, f)));
  say('');
  say(`ticketflow is up (${((Date.now() - started) / 1000).toFixed(1)}s)`);
  say(`  Temporal Web UI  ${state.temporal?.uiUrl ?? '(external cluster)'}`);
  say(`  Temporal         ${state.temporal?.address}`);
  say(`  Kafka            ${state.kafka?.brokers.join(',')}  topics ${state.kafka?.topics.join(', ')}`);
  if (gateway) {
    say(`  gateway          ${cfg.gateway.publicUrl}`);
    say(`  console          ${cfg.gateway.publicUrl}/console`);
  }
  if (missing.length > 0) say(`  (not started, not written yet: ${missing.join(', ')})`);
  say(`  logs             ${[...logFiles(cfg), ...apps.map((a) => a.logFile)].join(' ')}`);
  say('Ctrl-C stops what this command started.');
  // Stay in the foreground until Ctrl-C, even with no app to watch: the servers were started for this session.
  setInterval(() => undefined, 1 << 30);
}

main().catch((err: unknown) => {
  process.stderr.write(`up: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
