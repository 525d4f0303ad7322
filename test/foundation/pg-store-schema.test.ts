/**
 * Every PostgreSQL store makes its schema on first use, and several processes (two gateways, a gateway and a
 * worker) meet an empty database at the same moment. PostgreSQL's `CREATE ... IF NOT EXISTS` is not safe run
 * concurrently (two sessions both see no table, the second fails on pg_type's unique index); a store whose
 * schema failed let a stream through without its lease (the shared stream cap, CI of round seven).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { openPgStore } from '../../core/pg-store';
import { LEASE_SCHEMA } from '../../gateway/limits/leases';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';

let server: TestPostgres | null = null;
after(() => server?.stop());

void test('stores meeting an empty database at once all make its schema without an error', async (t) => {
  server = await startTestPostgres();
  if (!server) return t.skip('no PostgreSQL installed (initdb/pg_ctl not found)');
  const failures: string[] = [];
  for (let round = 0; round < 12; round++) {
    const url = await server.database();
    const stores = Array.from({ length: 4 }, () => openPgStore(url, LEASE_SCHEMA));
    const results = await Promise.allSettled(stores.map((s) => s.ensure()));
    for (const r of results) if (r.status === 'rejected') failures.push(String((r.reason as Error).message));
    await Promise.all(stores.map((s) => s.close()));
  }
  assert.deepEqual(failures, [], 'schema creation failed for some of the stores');
});
