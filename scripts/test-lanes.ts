/**
 * `npm test`'s files in two lanes at once, each one file at a time. Run one after another the files left a core
 * idle about half the time (they wait on the servers, timers and the browser), and the suite neared its 20
 * minutes. The second lane holds every browser file, in its old order: their consoles read the whole queue,
 * which a file seeding 300 tickets beside them would crowd; they never meet each other. It also takes the API's
 * files and the long ones that start servers of their own, to even the lanes (by the files' times in a loaded
 * run: 865 s against 514 s with the browser files alone). The first lane's report streams; the second's is held
 * while the first runs, then shown whole and streamed (runLanes).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './infra/paths';
import { FailureCollector } from './test-failures';

/**
 * Where a file goes to the second lane: a path that starts with one of these, or a whole-stack file of the
 * actions (`*-stack.test.ts`: a stack of its own each). The stack files moved when the first lane had grown to
 * 849 s against the second's 655 s (CI trial AL); the run lasts as long as its longer lane.
 */
const STACK_FILE = /^test\/actions\/.*-stack\.test\.ts$/;
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
  const lanes: [string[], string[]] = [[], []];
  for (const f of files) {
    const posix = f.split(path.sep).join('/');
    lanes[STACK_FILE.test(posix) || SECOND_LANE.some((p) => posix.startsWith(p)) ? 1 : 0].push(f);
  }
  return lanes.filter((lane) => lane.length > 0);
}

const noCounts = (): Counts => ({ pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 });

interface Lane {
  code: number;
  /** The signal that ended the lane's runner, if one did. */
  signal: NodeJS.Signals | null;
  /** Whether its report reached the runner's closing counts: a runner killed before them counts nothing. */
  summarised: boolean;
  counts: Counts;
  failures: FailureCollector;
  times: string;
}

/** Where `npm test`'s Ctrl-C and CI's SIGTERM arrive; a test passes an emitter of its own. */
export type Signals = Pick<NodeJS.EventEmitter, 'on' | 'off'>;

function runLane(
  files: string[],
  env: NodeJS.ProcessEnv,
  index: number,
  signals: Signals,
  write: (chunk: Buffer) => void,
): Promise<Lane> {
  const counts = noCounts();
  const failures = new FailureCollector();
  // The lane's number in the name: two lanes started in the same millisecond with as many files shared one file.
  const timesFile = path.join(os.tmpdir(), `ticketflow-test-times-${process.pid}-${index}-${Date.now()}.tsv`);
  const args = ['--import', 'tsx', '--test', '--test-concurrency=1', `--test-timeout=${PER_TEST_TIMEOUT_MS}`];
  args.push('--test-reporter=tap', '--test-reporter-destination=stdout');
  args.push(`--test-reporter=${REPORTER}`, `--test-reporter-destination=${timesFile}`, ...files);
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let pending = '';
  let summarised = false;
  child.stdout.on('data', (chunk: Buffer) => {
    write(chunk);
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      failures.line(line);
      // Only the runner's top-level summary lines start at column 0 with "# <word> <n>".
      const m = /^# (pass|fail|cancelled|skipped|todo) (\d+)$/.exec(line);
      if (m) [counts[m[1] as keyof Counts], summarised] = [Number(m[2]), true];
    }
  });
  const stop = (signal: NodeJS.Signals) => child.kill(signal);
  signals.on('SIGINT', stop).on('SIGTERM', stop);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      signals.off('SIGINT', stop).off('SIGTERM', stop);
      let times = '';
      try {
        times = fs.readFileSync(timesFile, 'utf8');
        fs.rmSync(timesFile, { force: true });
      } catch {
        // no file ran a test
      }
      resolve({ code: code ?? (signal ? 1 : 0), signal, summarised, counts, failures, times });
    }),
  );
}

/** What the times reporter (test-file-times-reporter.mjs) wrote, summed by file, slowest first. */
export function slowestFiles(report: string, count: number): Array<{ file: string; seconds: number }> {
  const byFile = new Map<string, number>();
  for (const line of report.split('\n')) {
    const [file, ms] = line.split('\t');
    if (!file || !ms) continue;
    const relative = path.relative(repoRoot, file);
    byFile.set(relative, (byFile.get(relative) ?? 0) + Number(ms) / 1000);
  }
  return [...byFile]
    .map(([file, seconds]) => ({ file, seconds }))
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, count);
}

/**
 * Runs the lanes at once. The first streams its TAP report to `out`; each other lane's is held while the lane
 * before it runs, then shown whole and streamed from there, so the reports never interleave and the last
 * lane's is not silent until the run ends. A SIGINT or SIGTERM shows every held report at once: the run is about
 * to stop, and a hung file's lane would otherwise never be seen. A lane whose runner ended before its closing
 * counts (killed, crashed) counts as one failure, named.
 */
export async function runLanes(
  lanes: string[][],
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  out: (chunk: Buffer) => void = (chunk) => process.stdout.write(chunk),
  signals: Signals = process,
): Promise<LanesResult> {
  const held: Buffer[][] = lanes.map(() => []);
  const done = lanes.map(() => false);
  let showing = 0;
  const show = (i: number) => {
    for (const chunk of held[i]!.splice(0)) out(chunk);
  };
  const interrupted = () => {
    for (let i = showing + 1; i < lanes.length; i++) show(i);
    showing = lanes.length;
  };
  signals.on('SIGINT', interrupted).on('SIGTERM', interrupted);
  const started = Date.now();
  try {
    const results = await Promise.all(
      lanes.map((files, i) =>
        runLane(files, env, i, signals, (chunk) => (i <= showing ? out(chunk) : held[i]!.push(chunk))).then((lane) => {
          log(`lane ${i + 1}: ${files.length} file(s) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
          done[i] = true;
          while (showing < lanes.length && done[showing]) if (++showing < lanes.length) show(showing);
          return lane;
        }),
      ),
    );
    const counts = noCounts();
    for (const r of results) for (const k of Object.keys(counts) as Array<keyof Counts>) counts[k] += r.counts[k];
    const lost = results.flatMap((r, i) =>
      r.summarised
        ? []
        : [
            `✖ lane ${i + 1} (${lanes[i]!.length} file(s)) ended${r.signal ? ` by ${r.signal}` : ` with code ${r.code}`} before its closing counts: its tests are not counted`,
          ],
    );
    counts.fail += lost.length;
    return {
      code: results.some((r) => r.code !== 0) || lost.length > 0 ? 1 : 0,
      counts,
      failures: [...results.flatMap((r) => r.failures.digest()), ...lost],
      slowest: slowestFiles(results.map((r) => r.times).join(''), 10),
    };
  } finally {
    signals.off('SIGINT', interrupted).off('SIGTERM', interrupted);
  }
}
