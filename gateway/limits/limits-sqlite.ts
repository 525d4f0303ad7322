/** The one SQLite file the rate buckets and the stream leases share on a machine: every gateway there opens it. */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * How long a write waits for another gateway's. better-sqlite3 waits on the event loop's thread, so this is
 * also how long one stalled writer (a gateway stopped mid-transaction) can freeze every other gateway on the
 * machine. Transactions here are a few row writes, well under a millisecond; the margin is for a writer
 * descheduled on a busy machine. Past it the call fails and the limiter lets the request through, as for any
 * outage of its store.
 */
export const LIMITS_BUSY_TIMEOUT_MS = 500;

export function openLimitsSqlite(dataDir: string): Database.Database {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'rate-limits.sqlite'));
  // Several gateway processes write it at once: readers never block the writer, a writer waits for another.
  db.pragma('journal_mode = WAL');
  db.pragma(`busy_timeout = ${LIMITS_BUSY_TIMEOUT_MS}`);
  return db;
}
