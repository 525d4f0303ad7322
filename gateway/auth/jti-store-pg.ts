/**
 * Used ws-ticket ids on PostgreSQL (WS_TICKET_DATABASE_URL), shared by every gateway instance. A database
 * that cannot answer refuses the stream (the caller maps the throw to 503): accepting the ticket unchecked
 * would let it be replayed.
 */
import { openPgStore } from '../../core/pg-store';
import { JTI_KEEP_PAST_EXPIRY_MS, JTI_SCHEMA, JTI_SWEEP_INTERVAL_MS, type JtiStore } from './jti-store';

export function createPostgresJtiStore(databaseUrl: string, now: () => number = Date.now): JtiStore {
  const { pool, ensure, close } = openPgStore(databaseUrl, JTI_SCHEMA);
  let nextSweep = 0;
  return {
    async consume(jti, expiresAt) {
      await ensure();
      const t = now();
      if (t >= nextSweep) {
        nextSweep = t + JTI_SWEEP_INTERVAL_MS;
        // Housekeeping only: a failed sweep is retried next interval and never refuses a stream.
        void pool.query('DELETE FROM ws_ticket_uses WHERE keep_until <= $1', [t]).catch(() => undefined);
      }
      const r = await pool.query(
        'INSERT INTO ws_ticket_uses (jti, keep_until) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING',
        [jti, expiresAt + JTI_KEEP_PAST_EXPIRY_MS],
      );
      return r.rowCount === 1;
    },
    close,
  };
}
