/**
 * The set-up every PostgreSQL store shares: one small pool, the schema made on first use, and queries and
 * transactions whose failures the store names its own way (`fail`, e.g. classifyPgError from ./pg-errors).
 */
import pg from 'pg';

export interface PgStore {
  readonly pool: pg.Pool;
  /** Makes the schema once; a failed attempt is forgotten so the next call tries again (a database that comes up late). */
  ensure(): Promise<void>;
  query<R extends pg.QueryResultRow>(sql: string, args?: unknown[]): Promise<pg.QueryResult<R>>;
  /** `fn` inside BEGIN/COMMIT on one client; any failure rolls back and reaches the caller through `fail`. */
  transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `fn` inside BEGIN/COMMIT on one client of `pool`; any failure rolls back and is thrown as it came. */
async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export function openPgStore(
  databaseUrl: string,
  schema: string,
  fail: (err: unknown) => unknown = (err) => err,
): PgStore {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4, connectionTimeoutMillis: 5_000 });
  // The pool reports errors of idle clients here; without a listener one would crash the process.
  pool.on('error', () => undefined);
  let ready: Promise<void> | undefined;
  // Under one database-wide lock: `CREATE ... IF NOT EXISTS` is not safe concurrently (two sessions both find
  // no table and the second fails on pg_type's unique index), and two gateways, or a gateway and a worker, meet
  // an empty database at the same moment.
  const makeSchema = () =>
    inTransaction(pool, async (client) => {
      // Bounded: a schema statement waiting behind a long transaction on its table would otherwise hold every
      // other store's first use in every process; a failed attempt is retried on the next call.
      await client.query("SET LOCAL lock_timeout = '10s'");
      await client.query("SELECT pg_advisory_xact_lock(hashtext('ticketflow:schema'))");
      await client.query(schema);
    });
  const ensure = () =>
    (ready ??= makeSchema().then(
      () => undefined,
      (err: unknown) => {
        ready = undefined;
        throw fail(err);
      },
    ));
  return {
    pool,
    ensure,
    async query<R extends pg.QueryResultRow>(sql: string, args: unknown[] = []) {
      await ensure();
      return pool.query<R>(sql, args).catch((err: unknown) => {
        throw fail(err);
      });
    },
    async transaction(fn) {
      await ensure();
      return inTransaction(pool, fn).catch((err: unknown) => {
        throw fail(err);
      });
    },
    close: () => pool.end(),
  };
}
