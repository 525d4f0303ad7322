/**
 * Remembers used ws-ticket ids until they expire, so each ws-ticket opens exactly one stream, across every
 * gateway instance: a ticket minted behind one load-balancer path may be redeemed (or replayed) on another.
 * SQLite in the data directory by default (one machine), PostgreSQL by WS_TICKET_DATABASE_URL
 * (jti-store-pg.ts); the in-memory store is for the benchmark and unit tests only.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export interface JtiStore {
  /** Marks `jti` used until `expiresAt` (epoch ms); false if it was already used. */
  consume(jti: string, expiresAt: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Kept a little past expiry: the verifier accepts tokens within the clock tolerance. */
export const JTI_KEEP_PAST_EXPIRY_MS = 60_000;
/** Expired ids are swept at most this often. */
export const JTI_SWEEP_INTERVAL_MS = 5_000;

export const JTI_SCHEMA =
  'CREATE TABLE IF NOT EXISTS ws_ticket_uses (jti TEXT PRIMARY KEY, keep_until BIGINT NOT NULL)';

export function createMemoryJtiStore(now: () => number = Date.now): JtiStore & { readonly size: number } {
  const used = new Map<string, number>();
  let nextSweep = 0;
  return {
    async consume(jti, expiresAt) {
      const t = now();
      if (t >= nextSweep) {
        for (const [id, keep] of used) if (keep <= t) used.delete(id);
        nextSweep = t + JTI_SWEEP_INTERVAL_MS;
      }
      const prev = used.get(jti);
      if (prev !== undefined && prev > t) return false;
      used.set(jti, expiresAt + JTI_KEEP_PAST_EXPIRY_MS);
      return true;
    },
    close: async () => undefined,
    get size() {
      return used.size;
    },
  };
}

export function createSqliteJtiStore(dataDir: string, now: () => number = Date.now): JtiStore {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'ws-tickets.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(JTI_SCHEMA);
  const insert = db.prepare('INSERT INTO ws_ticket_uses (jti, keep_until) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING');
  const sweep = db.prepare('DELETE FROM ws_ticket_uses WHERE keep_until <= ?');
  let nextSweep = 0;
  return {
    async consume(jti, expiresAt) {
      const t = now();
      if (t >= nextSweep) {
        sweep.run(t);
        nextSweep = t + JTI_SWEEP_INTERVAL_MS;
      }
      // The primary key decides: of two instances inserting the same id, exactly one sees a changed row.
      return insert.run(jti, expiresAt + JTI_KEEP_PAST_EXPIRY_MS).changes === 1;
    },
    close: async () => {
      db.close();
    },
  };
}
