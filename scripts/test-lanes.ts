/**
 * `npm test`'s files in two lanes at once, each one file at a time. Run one after another the files left a core
 * idle about half the time (they wait on the servers, timers and the browser), and the suite neared its 20
 * minutes. The second lane holds every browser file, in its old order: their consoles read the whole queue,
 * which a file seeding 300 tickets beside them would crowd; they never meet each other. It also takes the API's
 * files and the long ones that start servers of their own, to even the lanes (by the files' times in a loaded
 * run: 865 s against 514 s with the browser files alone). The first lane's report streams; the second's follows
 * it, whole.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './infra/paths';
import { FailureCollector } from './test-failures';

/** Where a file goes to the second lane: a path that starts with one of these. */
const SECOND_LANE = [
  'test/e2e/',
  'test/api/',
  'test/gateway/outage.test.ts',
  'test/cluster/',
  'test/bench/',
  'test/chaos/',
];
/** A single test that hangs fails after this instead of holding CI. */
const PER_TEST_TIMEOUT_MS = 180_000;
const REPORTER = path.join(repoRoot, 'scripts', 'test-file-times-reporter.mjs');

export interface Counts {
  pass: number;
  fail: number;
  cancelled: number;
  skipped: number;
  todo: number;
}

export interface LanesResult {
  code: number;
  counts: Counts;
  failures: string[];
  /** Top-level test time summed by file, slowest first. */
  slowest: Array<{ file: string; seconds: number }>;
}

export function splitLanes(files: string[]): string[][] {
  const second = files.filter((f) => SECOND_LANE.some((p) => f.split(path.sep).join('/').startsWith(p)));
  const first = files.filter((f) => !second.includes(f));
  return [first, second].filter((lane) => lane.length > 0);
}

interface Lane {
  code: number;
  counts: Counts;
  failures: FailureCollector;
  times: string;
}

function runLane(files: string[], env: NodeJS.ProcessEnv, write: (chunk: Buffer) => void): Promise<Lane> {
  const counts: Counts = { pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
  const failures = new FailureCollector();
  const timesFile = path.join(os.tmpdir(), `ticketflow-test-times-${process.pid}-${files.length}-${Date.now()}.tsv`);
  const args = ['--import', 'tsx', '--test', '--test-concurrency=1', `--test-timeout=${PER_TEST_TIMEOUT_MS}`];
  args.push('--test-reporter=tap', '--test-reporter-destination=stdout');
  args.push(`--test-reporter=${REPORTER}`, `--test-reporter-destination=${timesFile}`, ...files);
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    write(chunk);
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      failures.line(line);
      // Only the runner's top-level summary lines start at column 0 with "# <word> <n>".
      const m = /^# (pass|fail|cancelled|skipped|todo) (\d+)$/.exec(line);
      if (m) counts[m[1] as keyof Counts] = Number(m[2]);
    }
  });
  const stop = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', stop).on('SIGTERM', stop);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      process.off('SIGINT', stop).off('SIGTERM', stop);
      let times = '';
      try {
        times = fs.readFileSync(timesFile, 'utf8');
        fs.rmSync(timesFile, { force: true });
      } catch {
        // no file ran a test
      }
      resolve({ code: code ?? (signal ? 1 : 0), counts, failures, times });
    }),
  );
}

/** What the times reporter (test-file-times-reporter.mjs) wrote, summed by file, slowest first. */
export function slowestFiles(report: string, count: number): Array<{ file: string; seconds: number }> {
  const byFile = new Map<string, number>();
  for (const line of report.split('\n')) {
    const [file, ms] = line.split('\t');
    if (file && ms)
      byFile.set(path.relative(repoRoot, file), (byFile.get(path.relative(repoRoot, file)) ?? 0) + Number(ms) / 1000);
  }
  return [...byFile]
    .map(([file, seconds]) => ({ file, seconds }))
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, count);
}

/**
 * Runs the lanes at once; the first streams its TAP report to `out`, the others' reports follow it in order.
 */
export async function runLanes(
  lanes: string[][],
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  out: (chunk: Buffer) => void = (chunk) => process.stdout.write(chunk),
): Promise<LanesResult> {
  const held: Buffer[][] = lanes.map(() => []);
  const started = Date.now();
  const results = await Promise.all(
    lanes.map((files, i) =>
      runLane(files, env, (chunk) => (i === 0 ? out(chunk) : held[i]!.push(chunk))).then((lane) => {
        log(`lane ${i + 1}: ${files.length} file(s) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
        return lane;
      }),
    ),
  );
  for (const chunks of held.slice(1)) for (const chunk of chunks) out(chunk);
  const counts: Counts = { pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
  for (const r of results) for (const k of Object.keys(counts) as Array<keyof Counts>) counts[k] += r.counts[k];
  return {
    code: results.some((r) => r.code !== 0) ? 1 : 0,
    counts,
    failures: results.flatMap((r) => r.failures.digest()),
    slowest: slowestFiles(results.map((r) => r.times).join(''), 10),
  };
}
