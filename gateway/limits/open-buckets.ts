import type { Config } from '../../core/config';
import { createMemoryBuckets, createSqliteBuckets, type BucketStore } from './buckets';
import { createPostgresBuckets } from './buckets-pg';

/** PostgreSQL by URL, else SQLite in the data directory (both shared by instances); memory when so configured. */
export function openBucketStore(cfg: Config): BucketStore {
  if (cfg.limits.store === 'memory') return createMemoryBuckets();
  const url = cfg.limits.databaseUrl;
  return url ? createPostgresBuckets(url) : createSqliteBuckets(cfg.dataDir);
}
