/**
 * MAX_STREAMS_PER_PRINCIPAL across gateway instances, on both shared stores (PostgreSQL, a real throwaway
 * server; SQLite in a shared data dir): streams opened at A count at B; a close at A frees a slot at B; a
 * gateway killed with -9 (a child process) frees its slots once their leases run out, while a live one keeps
 * them past the lease time by renewing. The lease stores' rules, on a clock the test moves, on all three stores.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { createMemoryLeases, createSqliteLeases, type LeaseStore } from '../../gateway/limits/leases';
import { createStreamSlots } from '../../gateway/limits/stream-slots';
import { createPostgresLeases } from '../../gateway/limits/leases-pg';
import { repoRoot } from '../../scripts/infra/paths';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import {
  agentToken,
  cleanupsAfterAll,
  MemorySnapshots,
  startGateway,
  StreamClient,
  streamUrl,
  TEST_SECRET,
  uniqueName,
  waitFor,
} from './harness';
import { upgradeAnswer } from './upgrade-answer';

const cleanup = cleanupsAfterAll();
const LEASE_MS = 4_000;

let pgServer: Promise<TestPostgres | null> | undefined;
const postgres = () => (pgServer ??= startTestPostgres().then((p) => (p && cleanup(() => p.stop()), p)));

/** One shared store: the gateways' environment for it, and a reader of its leases for the test. */
interface Store {
  env: NodeJS.ProcessEnv;
  leases: LeaseStore;
}

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanup(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const engines: Record<string, () => Promise<Store | string>> = {
  PostgreSQL: async () => {
    const pg = await postgres();
    if (!pg) return 'no PostgreSQL installed (initdb/pg_ctl not found)';
    const url = await pg.database();
    return { env: { RATE_LIMIT_DATABASE_URL: url }, leases: createPostgresLeases(url) };
  },
  'SQLite in a shared data dir': async () => {
    const dir = tempDir('ticketflow-leases-');
    const env = { TICKETFLOW_DATA_DIR: dir, RATE_LIMIT_DATABASE_URL: '', WS_TICKET_DATABASE_URL: '' };
    return { env, leases: createSqliteLeases(dir) };
  },
};

const limitsEnv = (store: Store): NodeJS.ProcessEnv => ({
  RATE_LIMIT_STORE: 'shared',
  MAX_STREAMS_PER_PRINCIPAL: '2',
  STREAM_LEASE_TTL: `${LEASE_MS}ms`,
  ...store.env,
});

async function gatewayOn(store: Store, snapshots: MemorySnapshots) {
  const g = await startGateway({ env: limitsEnv(store), snapshots, deps: { kafka: false } });
  cleanup(() => g.stop());
  return g;
}

/** A gateway in its own process on the same store (fixtures/lease-gateway.ts); `kill` is kill -9. */
async function childGateway(store: Store): Promise<{ wsUrl: string; kill(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join('test', 'gateway', 'fixtures', 'lease-gateway.ts')],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        TICKETFLOW_DATA_DIR: tempDir('ticketflow-child-gw-'),
        ...limitsEnv(store),
        JWT_SECRET: TEST_SECRET,
        GATEWAY_INSTANCE_ID: uniqueName('child-gw'),
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanup(async () => {
    child.kill('SIGKILL');
    await exited;
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the child gateway did not listen within 60 s')), 60_000);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /\{"port":(\d+)\}/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    void exited.then(() => reject(new Error('the child gateway exited before it listened')));
    void exited.finally(() => clearTimeout(timer));
  });
  return {
    wsUrl: `ws://127.0.0.1:${port}`,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

for (const [name, open] of Object.entries(engines)) {
  void describe(`open-stream cap across gateway instances: ${name}`, () => {
    void test('streams at A count at B; a close at A frees a slot at B', async (t) => {
      const store = await open();
      if (typeof store === 'string') return t.skip(store);
      cleanup(() => store.leases.close());
      const snapshots = new MemorySnapshots();
      const [a, b] = [await gatewayOn(store, snapshots), await gatewayOn(store, snapshots)];
      const ticketId = uniqueName('T');
      snapshots.set(ticketId, []);
      const sub = uniqueName('agent');
      const token = agentToken(a, sub);
      const atA = [
        new StreamClient(streamUrl(a, ticketId), { token }),
        new StreamClient(streamUrl(a, ticketId), { token }),
      ];
      await Promise.all(atA.map((c) => c.opened));

      const refused = await upgradeAnswer(streamUrl(b, ticketId), token);
      assert.equal(refused.status, 429, 'a third stream, at B, while A holds two');
      assert.ok(Number(refused.retryAfter) >= 1, `Retry-After (${refused.retryAfter})`);

      atA[0]!.close();
      await atA[0]!.waitClosed();
      await waitFor(async () => (await store.leases.count(sub)) === 1, {
        message: "A's closed stream leaving the store",
      });
      const freed = await upgradeAnswer(streamUrl(b, ticketId), token);
      assert.equal(freed.status, 101, 'the slot freed at A, taken at B');
      freed.ws!.close();
      atA[1]!.close();
    });

    void test('a gateway killed with -9 frees its slots after the lease time; a live one keeps them', async (t) => {
      const store = await open();
      if (typeof store === 'string') return t.skip(store);
      cleanup(() => store.leases.close());
      const snapshots = new MemorySnapshots();
      const b = await gatewayOn(store, snapshots);
      const child = await childGateway(store);
      const ticketId = uniqueName('T');
      snapshots.set(ticketId, []);
      const sub = uniqueName('agent');
      const token = agentToken(b, sub);
      const url = `${child.wsUrl}/v1/tickets/${ticketId}/stream`;
      const atChild = [new StreamClient(url, { token }), new StreamClient(url, { token })];
      await Promise.all(atChild.map((c) => c.opened));
      const openedAt = Date.now();
      assert.equal((await upgradeAnswer(streamUrl(b, ticketId), token)).status, 429, 'while the child holds two');

      // The claim is about time: past the first leases' expiry, the live child's renewals still hold both slots.
      await waitFor(() => Date.now() > openedAt + LEASE_MS + 1_000, { timeoutMs: LEASE_MS + 10_000 });
      assert.equal(await store.leases.count(sub), 2, "the live child's leases, renewed past the lease time");
      assert.equal((await upgradeAnswer(streamUrl(b, ticketId), token)).status, 429, 'still, one lease time later');

      await child.kill();
      await waitFor(async () => (await store.leases.count(sub)) === 0, {
        timeoutMs: LEASE_MS * 2 + 10_000,
        message: "the killed child's leases to run out",
      });
      const freed = await upgradeAnswer(streamUrl(b, ticketId), token);
      assert.equal(freed.status, 101, "a slot at B once the dead child's leases ran out");
      freed.ws!.close();
    });
  });
}

void describe('lease stores', () => {
  /** Two stores on one database (memory: the same store twice), each speaking for one gateway. */
  async function rules(open: (now: () => number) => LeaseStore): Promise<void> {
    let now = 1_000_000;
    const [x, y] = [open(() => now), open(() => now)];
    cleanup(() => x.close());
    cleanup(() => y.close());
    const lease = (streamId: string, instanceId: string, principal = 'p') => ({ principal, instanceId, streamId });
    assert.equal(await x.acquire(lease('a1', 'gw-a'), 2, now + 1_000), true);
    assert.equal(await y.acquire(lease('b1', 'gw-b'), 2, now + 1_000), true);
    assert.equal(await x.acquire(lease('a2', 'gw-a'), 2, now + 1_000), false, 'at the cap, counted across both');
    assert.equal(await x.acquire(lease('a3', 'gw-a', 'q'), 2, now + 1_000), true, 'another principal');
    now += 600;
    await x.renew('gw-a', [lease('a1', 'gw-a'), lease('a3', 'gw-a', 'q')], now + 1_000); // gw-b is dead
    now += 600;
    assert.equal(await x.count('p'), 1, "gw-b's lease ran out; gw-a's was renewed");
    assert.equal(await x.acquire(lease('a4', 'gw-a'), 2, now + 1_000), true, "the dead gateway's slot, taken again");
    await x.release('a1');
    assert.equal(await y.count('p'), 1, 'a released lease');
    await y.releaseAll('gw-a');
    assert.deepEqual([await y.count('p'), await y.count('q')], [0, 0], 'a stopped gateway deletes all of its own');
    const racing = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? x : y).acquire(lease(`r${i}`, `gw-${i % 2}`), 3, now + 1_000)),
    );
    assert.equal(racing.filter(Boolean).length, 3, 'opens at the same time at two gateways take exactly the cap');
  }

  /** A gateway whose renewal came late (a store outage, a stall): its still-open streams must count again. */
  async function lateRenewal(open: (now: () => number) => LeaseStore): Promise<void> {
    let now = 2_000_000;
    const [x, y] = [open(() => now), open(() => now)];
    cleanup(() => x.close());
    cleanup(() => y.close());
    const held = ['l1', 'l2'].map((streamId) => ({ principal: 'late', instanceId: 'gw-late', streamId }));
    for (const l of held) assert.equal(await x.acquire(l, 3, now + 1_000), true);
    now += 1_500;
    await y.renew('gw-other', [], now + 1_000);
    assert.equal(await y.count('late'), 0, "the other gateway's sweep took the late gateway's expired leases");
    await x.renew('gw-late', held, now + 1_000);
    assert.equal(await y.count('late'), 2, 'the late renewal put back its two open streams');
    const third = { principal: 'late', instanceId: 'gw-other', streamId: 'o1' };
    assert.equal(await y.acquire(third, 2, now + 1_000), false, 'so the cap holds again');
    await x.renew('gw-late', held, now + 1_000);
    assert.equal(await y.count('late'), 2, 'a renewal on time changes nothing');
  }

  void test('a gateway stopping while an open reserves its slot leaves no lease behind', async () => {
    const store = createMemoryLeases();
    let letAcquire!: () => void;
    const gate = new Promise<void>((resolve) => (letAcquire = resolve));
    // The store answers the acquire only after close() has begun (a slow database at shutdown).
    const slow: LeaseStore = { ...store, acquire: async (...args) => (await gate, store.acquire(...args)) };
    const slots = createStreamSlots({
      store: slow,
      instanceId: 'gw-stop',
      max: 3,
      leaseMs: 60_000,
      onStoreError: () => {},
    });
    const reserved = slots.reserve('stopping');
    const closed = slots.close();
    letAcquire();
    await Promise.all([reserved, closed]);
    assert.equal(await store.count('stopping'), 0, "the in-flight acquire's lease was deleted by close()");
  });

  void test('in memory (one process: both calls get the same store)', async () => {
    let store: LeaseStore | undefined;
    await rules((now) => (store ??= createMemoryLeases(now)));
    let late: LeaseStore | undefined;
    await lateRenewal((now) => (late ??= createMemoryLeases(now)));
  });
  void test('SQLite: two stores on one file', async () => {
    const dir = tempDir('ticketflow-lease-rules-');
    await rules((now) => createSqliteLeases(dir, now));
    const lateDir = tempDir('ticketflow-lease-late-');
    await lateRenewal((now) => createSqliteLeases(lateDir, now));
  });
  void test('PostgreSQL: two stores on one database', async (t) => {
    const pg = await postgres();
    if (!pg) return t.skip('no PostgreSQL installed (initdb/pg_ctl not found)');
    const url = await pg.database();
    await rules((now) => createPostgresLeases(url, now));
    await lateRenewal((now) => createPostgresLeases(url, now));
  });
});
