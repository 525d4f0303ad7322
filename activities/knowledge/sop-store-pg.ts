/**
 * The versioned SOP store on PostgreSQL (SOP_DATABASE_URL): the same tables and rules as the SQLite store.
 * Version numbers are taken under a transaction-scoped advisory lock per SOP, so two people proposing the
 * same title at once get versions n and n+1, never a clash.
 */
import pg from 'pg';
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

export function createPostgresSopStore(databaseUrl: string): SopStore {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4, connectionTimeoutMillis: 5_000 });
  pool.on('error', () => undefined);
  let ready: Promise<void> | undefined;
  const ensure = () =>
    (ready ??= pool.query(SOP_SCHEMA).then(
      () => undefined,
      (err: unknown) => {
        ready = undefined;
        throw classifyPgError(err, 'SOP database');
      },
    ));
  const q = async <R extends pg.QueryResultRow>(
    sql: string,
    args: unknown[] = [],
    client: pg.Pool | pg.PoolClient = pool,
  ) => {
    await ensure();
    return client.query<R>(sql, args).catch((err: unknown) => {
      throw classifyPgError(err, 'SOP database');
    });
  };
  const get = async (
    sopId: string,
    version: number,
    client: pg.Pool | pg.PoolClient = pool,
  ): Promise<SopVersion | undefined> => {
    const r = (
      await q<VersionRow>(`${SELECT_VERSION} WHERE v.sop_id = $1 AND v.version = $2`, [sopId, version], client)
    ).rows[0];
    return r ? fromRow(r) : undefined;
  };

  /** One transaction holding the SOP's advisory lock. */
  async function locked<T>(sopId: string, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    await ensure();
    const client = await pool.connect().catch((err: unknown) => {
      throw classifyPgError(err, 'SOP database');
    });
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sop:${sopId}`]);
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw classifyPgError(err, 'SOP database');
    } finally {
      client.release();
    }
  }
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
    close: () => pool.end(),
  };
}
