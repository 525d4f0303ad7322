/**
 * Token buckets: a budget of `capacity` tokens that refills at `capacity` per `windowMs`, so a principal may
 * spend a burst and then keeps a steady rate (a fixed window would allow twice the budget across its edge).
 * Kept where every gateway instance sees them: SQLite in the data directory (one machine) or PostgreSQL
 * (buckets-pg.ts), each take one atomic upsert; in memory for a single process and the tests.
 */
import { openLimitsSqlite } from './limits-sqlite';

export interface Bucket {
  capacity: number;
  windowMs: number;
}

export type Take = { ok: true } | { ok: false; retryAfterMs: number };

export interface BucketStore {
  /** Takes one token from `key`'s bucket, or says how long until one is back. */
  take(key: string, bucket: Bucket): Promise<Take>;
  close(): Promise<void>;
}

/** Rows untouched this long are full again, so deleting them changes nothing. */
export const BUCKET_SWEEP_INTERVAL_MS = 60_000;

export const BUCKET_SCHEMA =
  'CREATE TABLE IF NOT EXISTS rate_buckets (key TEXT PRIMARY KEY, tokens DOUBLE PRECISION NOT NULL, updated_ms BIGINT NOT NULL)';

/**
 * The one statement that takes a token: refill by the time since the last take (never above capacity, never
 * backwards if clocks disagree), then take one if at least one is there. No row comes back when the bucket
 * is empty. `least`/`greatest` are the dialect's two-argument min and max; parameters in the order
 * key, capacity, per-ms rate, now.
 */
export function takeSql(least: string, greatest: string, p: (i: number) => string): string {
  const refilled = `${least}(${p(2)}, rate_buckets.tokens + ${greatest}(0, ${p(4)} - rate_buckets.updated_ms) * ${p(3)})`;
  return `INSERT INTO rate_buckets (key, tokens, updated_ms) VALUES (${p(1)}, ${p(2)} - 1, ${p(4)})
    ON CONFLICT (key) DO UPDATE SET tokens = ${refilled} - 1, updated_ms = ${greatest}(rate_buckets.updated_ms, ${p(4)})
    WHERE ${refilled} >= 1 RETURNING tokens`;
}

/** How long until an empty bucket holds one token again, from its row. */
export function retryAfterMs(tokens: number, updatedMs: number, now: number, b: Bucket): number {
  const rate = b.capacity / b.windowMs;
  const have = Math.min(b.capacity, tokens + Math.max(0, now - updatedMs) * rate);
  return Math.max(1, Math.ceil((1 - have) / rate));
}

export function createMemoryBuckets(now: () => number = Date.now): BucketStore {
  const rows = new Map<string, { tokens: number; updatedMs: number }>();
  let nextSweep = 0;
  return {
    async take(key, b) {
      const t = now();
      if (t >= nextSweep) {
        for (const [k, r] of rows) if (r.updatedMs < t - BUCKET_SWEEP_INTERVAL_MS * 60) rows.delete(k);
        nextSweep = t + BUCKET_SWEEP_INTERVAL_MS;
      }
      const row = rows.get(key) ?? { tokens: b.capacity, updatedMs: t };
      const have = Math.min(b.capacity, row.tokens + Math.max(0, t - row.updatedMs) * (b.capacity / b.windowMs));
      if (have < 1) return { ok: false, retryAfterMs: retryAfterMs(row.tokens, row.updatedMs, t, b) };
      rows.set(key, { tokens: have - 1, updatedMs: Math.max(row.updatedMs, t) });
      return { ok: true };
    },
    close: async () => undefined,
  };
}

export function createSqliteBuckets(dataDir: string, now: () => number = Date.now): BucketStore {
  const db = openLimitsSqlite(dataDir);
  db.exec(BUCKET_SCHEMA);
  const names = ['@key', '@cap', '@rate', '@now'];
  const take = db.prepare<[{ key: string; cap: number; rate: number; now: number }], { tokens: number }>(
    takeSql('min', 'max', (i) => names[i - 1]!),
  );
  const read = db.prepare<[string], { tokens: number; updated_ms: number }>(
    'SELECT tokens, updated_ms FROM rate_buckets WHERE key = ?',
  );
  const sweep = db.prepare('DELETE FROM rate_buckets WHERE updated_ms < ?');
  let nextSweep = 0;
  return {
    async take(key, b) {
      const t = now();
      if (t >= nextSweep) {
        sweep.run(t - BUCKET_SWEEP_INTERVAL_MS * 60);
        nextSweep = t + BUCKET_SWEEP_INTERVAL_MS;
      }
      if (take.get({ key, cap: b.capacity, rate: b.capacity / b.windowMs, now: t })) return { ok: true };
      const row = read.get(key);
      return { ok: false, retryAfterMs: row ? retryAfterMs(row.tokens, row.updated_ms, t, b) : 1 };
    },
    close: async () => {
      db.close();
    },
  };
}
