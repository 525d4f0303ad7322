/**
 * Idempotency keys on PostgreSQL (RATE_LIMIT_DATABASE_URL, else WS_TICKET_DATABASE_URL), shared by every
 * gateway instance: the same table and statement as the SQLite store (key-store.ts). Concurrent claims of one
 * key serialize on its row (ON CONFLICT waits for the other insert), so exactly one request wins it.
 */
import { openPgStore } from '../../core/pg-store';
import { claimSql, KEY_SCHEMA, KEY_SWEEP_INTERVAL_MS, type IdempotencyKeyStore } from './key-store';

const TYPES = ['text', 'text', 'bigint', 'bigint'];
const CLAIM = claimSql((i) => `$${i}::${TYPES[i - 1]}`);

export function createPostgresKeyStore(databaseUrl: string, now: () => number = Date.now): IdempotencyKeyStore {
  const { pool, query, close } = openPgStore(databaseUrl, KEY_SCHEMA);
  let nextSweep = 0;
  return {
    async claim(scope, request, ttlMs) {
      const t = now();
      const row = await query<{ request: string }>(CLAIM, [scope, request, t + ttlMs, t]);
      if (t >= nextSweep) {
        nextSweep = t + KEY_SWEEP_INTERVAL_MS;
        void pool.query('DELETE FROM idempotency_keys WHERE expires_ms <= $1', [t]).catch(() => undefined);
      }
      return row.rows[0]!.request === request;
    },
    close,
  };
}
