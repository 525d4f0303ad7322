import type { Config } from '../../core/config';
import { createSqliteDeskStore, type DeskStore } from './store';
import { createPostgresDeskStore } from './store-pg';

/** The store every gateway instance of a deployment shares: PostgreSQL by URL, else SQLite in the data directory. */
export function openDeskStore(cfg: Config): DeskStore {
  const url = cfg.gateway.deskDatabaseUrl;
  return url ? createPostgresDeskStore(url) : createSqliteDeskStore(cfg.dataDir);
}
