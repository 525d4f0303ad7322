/**
 * How the Temporal dev server runs: its SQLite pragmas, dynamic config and Go runtime settings, each measured
 * side by side (bench/e2e/sqlite-ab.ts, bench/e2e/ab.ts; figures in docs/benchmarks.md). temporal.ts starts the
 * server with them.
 */
import fs from 'node:fs';

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
export const GO_RUNTIME_ENV: Readonly<Record<string, string>> = { GOGC: '400', GOMEMLIMIT: '1GiB' };

/** The dev server's environment: ours, the caller's, then a bench's tuning (bench/e2e/ab.ts). */
export function devServerEnv(tuning: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...GO_RUNTIME_ENV, ...process.env, ...tuning };
}
