/**
 * Token buckets on PostgreSQL, shared by every gateway instance of a deployment. A database that cannot answer
 * lets the request through (the caller logs it): a limiter outage must not turn into an outage of the desk.
 */
import { openPgStore } from '../../core/pg-store';
import { BUCKET_SCHEMA, BUCKET_SWEEP_INTERVAL_MS, retryAfterMs, takeSql, type BucketStore } from './buckets';

const TYPES = ['text', 'float8', 'float8', 'bigint'];
const TAKE = takeSql('LEAST', 'GREATEST', (i) => `$${i}::${TYPES[i - 1]}`);

export function createPostgresBuckets(databaseUrl: string, now: () => number = Date.now): BucketStore {
  const { pool, ensure, close } = openPgStore(databaseUrl, BUCKET_SCHEMA);
  let nextSweep = 0;
  return {
    async take(key, b) {
      await ensure();
      const t = now();
      if (t >= nextSweep) {
        nextSweep = t + BUCKET_SWEEP_INTERVAL_MS;
        void pool
          .query('DELETE FROM rate_buckets WHERE updated_ms < $1', [t - BUCKET_SWEEP_INTERVAL_MS * 60])
          .catch(() => undefined);
      }
      const taken = await pool.query(TAKE, [key, b.capacity, b.capacity / b.windowMs, t]);
      if (taken.rowCount === 1) return { ok: true };
      const row = await pool.query<{ tokens: number; updated_ms: string }>(
        'SELECT tokens, updated_ms FROM rate_buckets WHERE key = $1',
        [key],
      );
      const r = row.rows[0];
      return { ok: false, retryAfterMs: r ? retryAfterMs(r.tokens, Number(r.updated_ms), t, b) : 1 };
    },
    close,
  };
}
