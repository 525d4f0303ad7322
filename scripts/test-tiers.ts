/**
 * The test tiers of `npm test`. `unit` is every file that needs no server (no Temporal, Kafka, PostgreSQL,
 * browser or child process): seconds, nothing started. A file is a server test when its source names one of
 * the helpers or clients below; the unit tier also points every server address at a closed port, so a file
 * misfiled here fails at once instead of quietly using a server that happens to run. `chaos` is the last tier
 * of a full run: the short chaos run (scripts/chaos).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './infra/paths';

const SERVER_MARKERS = [
  'helpers/infra',
  'helpers/postgres',
  'harness',
  // The ticket workflow's shared cases (test/workflow/helpers/ticket-suite.ts) start a worker on the server.
  'ticket-suite',
  'stack',
  '@temporalio/testing',
  'playwright',
  'kafkajs',
  'TestWorkflowEnvironment',
  'runChaos',
  'startGateway',
  'spawn',
];

export const UNIT_TIER = 'unit';

export function needsServers(source: string): boolean {
  return SERVER_MARKERS.some((m) => source.includes(m));
}

export function unitTestFiles(files: string[], root: string): string[] {
  return files.filter((f) => !needsServers(fs.readFileSync(path.join(root, f), 'utf8')));
}

/** Addresses where nothing listens (port 9, discard): a server call fails fast with "connection refused". */
export const UNREACHABLE_SERVERS: NodeJS.ProcessEnv = {
  TEMPORAL_ADDRESS: '127.0.0.1:9',
  KAFKA_BROKERS: '127.0.0.1:9',
};

/** Node 20's runner has no glob: walk test/ ourselves. */
export function findTestFiles(dir: string, filters: string[]): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== 'fixtures') walk(full);
      else if (entry.isFile() && entry.name.endsWith('.test.ts')) found.push(path.relative(repoRoot, full));
    }
  };
  walk(dir);
  return found.sort().filter((f) => filters.length === 0 || filters.some((filter) => f.includes(filter)));
}

/**
 * `npm run chaos -- --short` as a child process: its own Temporal, Kafka, worker and gateway on free loopback
 * ports with a fresh data folder, started and stopped by the run; seven faults while tickets flow, then the
 * audit. Its report goes to this run's stdout; true when every goal is met (0 stuck, missing, doubled,
 * duplicate side effects, replay failures; every planned fault made).
 */
export function runChaosTier(): Promise<boolean> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', 'chaos', 'main.ts'), '--short'], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  // The run stops its own servers on a signal; it has to be told.
  const relay = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', relay).on('SIGTERM', relay);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      process.off('SIGINT', relay).off('SIGTERM', relay);
      resolve(code === 0);
    }),
  );
}
