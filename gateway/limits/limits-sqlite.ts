/** The one SQLite file the rate buckets and the stream leases share on a machine: every gateway there opens it. */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export function openLimitsSqlite(dataDir: string): Database.Database {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'rate-limits.sqlite'));
  // Several gateway processes write it at once: readers never block the writer, a writer waits for another.
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  return db;
}
