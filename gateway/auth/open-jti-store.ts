import type { Config } from '../../core/config';
import { createSqliteJtiStore, type JtiStore } from './jti-store';
import { createPostgresJtiStore } from './jti-store-pg';

/** The store every instance of a deployment shares: PostgreSQL by URL, else SQLite in the data directory. */
export function openJtiStore(cfg: Config): JtiStore {
  const url = cfg.gateway.wsTicketDatabaseUrl;
  return url ? createPostgresJtiStore(url) : createSqliteJtiStore(cfg.dataDir);
}
