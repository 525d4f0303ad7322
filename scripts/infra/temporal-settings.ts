/**
 * How the Temporal dev server runs: its SQLite pragmas, dynamic config and Go runtime settings, each measured
 * side by side (bench/e2e/sqlite-ab.ts, bench/e2e/ab.ts; figures in docs/benchmarks.md). temporal.ts starts the
 * server with them.
 */
import fs from 'node:fs';
import os from 'node:os';

/**
 * The dev server's SQLite file in WAL mode, synced at checkpoints only. SQLite's defaults (a rollback journal,
 * synchronous=FULL) fsync two files on every write, and the server writes on every workflow task and activity
 * transition: at ~6 ms an fsync on this machine's disk, that was the largest share of a ticket's path
 * (bench/e2e/sqlite-ab.ts measures both side by side). A WAL commit survives a killed server process (the chaos
 * run's outages); only an OS crash or power loss may drop the last commits, which a dev server can afford.
 */
export const SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'] as const;

/**
 * Dev server settings that cut its CPU per ticket (bench/e2e/ab.ts measures them side by side, docs/benchmarks.md).
 * The CLI makes the server re-read the search-attribute definitions from SQLite on every use (a start with
 * attributes, each upsert, each list), so that attributes added at run time are usable at once. Ours are
 * registered as the server starts (`--search-attribute`), before anything uses them; one added to a running
 * server (started by an older checkout) is usable a second or two later, and readiness waits for that.
 */
export const DEV_SERVER_SETTINGS = ['system.forceSearchAttributesCacheRefreshOnRead=false'] as const;

/**
 * One partition per task queue (the server's default is four): a single node gains nothing from spreading a
 * queue, and a task on another partition than its poller's is forwarded between them. Only for a database
 * that has had one partition from its start: in a file an older checkout wrote, tasks still queued in
 * partitions 1-3 would never be read again (their tickets stuck), so such a file keeps the default.
 */
export const ONE_PARTITION_SETTINGS = [
  'matching.numTaskqueueReadPartitions=1',
  'matching.numTaskqueueWritePartitions=1',
] as const;

/** The partition settings for `dbFile`, marking a new database as one-partition from its start. */
export function partitionSettings(dbFile: string): readonly string[] {
  const marker = `${dbFile}.one-partition`;
  if (!fs.existsSync(dbFile)) fs.writeFileSync(marker, 'task queues have had one partition since this file was made\n');
  return fs.existsSync(marker) ? ONE_PARTITION_SETTINGS : [];
}

/**
 * The Go runtime's GC for the dev server: collect when the heap has grown 400 % over the live heap (Go's default is
 * 100 %), and never let the heap past 1 GiB for that. At concurrency 10 the server's live heap is about 45 MiB, so it
 * collected every ~50 MiB allocated; with GOGC=400 a cycle comes 4x less often (17 -> 4 cycles in one bench run) and
 * the GC's share of the server's CPU (perf samples under a GC frame) fell from 6.3-6.9 % to 3.0-3.7 % in three A/B
 * runs, for ~150 MiB more heap: -4.2 ms of ~70 of its CPU a ticket, paired over 46 rounds of bench/e2e/ab.ts
 * (docs/benchmarks.md, issue 9, eighth round). GOMEMLIMIT bounds a long-lived `npm run up`: near 1 GiB the GC runs as
 * often as it must, whatever GOGC says. A GOGC or GOMEMLIMIT in the caller's environment is theirs to choose and wins.
 */
export const GO_GC_ENV: Readonly<Record<string, string>> = { GOGC: '400', GOMEMLIMIT: '1GiB' };

/**
 * One core for the dev server's Go scheduler on a machine of two (or one): the server shares it with the worker,
 * the gateway and the broker, and with a P per core the Go runtime spins threads looking for work and runs
 * idle-time GC workers on the core those processes need. GOMAXPROCS=1 against 2, side by side: -11.3 ms (sd 4.7)
 * of the server's ~68 ms CPU a ticket at concurrency 10, every one of 10 paired rounds lower, the worker -8.1 ms
 * too, tickets/s 6.66 -> 6.95; at concurrency 50, -8.0 ms (5 of 6 rounds), tickets/s 6.67 -> 7.06, POST -> review
 * p50 5.48 -> 4.83 s (docs/benchmarks.md, issue 9, eighth round). Measured on 2 cores only: on a larger machine
 * (or one whose CPU quota the Go runtime reads itself) the runtime keeps its own default.
 */
export function goMaxProcs(cores = os.availableParallelism()): string | undefined {
  return cores <= 2 ? '1' : undefined;
}

/** The Go runtime settings the dev server starts with. */
export function goRuntimeEnv(cores = os.availableParallelism()): Record<string, string> {
  const procs = goMaxProcs(cores);
  return { ...GO_GC_ENV, ...(procs === undefined ? {} : { GOMAXPROCS: procs }) };
}

/** The dev server's environment: ours, the caller's (`callerEnv`), then a bench's tuning (bench/e2e/ab.ts). */
export function devServerEnv(
  tuning: Record<string, string> = {},
  callerEnv: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  return { ...goRuntimeEnv(), ...callerEnv, ...tuning };
}
