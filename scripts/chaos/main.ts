/**
 * `npm run chaos [-- --short] [-- --keep] [-- --verbose]`: the real ticketflow on its own Temporal and Kafka
 * (free loopback ports, a fresh data folder), the shared driver sending tickets through the HTTP API, and faults: kill -9 of
 * the worker at random moments, kill -9 and restart of the gateway, Kafka and Temporal stopped and started.
 * Then the Kafka log, every history (replayed against the current code) and the stores are audited per
 * scenario. Bounded: every fault has a count and every wait a deadline. Exit 0 only when every goal is met.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { drive, TicketApi, type TicketOutcome } from '../driver';
import { analyse, problems, type ScenarioRun } from './analyse';
import { emptyCounts, runFaults, type FaultPlan, type FaultTiming } from './faults';
import { auditHistories } from './histories';
import { readKafkaLog } from './kafka-log';
import { failureDetails, markdownReport } from './report';
import { Progress, settle, type SettleLimits } from './settle';
import { incidentsPerTicket } from './side-effects';
import { ChaosStack } from './stack';

interface Scenario {
  name: string;
  plan: FaultPlan;
  /** Tickets in flight at most; a new one arrives every `arrivalEveryMs` while the faults go on. */
  concurrency: number;
  arrivalEveryMs: number;
  /** No new fault after this long (the run stays bounded on a loaded machine); the plan not run fails it. */
  budgetMs: number;
}

const FULL: { scenarios: Scenario[]; timing: FaultTiming; settle: SettleLimits; workers: number } = {
  scenarios: [
    // 24 minutes: at load 20-24 a kill cycle took 11 s and 18 minutes gave only 95 kills.
    { name: 'worker kills', plan: { workerKills: 100 }, concurrency: 12, arrivalEveryMs: 4_000, budgetMs: 24 * 60_000 },
    {
      name: 'gateway restarts',
      plan: { gatewayRestarts: 5 },
      concurrency: 16,
      arrivalEveryMs: 2_000,
      budgetMs: 5 * 60_000,
    },
    { name: 'Kafka outages', plan: { kafkaOutages: 3 }, concurrency: 16, arrivalEveryMs: 2_000, budgetMs: 6 * 60_000 },
    {
      name: 'Temporal outages',
      plan: { temporalOutages: 3 },
      concurrency: 16,
      arrivalEveryMs: 2_000,
      budgetMs: 5 * 60_000,
    },
  ],
  timing: { workerGapMs: [300, 4_000], gapMs: [5_000, 10_000], downMs: [8_000, 15_000] },
  // A ticket still open when no ticket has moved for this long after the last fault is stuck (settle.ts).
  settle: { minQuietMs: 60_000, quietFactor: 3, capMs: 20 * 60_000 },
  // Three replicas: a kill every few seconds without waiting for each restart (a worker starts in 5-15 s here).
  workers: 3,
};

const SHORT: typeof FULL = {
  scenarios: [
    {
      name: 'all faults (short)',
      plan: { workerKills: 4, gatewayRestarts: 1, kafkaOutages: 1, temporalOutages: 1 },
      concurrency: 12,
      arrivalEveryMs: 1_500,
      // Seven faults, each waiting on a condition (a worker polling, the gateway ready, a server up): CI runs
      // all of them however loaded it is, and a clock cut short would pass a run that tested less.
      budgetMs: Infinity,
    },
  ],
  timing: { workerGapMs: [500, 3_000], gapMs: [2_000, 4_000], downMs: [4_000, 6_000] },
  settle: { minQuietMs: 60_000, quietFactor: 3, capMs: 8 * 60_000 },
  workers: 2,
};

export interface ChaosResult {
  ok: boolean;
  markdown: string;
  failures: string[];
  figures: ReturnType<typeof analyse>[];
}

const log = (line: string) => process.stderr.write(`chaos ${new Date().toISOString().slice(11, 19)} ${line}\n`);

export async function runChaos(
  mode: 'short' | 'full',
  opts: { keep?: boolean; verbose?: boolean } = {},
): Promise<ChaosResult> {
  const setup = mode === 'short' ? SHORT : FULL;
  const dataDir = path.join(os.tmpdir(), `ticketflow-chaos-${process.pid}`);
  // --verbose: the apps log at info (consumer rejoins, resyncs) into the kept data folder's *.log files.
  const stack = await ChaosStack.create(dataDir, opts.verbose ? { LOG_LEVEL: 'info' } : {});
  let ok = false;
  // Temporal and Kafka run detached: an interrupted run must still stop them.
  const interrupted = () => void stack.stop().finally(() => process.exit(130));
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    await stack.start(log, setup.workers);
    const api = new TicketApi(stack.url, stack.cfg.jwt, 20_000);
    const runs: ScenarioRun[] = [];
    for (const [i, sc] of setup.scenarios.entries()) {
      log(
        `scenario "${sc.name}": ${JSON.stringify(sc.plan)}, a ticket every ${sc.arrivalEveryMs} ms, at most ${sc.concurrency} open`,
      );
      const faults = emptyCounts();
      const startedAt = Date.now();
      let faulting = true;
      const outcomes: TicketOutcome[] = [];
      const progress = new Progress();
      const driving = {
        api,
        concurrency: sc.concurrency,
        arrivalEveryMs: sc.arrivalEveryMs,
        until: 'closed' as const,
        deadline: Date.now() + 3_600_000,
        keepGoing: () => faulting,
        firstNumber: i * 10_000,
        onOutcome: (o: TicketOutcome) => outcomes.push(o),
        onProgress: () => progress.note(),
      };
      const driven = drive(driving);
      await runFaults(stack, sc.plan, setup.timing, faults, log, startedAt + sc.budgetMs);
      faulting = false;
      for (const w of stack.workers) stack.startApp(w);
      stack.startApp('gateway');
      log(`faults done; settling while tickets move (at most ${setup.settle.capMs / 1000}s)`);
      const why = await settle(driven, progress, setup.settle, () => (driving.deadline = Date.now()));
      log(`settled: ${why}`);
      runs.push({ name: sc.name, startedAt, endedAt: Date.now(), faults, outcomes });
      log(`scenario "${sc.name}": ${outcomes.length} tickets, ${outcomes.filter((o) => o.reachedEnd).length} closed`);
    }
    log('auditing: the Kafka log, every history (replayed), the stores');
    const known = new Set(runs.flatMap((r) => r.outcomes.flatMap((o) => (o.ticketId ? [o.ticketId] : []))));
    const evidence = {
      kafka: await readKafkaLog(stack.cfg),
      runs: await auditHistories(stack.cfg),
      incidents: incidentsPerTicket(dataDir),
      known,
    };
    const figures = runs.map((r) => analyse(r, evidence));
    fs.writeFileSync(
      path.join(dataDir, 'report.json'),
      JSON.stringify({ figures, outcomes: runs.map((r) => r.outcomes.map(summary)) }, null, 1),
    );
    const failures = failureDetails(figures);
    const quota = quotaProblems(figures, setup.scenarios);
    ok = figures.every((f) => problems(f).length === 0) && quota.length === 0;
    const unexpected = `unexpected exits (restarted): ${JSON.stringify(stack.unexpectedExits)}; ${setup.workers} worker replicas`;
    return { ok, markdown: `${markdownReport(figures)}\n\n${unexpected}`, failures: [...quota, ...failures], figures };
  } finally {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    await stack.stop().catch((err: Error) => log(`stopping the stack: ${err.message}`));
    if (ok && !opts.keep) fs.rmSync(dataDir, { recursive: true, force: true });
    else log(`data and logs kept in ${dataDir}`);
  }
}

/** One ticket's outcome without the per-seq sets (for report.json). */
function summary(o: TicketOutcome) {
  const { followers, ...rest } = o;
  return {
    ...rest,
    followers: followers.map((f) => ({
      audience: f.audience,
      seqs: f.seqs.size,
      doubled: f.doubled,
      connects: f.connects,
      resolved: f.resolved,
    })),
  };
}

/** Each fault the plans asked for that did not happen (a budget ran out): a run that tested less fails. */
function quotaProblems(figures: ReturnType<typeof analyse>[], scenarios: Scenario[]): string[] {
  const kinds = Object.keys(emptyCounts()) as (keyof ReturnType<typeof emptyCounts>)[];
  return kinds.flatMap((k) => {
    const wanted = scenarios.reduce((n, sc) => n + (sc.plan[k] ?? 0), 0);
    const ran = figures.reduce((n, f) => n + f.faults[k], 0);
    return ran < wanted ? [`only ${ran} of ${wanted} ${k}`] : [];
  });
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const started = Date.now();
  runChaos(args.includes('--short') ? 'short' : 'full', {
    keep: args.includes('--keep'),
    verbose: args.includes('--verbose'),
  }).then(
    (r) => {
      process.stdout.write(`${r.markdown}\n\n`);
      for (const line of r.failures) process.stdout.write(`${line}\n`);
      process.stdout.write(
        `${r.ok ? 'PASS' : 'FAIL'}: chaos ${args.includes('--short') ? 'short' : 'full'} run in ${((Date.now() - started) / 60_000).toFixed(1)} min\n`,
      );
      process.exit(r.ok ? 0 : 1);
    },
    (err: unknown) => {
      process.stderr.write(`chaos: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(2);
    },
  );
}
