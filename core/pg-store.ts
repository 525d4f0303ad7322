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

export function openPgStore(
  databaseUrl: string,
  schema: string,
  fail: (err: unknown) => unknown = (err) => err,
): PgStore {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4, connectionTimeoutMillis: 5_000 });
  // The pool reports errors of idle clients here; without a listener one would crash the process.
  pool.on('error', () => undefined);
  let ready: Promise<void> | undefined;
  const ensure = () =>
    (ready ??= pool.query(schema).then(
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
      const client = await pool.connect().catch((err: unknown) => {
        throw fail(err);
      });
      try {
        await client.query('BEGIN');
        const out = await fn(client);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw fail(err);
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
