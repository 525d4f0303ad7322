/**
 * Budgets shared by every gateway instance: a principal that spends its ticket-creation budget at A is refused
 * at B (PostgreSQL, a real throwaway server; SQLite in a shared data dir), and the buckets refill at the
 * budget's rate rather than all at once at a window's edge.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { consoleRoutes } from '../../gateway/api/register';
import type { TicketApiPort } from '../../gateway/api/context';
import { TicketflowError } from '../../core/errors';
import { createPostgresBuckets } from '../../gateway/limits/buckets-pg';
import { createMemoryBuckets, createSqliteBuckets, type BucketStore } from '../../gateway/limits/buckets';
import { createSqliteLeases } from '../../gateway/limits/leases';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { cleanupsAfterAll, customerToken, startGateway, uniqueName, type RunningGateway } from './harness';

const cleanup = cleanupsAfterAll();

let pgServer: Promise<TestPostgres | null> | undefined;
const postgres = () => (pgServer ??= startTestPostgres().then((p) => (p && cleanup(() => p.stop()), p)));

/** The workflow side is not under test: every ticket call answers "no such ticket" once the limit let it through. */
const noTickets = new Proxy(
  {},
  { get: () => async () => Promise.reject(new TicketflowError('not_found', 'no such ticket')) },
) as TicketApiPort;

async function pair(env: NodeJS.ProcessEnv): Promise<[RunningGateway, RunningGateway]> {
  const start = (topic?: string) =>
    startGateway({
      topic,
      env: { RATE_LIMIT_STORE: 'shared', RATE_LIMIT_TICKETS: '3/1m', ...env },
      deps: { registerRoutes: consoleRoutes({ tickets: noTickets, ui: false }) },
    });
  const a = await start();
  cleanup(() => a.stop());
  const b = await start(a.topic);
  cleanup(() => b.stop());
  return [a, b];
}

async function creates(a: RunningGateway, b: RunningGateway): Promise<string[]> {
  const token = customerToken(a, uniqueName('T'), uniqueName('cust'));
  const out: string[] = [];
  for (const g of [a, b, a, b]) {
    const res = await fetch(`${g.url}/v1/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'I was charged twice for my order' }),
    });
    out.push(res.status === 429 ? `429 after ${res.headers.get('retry-after')}s` : 'through');
  }
  return out;
}

/** Three of 3/1m are through (two at A, one at B); the fourth, at B, waits about a third of the window. */
function assertShared(out: string[]): void {
  assert.deepEqual(out.slice(0, 3), ['through', 'through', 'through']);
  assert.match(out[3]!, /^429 after (19|20)s$/, 'the fourth creation, at the other instance');
}

void describe('budgets shared across gateway instances', () => {
  void test('PostgreSQL: a creation budget spent at A and B together', async (t) => {
    const pg = await postgres();
    if (!pg) return t.skip('no PostgreSQL installed (initdb/pg_ctl not found)');
    assertShared(await creates(...(await pair({ RATE_LIMIT_DATABASE_URL: await pg.database() }))));
  });

  void test('SQLite in a shared data dir: the same', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-limits-'));
    cleanup(async () => fs.rmSync(dir, { recursive: true, force: true }));
    assertShared(
      await creates(
        ...(await pair({ TICKETFLOW_DATA_DIR: dir, RATE_LIMIT_DATABASE_URL: '', WS_TICKET_DATABASE_URL: '' })),
      ),
    );
  });
});

void describe('token buckets', () => {
  const bucket = { capacity: 4, windowMs: 60_000 };
  /** A burst of four, then one token back every 15 s; two stores on one database are one bucket. */
  async function refills(open: (now: () => number) => Promise<BucketStore>): Promise<void> {
    let now = 1_000_000;
    const [x, y] = [await open(() => now), await open(() => now)];
    cleanup(() => x.close());
    cleanup(() => y.close());
    const takes = async (n: number) => {
      const r: (true | number)[] = [];
      for (let i = 0; i < n; i++) {
        const took = await (i % 2 ? y : x).take('k', bucket);
        r.push(took.ok || took.retryAfterMs);
      }
      return r;
    };
    assert.deepEqual(await takes(5), [true, true, true, true, 15_000]);
    now += 14_000;
    assert.deepEqual(await takes(1), [1_000], 'not yet');
    now += 1_000;
    assert.deepEqual(await takes(2), [true, 15_000], 'one token back after a quarter of the window');
    now += 600_000;
    assert.deepEqual(await takes(5), [true, true, true, true, 15_000], 'never more than the capacity');
  }

  void test('in memory (one process: both calls get the same store)', async () => {
    let store: BucketStore | undefined;
    await refills(async (now) => (store ??= createMemoryBuckets(now)));
  });
  void test('SQLite: two stores on one file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-buckets-'));
    cleanup(async () => fs.rmSync(dir, { recursive: true, force: true }));
    await refills(async (now) => createSqliteBuckets(dir, now));
  });
  void test('PostgreSQL: two stores on one database', async (t) => {
    const pg = await postgres();
    if (!pg) return t.skip('no PostgreSQL installed (initdb/pg_ctl not found)');
    const url = await pg.database();
    await refills(async (now) => createPostgresBuckets(url, now));
  });
  void test('SQLite: a writer stalled mid-transaction holds another gateway for a moment, not for seconds', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-busy-'));
    cleanup(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const [buckets, leases] = [createSqliteBuckets(dir), createSqliteLeases(dir)];
    cleanup(() => buckets.close());
    cleanup(() => leases.close());
    // Another gateway's connection, stopped while it holds the write lock.
    const stalled = new Database(path.join(dir, 'rate-limits.sqlite'));
    cleanup(async () => void stalled.close());
    stalled.exec('BEGIN IMMEDIATE');
    // better-sqlite3 waits synchronously: this is how long the event loop of the gateway asking is frozen.
    const frozenFor = async (call: () => Promise<unknown>) => {
      const started = performance.now();
      await assert.rejects(call(), /locked|busy/i, 'the store reports the lock (the limiter then lets it through)');
      return performance.now() - started;
    };
    const lease = { principal: 'p', instanceId: 'gw', streamId: 's1' };
    const waits = [
      await frozenFor(() => buckets.take('k', bucket)),
      await frozenFor(() => leases.acquire(lease, 2, 1)),
    ];
    stalled.exec('ROLLBACK');
    // The old 5 s timeout froze each call 5 s; the bound is wide for a loaded machine and far below that.
    for (const ms of waits) assert.ok(ms < 2_000, `a call waited ${Math.round(ms)} ms on the stalled writer`);
    assert.deepEqual(await buckets.take('k', bucket), { ok: true }, 'served again once the writer is gone');
  });
});
