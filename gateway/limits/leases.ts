/**
 * Open-stream leases: one row per open stream (principal, gateway instance, stream id, expiry), kept where
 * every gateway instance sees them, so MAX_STREAMS_PER_PRINCIPAL holds across instances. Each gateway renews
 * its own rows on an interval and deletes a row when its stream closes; a row past its expiry counts for
 * nothing, so the slots of a gateway killed with -9 come back within the lease time without anyone sweeping.
 * SQLite in the data directory (one machine) or PostgreSQL (leases-pg.ts); in memory for a single process.
 * Expiry is stamped by each gateway's own clock: instances must keep their clocks within a small part of the
 * lease time (NTP does).
 */
import { openLimitsSqlite } from './limits-sqlite';

export interface Lease {
  principal: string;
  /** The gateway holding the stream, with a per-start suffix (stream-slots.ts says why). */
  instanceId: string;
  streamId: string;
}

export interface LeaseStore {
  /** Adds `lease` unless its principal already holds `max` unexpired ones; atomic across instances. */
  acquire(lease: Lease, max: number, expiresAt: number): Promise<boolean>;
  /**
   * Moves every lease of `instanceId` to `expiresAt`, puts back any of `held` (its open streams) that another
   * instance's sweep deleted while this one's renewal was late (a store outage, a stalled event loop: those
   * streams are still open and must count), then deletes every instance's expired leases.
   */
  renew(instanceId: string, held: Lease[], expiresAt: number): Promise<void>;
  release(streamId: string): Promise<void>;
  /** Deletes every lease of `instanceId` (a gateway that stops). */
  releaseAll(instanceId: string): Promise<void>;
  /** The principal's unexpired leases. */
  count(principal: string): Promise<number>;
  close(): Promise<void>;
}

export const LEASE_SCHEMA = `CREATE TABLE IF NOT EXISTS stream_leases (stream_id TEXT PRIMARY KEY, principal TEXT NOT NULL,
  instance_id TEXT NOT NULL, expires_at BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS stream_leases_principal ON stream_leases (principal, expires_at);
CREATE INDEX IF NOT EXISTS stream_leases_instance ON stream_leases (instance_id)`;

export function createMemoryLeases(now: () => number = Date.now): LeaseStore {
  type Row = Lease & { expiresAt: number };
  // By principal, since every open counts one principal's leases (a deployment may hold many thousands).
  const byPrincipal = new Map<string, Map<string, Row>>();
  const principalOf = new Map<string, string>();
  const live = (principal: string) => {
    let n = 0;
    for (const r of byPrincipal.get(principal)?.values() ?? []) if (r.expiresAt > now()) n++;
    return n;
  };
  const drop = (streamId: string) => {
    const p = principalOf.get(streamId);
    if (p === undefined) return;
    principalOf.delete(streamId);
    const rows = byPrincipal.get(p)!;
    rows.delete(streamId);
    if (rows.size === 0) byPrincipal.delete(p);
  };
  const dropWhere = (pred: (r: Row) => boolean) => {
    for (const rows of [...byPrincipal.values()]) for (const r of [...rows.values()]) if (pred(r)) drop(r.streamId);
  };
  return {
    async acquire(lease, max, expiresAt) {
      if (live(lease.principal) >= max) return false;
      const rows = byPrincipal.get(lease.principal) ?? new Map<string, Row>();
      byPrincipal.set(lease.principal, rows.set(lease.streamId, { ...lease, expiresAt }));
      principalOf.set(lease.streamId, lease.principal);
      return true;
    },
    async renew(instanceId, held, expiresAt) {
      for (const lease of held) {
        if (lease.instanceId !== instanceId) continue;
        const rows = byPrincipal.get(lease.principal) ?? new Map<string, Row>();
        byPrincipal.set(lease.principal, rows.set(lease.streamId, { ...lease, expiresAt }));
        principalOf.set(lease.streamId, lease.principal);
      }
      const t = now();
      dropWhere((r) => r.expiresAt <= t);
    },
    release: async (streamId) => drop(streamId),
    releaseAll: async (instanceId) => dropWhere((r) => r.instanceId === instanceId),
    count: async (principal) => live(principal),
    close: async () => undefined,
  };
}

export function createSqliteLeases(dataDir: string, now: () => number = Date.now): LeaseStore {
  const db = openLimitsSqlite(dataDir);
  // Not synced on every commit: a lease lost to a power cut only frees its slot early, and each open and close
  // writes one.
  db.pragma('synchronous = NORMAL');
  db.exec(LEASE_SCHEMA);
  const countLive = db.prepare<[string, number], { n: number }>(
    'SELECT count(*) AS n FROM stream_leases WHERE principal = ? AND expires_at > ?',
  );
  const insert = db.prepare(
    'INSERT INTO stream_leases (stream_id, principal, instance_id, expires_at) VALUES (?, ?, ?, ?)',
  );
  const renew = db.prepare('UPDATE stream_leases SET expires_at = ? WHERE instance_id = ?');
  const restore = db.prepare(
    'INSERT INTO stream_leases (stream_id, principal, instance_id, expires_at) VALUES (?, ?, ?, ?) ' +
      'ON CONFLICT (stream_id) DO UPDATE SET expires_at = excluded.expires_at',
  );
  const sweep = db.prepare('DELETE FROM stream_leases WHERE expires_at <= ?');
  const release = db.prepare('DELETE FROM stream_leases WHERE stream_id = ?');
  const releaseAll = db.prepare('DELETE FROM stream_leases WHERE instance_id = ?');
  // IMMEDIATE takes the write lock before the count: two gateways at the cap cannot both see room.
  const acquire = db.transaction((l: Lease, max: number, expiresAt: number) => {
    if (countLive.get(l.principal, now())!.n >= max) return false;
    insert.run(l.streamId, l.principal, l.instanceId, expiresAt);
    return true;
  });
  // Own rows first, so this sweep never takes them; the rows put back only when some were missing (the usual
  // renewal is one UPDATE however many streams are open).
  const renewAll = db.transaction((instanceId: string, held: Lease[], expiresAt: number) => {
    if (renew.run(expiresAt, instanceId).changes < held.length)
      for (const l of held) restore.run(l.streamId, l.principal, instanceId, expiresAt);
    sweep.run(now());
  });
  return {
    acquire: async (lease, max, expiresAt) => acquire.immediate(lease, max, expiresAt),
    renew: async (instanceId, held, expiresAt) => renewAll(instanceId, held, expiresAt),
    release: async (streamId) => void release.run(streamId),
    releaseAll: async (instanceId) => void releaseAll.run(instanceId),
    count: async (principal) => countLive.get(principal, now())!.n,
    close: async () => void db.close(),
  };
}
