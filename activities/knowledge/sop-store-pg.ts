/**
 * The versioned SOP store on PostgreSQL (SOP_DATABASE_URL): the same tables and rules as the SQLite store.
 * Version numbers are taken under a transaction-scoped advisory lock per SOP, so two people proposing the
 * same title at once get versions n and n+1, never a clash.
 */
import type pg from 'pg';
import {
  checkApproval,
  fromRow,
  LATEST_APPROVED,
  SELECT_VERSION,
  SOP_SCHEMA,
  type SopStore,
  type SopVersion,
  type VersionRow,
} from './sop-store';
import { classifyPgError } from '../../core/pg-errors';
import { openPgStore } from '../../core/pg-store';

export function createPostgresSopStore(databaseUrl: string): SopStore {
  const store = openPgStore(databaseUrl, SOP_SCHEMA, (err) => classifyPgError(err, 'SOP database'));
  // Inside a transaction a failure reaches the caller through the transaction, already named.
  const q = <R extends pg.QueryResultRow>(sql: string, args: unknown[] = [], client?: pg.PoolClient) =>
    client ? client.query<R>(sql, args) : store.query<R>(sql, args);
  const get = async (sopId: string, version: number, client?: pg.PoolClient): Promise<SopVersion | undefined> => {
    const r = (
      await q<VersionRow>(`${SELECT_VERSION} WHERE v.sop_id = $1 AND v.version = $2`, [sopId, version], client)
    ).rows[0];
    return r ? fromRow(r) : undefined;
  };

  /** One transaction holding the SOP's advisory lock. */
  const locked = <T>(sopId: string, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> =>
    store.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sop:${sopId}`]);
      return fn(c);
    });
  const latest = async (sopId: string, c: pg.PoolClient) =>
    Number(
      (await c.query<{ v: number | null }>('SELECT MAX(version) AS v FROM sop_versions WHERE sop_id = $1', [sopId]))
        .rows[0]?.v ?? 0,
    );

  return {
    propose: (p) =>
      locked(p.sopId, async (c) => {
        const version = (await latest(p.sopId, c)) + 1;
        await c.query(
          'INSERT INTO sop_versions (sop_id, version, topic, title, body, author, ticket_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
          [p.sopId, version, p.topic, p.title, p.body, p.author, p.ticketId ?? null, new Date().toISOString()],
        );
        return (await get(p.sopId, version, c))!;
      }),
    approve: (sopId, version, approver) =>
      locked(sopId, async (c) => {
        const v = checkApproval(await get(sopId, version ?? (await latest(sopId, c)), c), sopId, approver);
        await c.query(
          'INSERT INTO sop_approvals (sop_id, version, approver, approved_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
          [v.sopId, v.version, approver, new Date().toISOString()],
        );
        return (await get(v.sopId, v.version, c))!;
      }),
    get: (sopId, version) => get(sopId, version),
    versions: async (sopId) =>
      (await q<VersionRow>(`${SELECT_VERSION} WHERE v.sop_id = $1 ORDER BY v.version`, [sopId])).rows.map(fromRow),
    everything: async () => (await q<VersionRow>(`${SELECT_VERSION} ORDER BY v.sop_id, v.version`)).rows.map(fromRow),
    approved: async () => (await q<VersionRow>(LATEST_APPROVED)).rows.map(fromRow),
    approvalCount: async () => Number((await q<{ n: string }>('SELECT COUNT(*) AS n FROM sop_approvals')).rows[0]!.n),
    close: store.close,
  };
}
