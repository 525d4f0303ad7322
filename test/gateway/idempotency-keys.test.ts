/**
 * The Idempotency-Key store (gateway/idempotency): a key is bound to the first request sent with it until its
 * TTL, the same request claims it again, another is refused; past the TTL the key is free again. Two stores on
 * one database (two gateway instances) see each other's keys, and of many requests racing on one key with
 * different bodies exactly one wins. In memory, SQLite in a shared data dir, and a real throwaway PostgreSQL.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { canonicalJson, fingerprint } from '../../gateway/idempotency/fingerprint';
import {
  createMemoryKeyStore,
  createSqliteKeyStore,
  type IdempotencyKeyStore,
} from '../../gateway/idempotency/key-store';
import { createPostgresKeyStore } from '../../gateway/idempotency/key-store-pg';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
});
let pgServer: Promise<TestPostgres | null> | undefined;
const postgres = () => (pgServer ??= startTestPostgres().then((p) => (p && cleanups.push(() => p.stop()), p)));
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-idem-'));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
};

const TTL = 60_000;

/** Two stores of one deployment (the same object in memory), on one clock the test moves. */
type Open = (now: () => number) => Promise<[IdempotencyKeyStore, IdempotencyKeyStore]>;

async function contract(open: Open): Promise<void> {
  let now = 1_000_000;
  const [a, b] = await open(() => now);
  cleanups.push(
    () => a.close(),
    () => b.close(),
  );
  assert.equal(await a.claim('k1', 'req-1', TTL), true, 'a new key is this request');
  assert.equal(await b.claim('k1', 'req-1', TTL), true, 'a retry of it, at the other instance');
  assert.equal(await b.claim('k1', 'req-2', TTL), false, 'another request under it, at the other instance');
  assert.equal(await a.claim('k1', 'req-2', TTL), false, 'and at the first');
  assert.equal(await a.claim('k2', 'req-2', TTL), true, 'another key is free');
  now += TTL - 1;
  assert.equal(
    await b.claim('k1', 'req-2', TTL),
    false,
    'still bound just before its TTL (a retry does not extend it)',
  );
  now += 1;
  assert.equal(await b.claim('k1', 'req-2', TTL), true, 'free again at its TTL: the new request takes it');
  assert.equal(await a.claim('k1', 'req-1', TTL), false, 'and the first request no longer owns it');
  now += TTL * 3;
  assert.equal(await a.claim('k1', 'req-1', TTL), true, 'taken over again after the sweep time');
}

/** Many requests on one key at once, each with its own body, through both stores: exactly one wins. */
async function race(open: Open): Promise<void> {
  const [a, b] = await open(Date.now);
  cleanups.push(
    () => a.close(),
    () => b.close(),
  );
  const claims = await Promise.all(
    Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).claim('raced', `req-${i}`, TTL)),
  );
  assert.equal(claims.filter(Boolean).length, 1, JSON.stringify(claims));
}

describe('Idempotency-Key store', () => {
  test('in memory (one process: both calls get the same store)', async () => {
    const open: Open = async (now) => {
      const s = createMemoryKeyStore(now);
      return [s, s];
    };
    await contract(open);
    await race(open);
  });

  test('SQLite: two stores on one data dir', async () => {
    const open: Open = async (now) => {
      const dir = tempDir();
      return [createSqliteKeyStore(dir, now), createSqliteKeyStore(dir, now)];
    };
    await contract(open);
    await race(open);
  });

  test('PostgreSQL: two stores on one database', async (t) => {
    const pg = await postgres();
    if (!pg) return t.skip('no PostgreSQL installed (initdb/pg_ctl not found)');
    const open: Open = async (now) => {
      const url = await pg.database();
      return [createPostgresKeyStore(url, now), createPostgresKeyStore(url, now)];
    };
    await contract(open);
    await race(open);
  });
});

describe('request fingerprint', () => {
  const base = { sub: 'ann', orgId: 'acme', key: 'k', route: 'post /v1/tickets/:id/review', params: ['t-1'] };
  const body = { action: 'edit', draftVersion: 2, text: 'Hello' };

  test('the same request in any key order is one fingerprint', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: null } }),
      '{"a":{"c":null,"d":[2,{"x":0,"y":1}]},"b":1}',
    );
    assert.deepEqual(
      fingerprint({ ...base, body }),
      fingerprint({ ...base, body: { text: 'Hello', draftVersion: 2, action: 'edit' } }),
    );
  });

  test('another body, ticket, route, key or caller is another request; the scope is the key and caller only', () => {
    const fp = fingerprint({ ...base, body });
    const others = [
      { ...base, body: { ...body, text: 'Hello!' } },
      { ...base, params: ['t-2'], body },
      { ...base, route: 'post /v1/tickets/:id/sop', body },
      { ...base, key: 'k2', body },
      { ...base, sub: 'bo', body },
      { ...base, orgId: undefined, body },
    ];
    for (const o of others) assert.notEqual(fingerprint(o).request, fp.request, JSON.stringify(o));
    assert.equal(fingerprint({ ...base, params: ['t-2'], body: {} }).scope, fp.scope);
    assert.notEqual(fingerprint({ ...base, sub: 'bo', body }).scope, fp.scope);
  });

  test('no part of the body or key is kept in the clear', () => {
    const fp = fingerprint({ ...base, key: 'my-key', body: { text: 'mona@example.com' } });
    for (const v of [fp.scope, fp.request]) assert.match(v, /^[0-9a-f]{64}$/);
  });
});
