import type { Config } from '../../core/config';
import { createMemoryBuckets, createSqliteBuckets, type BucketStore } from './buckets';
import { createPostgresBuckets } from './buckets-pg';
import { createMemoryLeases, createSqliteLeases, type LeaseStore } from './leases';
import { createPostgresLeases } from './leases-pg';
import { createRateLimits, type RateLimits } from './rate-limits';
import { createStreamSlots } from './stream-slots';

/** PostgreSQL by URL, else SQLite in the data directory (both shared by instances); memory when so configured. */
export function openBucketStore(cfg: Config): BucketStore {
  if (cfg.limits.store === 'memory') return createMemoryBuckets();
  const url = cfg.limits.databaseUrl;
  return url ? createPostgresBuckets(url) : createSqliteBuckets(cfg.dataDir);
}

/** The open-stream leases, in the same database as the buckets. */
export function openLeaseStore(cfg: Config): LeaseStore {
  if (cfg.limits.store === 'memory') return createMemoryLeases();
  const url = cfg.limits.databaseUrl;
  return url ? createPostgresLeases(url) : createSqliteLeases(cfg.dataDir);
}

/**
 * A gateway's limits on the configured stores. `onStoreError` hears of a store that did not answer (the request
 * went through); `close` deletes the instance's leases and closes both stores.
 */
export function openRateLimits(
  cfg: Config,
  instanceId: string,
  onStoreError: (err: unknown) => void,
): { limits: RateLimits; close(): Promise<void> } {
  const buckets = openBucketStore(cfg);
  const slots = createStreamSlots({
    ...{ store: openLeaseStore(cfg), instanceId, max: cfg.limits.maxStreams, leaseMs: cfg.limits.streamLeaseMs },
    onStoreError,
  });
  return {
    limits: createRateLimits(cfg.limits, buckets, slots, onStoreError),
    async close() {
      await slots.close();
      await buckets.close().catch(onStoreError);
    },
  };
}
