/**
 * Open-stream leases on PostgreSQL (RATE_LIMIT_DATABASE_URL, else WS_TICKET_DATABASE_URL), shared by every
 * gateway instance: the same table and rules as the SQLite store (leases.ts).
 */
import { openPgStore } from '../../core/pg-store';
import { LEASE_SCHEMA, type LeaseStore } from './leases';

const LIVE = 'SELECT count(*) AS n FROM stream_leases WHERE principal = $1 AND expires_at > $2';

export function createPostgresLeases(databaseUrl: string, now: () => number = Date.now): LeaseStore {
  const { query, transaction, close } = openPgStore(databaseUrl, LEASE_SCHEMA);
  const count = async (principal: string) => Number((await query<{ n: string }>(LIVE, [principal, now()])).rows[0]!.n);
  return {
    acquire: (l, max, expiresAt) =>
      transaction(async (client) => {
        // One principal's opens serialize on this lock (also when it holds no row yet), so two gateways at
        // the cap cannot both see room.
        await client.query("SELECT pg_advisory_xact_lock(hashtext('stream_leases:' || $1))", [l.principal]);
        const held = await client.query<{ n: string }>(LIVE, [l.principal, now()]);
        if (Number(held.rows[0]!.n) >= max) return false;
        await client.query(
          'INSERT INTO stream_leases (stream_id, principal, instance_id, expires_at) VALUES ($1, $2, $3, $4)',
          [l.streamId, l.principal, l.instanceId, expiresAt],
        );
        return true;
      }),
    async renew(instanceId, held, expiresAt) {
      // Own rows first, so the sweep below never takes them; put back only when some were swept meanwhile.
      const moved = await query('UPDATE stream_leases SET expires_at = $1 WHERE instance_id = $2', [
        expiresAt,
        instanceId,
      ]);
      if ((moved.rowCount ?? 0) < held.length)
        await query(
          'INSERT INTO stream_leases (stream_id, principal, instance_id, expires_at) ' +
            'SELECT s, p, $3, $4 FROM unnest($1::text[], $2::text[]) AS u(s, p) ' +
            'ON CONFLICT (stream_id) DO UPDATE SET expires_at = EXCLUDED.expires_at',
          [held.map((l) => l.streamId), held.map((l) => l.principal), instanceId, expiresAt],
        );
      await query('DELETE FROM stream_leases WHERE expires_at <= $1', [now()]);
    },
    release: async (streamId) => void (await query('DELETE FROM stream_leases WHERE stream_id = $1', [streamId])),
    releaseAll: async (instanceId) =>
      void (await query('DELETE FROM stream_leases WHERE instance_id = $1', [instanceId])),
    count,
    close,
  };
}
