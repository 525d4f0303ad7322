/**
 * Which request each Idempotency-Key was first used for, until the key expires: a row of two hashes and an
 * expiry per key (fingerprint.ts), never the body. Kept where every gateway instance sees it, as the rate
 * limits are (RATE_LIMIT_STORE, RATE_LIMIT_DATABASE_URL): SQLite in the data directory (one machine) or
 * PostgreSQL (key-store-pg.ts); in memory for a single process. A claim is one atomic statement, so two
 * requests racing on one key with different bodies cannot both win.
 */
import { openLimitsSqlite } from '../limits/limits-sqlite';

export interface IdempotencyKeyStore {
  /**
   * Binds `scope` to `request` until `ttlMs` from now unless it is bound to another request that has not
   * expired: true when the key is this request's (new, or a retry), false when it belongs to another.
   */
  claim(scope: string, request: string, ttlMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** How often expired rows are deleted (an expired row already counts for nothing). */
export const KEY_SWEEP_INTERVAL_MS = 60_000;

export const KEY_SCHEMA =
  'CREATE TABLE IF NOT EXISTS idempotency_keys (scope TEXT PRIMARY KEY, request TEXT NOT NULL, expires_ms BIGINT NOT NULL)';

/**
 * Insert-if-absent that answers the key's request in the same statement: a live row keeps its request and
 * expiry (a retry does not extend it), an expired one is taken over. Parameters: scope, request, expiry, now.
 */
export function claimSql(p: (i: number) => string): string {
  const expired = `idempotency_keys.expires_ms <= ${p(4)}`;
  return `INSERT INTO idempotency_keys (scope, request, expires_ms) VALUES (${p(1)}, ${p(2)}, ${p(3)})
    ON CONFLICT (scope) DO UPDATE SET
      request = CASE WHEN ${expired} THEN excluded.request ELSE idempotency_keys.request END,
      expires_ms = CASE WHEN ${expired} THEN excluded.expires_ms ELSE idempotency_keys.expires_ms END
    RETURNING request`;
}

export function createMemoryKeyStore(now: () => number = Date.now): IdempotencyKeyStore {
  const rows = new Map<string, { request: string; expiresMs: number }>();
  let nextSweep = 0;
  return {
    async claim(scope, request, ttlMs) {
      const t = now();
      if (t >= nextSweep) {
        for (const [k, r] of rows) if (r.expiresMs <= t) rows.delete(k);
        nextSweep = t + KEY_SWEEP_INTERVAL_MS;
      }
      const row = rows.get(scope);
      if (row && row.expiresMs > t) return row.request === request;
      rows.set(scope, { request, expiresMs: t + ttlMs });
      return true;
    },
    close: async () => undefined,
  };
}

export function createSqliteKeyStore(dataDir: string, now: () => number = Date.now): IdempotencyKeyStore {
  const db = openLimitsSqlite(dataDir);
  db.exec(KEY_SCHEMA);
  const names = ['@scope', '@request', '@expires', '@now'];
  const claim = db.prepare<[{ scope: string; request: string; expires: number; now: number }], { request: string }>(
    claimSql((i) => names[i - 1]!),
  );
  const sweep = db.prepare('DELETE FROM idempotency_keys WHERE expires_ms <= ?');
  let nextSweep = 0;
  return {
    async claim(scope, request, ttlMs) {
      const t = now();
      if (t >= nextSweep) {
        sweep.run(t);
        nextSweep = t + KEY_SWEEP_INTERVAL_MS;
      }
      return claim.get({ scope, request, expires: t + ttlMs, now: t })!.request === request;
    },
    close: async () => void db.close(),
  };
}
