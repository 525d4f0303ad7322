/**
 * `npm run bench:e2e [-- --quick]`: a ticket's path measured end to end. The real worker and gateway (child
 * processes, the prebuilt workflow bundle, the rules model) on their own Temporal dev server and Kafka broker
 * (free loopback ports, a fresh data folder, stopped at the end), tickets POSTed through the HTTP API with the
 * agent's and the customer's streams open, at concurrency 1, 10 and 50, each level bounded by a ticket count.
 * Per level: POST latency, POST -> first triage event on the socket, POST -> review requested (p50/p99),
 * tickets/s, workflow tasks and activities per ticket (from the histories), CPU by process; and beside it
 * the ceiling: the same number of starts of an empty workflow with one no-op activity, same concurrency.
 */
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { ChaosStack } from '../../scripts/chaos/stack';
import { drive, TicketApi, type TicketOutcome } from '../../scripts/driver';
import { startCeiling, type CeilingResult } from './ceiling';
import { pathCounts, type PathCounts } from './history-counts';
import { benchLevels, benchStackEnv, WARM_UP_TICKETS, type Level } from './levels';
import { CpuMeter, ms, percentile } from './stats';

interface LevelResult extends Level {
  reached: number;
  /** Creates answered 429, 5xx or nothing at first and sent again: a limit or a fault, not the path. */
  retriedCreates: number;
  wallMs: number;
  post: [number?, number?];
  triage: [number?, number?];
  review: [number?, number?];
  perSec: number;
  counts: PathCounts;
  cpuMs: Record<string, number>;
  ceiling: CeilingResult;
  ceilingCpuMs: Record<string, number>;
}

const log = (line: string) => process.stderr.write(`bench:e2e ${new Date().toISOString().slice(11, 19)} ${line}\n`);
const p50p99 = (v: (number | undefined)[]): [number?, number?] => {
  const xs = v.filter((x): x is number => x !== undefined);
  return [percentile(xs, 0.5), percentile(xs, 0.99)];
};

async function measureLevel(
  stack: ChaosStack,
  api: TicketApi,
  level: Level,
  first: number,
  ceiling: Awaited<ReturnType<typeof startCeiling>>,
): Promise<LevelResult> {
  const meter = new CpuMeter(() => ({
    temporal: stack.pid('temporal'),
    kafka: stack.pid('kafka'),
    worker: stack.pid('worker'),
    gateway: stack.pid('gateway'),
  }));
  meter.start();
  const started = performance.now();
  const outcomes: TicketOutcome[] = await drive({
    api,
    concurrency: level.concurrency,
    count: level.count,
    until: 'review',
    deadline: Date.now() + 300_000,
    firstNumber: first,
  });
  const wallMs = performance.now() - started;
  const cpuMs = meter.stop();
  const reached = outcomes.filter((o) => o.reachedEnd);
  const counts = await pathCounts(
    stack.cfg.temporal.address,
    stack.cfg.temporal.namespace,
    reached.map((o) => o.ticketId!),
  );
  meter.start();
  const ceil = await ceiling.run(level.count, level.concurrency);
  const ceilingCpuMs = meter.stop();
  return {
    ...level,
    reached: reached.length,
    retriedCreates: outcomes.filter((o) => o.createAttempts > 1).length,
    wallMs,
    post: p50p99(outcomes.map((o) => o.postMs)),
    triage: p50p99(outcomes.map((o) => o.triageMs)),
    review: p50p99(outcomes.map((o) => o.reviewMs)),
    perSec: (reached.length * 1000) / wallMs,
    counts,
    cpuMs,
    ceiling: ceil,
    ceilingCpuMs,
  };
}

const cores = (cpu: Record<string, number>, wallMs: number) =>
  Object.entries(cpu)
    .map(([name, used]) => `${name} ${Math.round((100 * used) / wallMs)}%`)
    .join(', ');

function table(results: LevelResult[]): string {
  const row = (label: string, f: (r: LevelResult) => string) => `| ${label} | ${results.map(f).join(' | ')} |`;
  return [
    `| concurrency | ${results.map((r) => r.concurrency).join(' | ')} |`,
    `|---|${results.map(() => '---:').join('|')}|`,
    row('tickets (reached review / sent)', (r) => `${r.reached} / ${r.count}`),
    row('creates sent again (429, 5xx, no answer)', (r) => String(r.retriedCreates)),
    row('POST latency p50 / p99', (r) => `${ms(r.post[0])} / ${ms(r.post[1])}`),
    row('POST -> triage on the socket p50 / p99', (r) => `${ms(r.triage[0])} / ${ms(r.triage[1])}`),
    row('POST -> review requested p50 / p99', (r) => `${ms(r.review[0])} / ${ms(r.review[1])}`),
    row('tickets/s to review', (r) => r.perSec.toFixed(2)),
    row('ceiling: empty workflow + no-op activity /s', (r) => r.ceiling.perSec.toFixed(2)),
    row('ceiling: start -> result p50 / p99', (r) => `${ms(r.ceiling.p50Ms)} / ${ms(r.ceiling.p99Ms)}`),
    row(
      'workflow tasks / activities / local activities per ticket (median)',
      (r) =>
        `${r.counts.workflowTasks ?? 'n/a'} / ${r.counts.activities ?? 'n/a'} / ${r.counts.localActivities ?? 'n/a'}`,
    ),
    row('CPU, % of one core (tickets)', (r) => cores(r.cpuMs, r.wallMs)),
    row('CPU, % of one core (ceiling)', (r) => cores(r.ceilingCpuMs, r.ceiling.wallMs)),
  ].join('\n');
}

async function main(quick: boolean): Promise<void> {
  const levels = benchLevels(quick);
  const dataDir = path.join(os.tmpdir(), `ticketflow-bench-e2e-${process.pid}`);
  const stack = await ChaosStack.create(dataDir, benchStackEnv(levels));
  const stop = () => void stack.stop().finally(() => process.exit(130));
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    await stack.start(log);
    const api = new TicketApi(stack.url, stack.cfg.jwt);
    const ceiling = await startCeiling(stack.cfg.temporal.address, stack.cfg.temporal.namespace);
    log(`warm-up: ${WARM_UP_TICKETS} tickets and 3 empty workflows`);
    await drive({
      api,
      concurrency: 1,
      count: WARM_UP_TICKETS,
      until: 'review',
      deadline: Date.now() + 120_000,
      firstNumber: 0,
    });
    await ceiling.run(3, 1);
    const results: LevelResult[] = [];
    for (const [i, level] of levels.entries()) {
      log(`concurrency ${level.concurrency}: ${level.count} tickets`);
      results.push(await measureLevel(stack, api, level, 1_000 * (i + 1), ceiling));
    }
    await ceiling.close();
    const load = os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ');
    process.stdout.write(
      `${table(results)}\n\n${os.cpus().length} cores, load average ${load} at the end, Node ${process.version}\n`,
    );
    fs.mkdirSync(path.join('data', 'bench'), { recursive: true });
    const out = path.join('data', 'bench', `e2e-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(out, JSON.stringify(results, null, 1));
    log(`figures in ${out}`);
  } finally {
    await stack.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main(process.argv.includes('--quick')).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench:e2e: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
