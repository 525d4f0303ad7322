/**
 * The desk store's rules on both engines: a claim is exclusive, taking a held ticket needs a reason (kept),
 * only the holder releases or passes it on, two agents claiming at once get one winner, and presence lapses
 * after its TTL. SQLite in a temp folder; PostgreSQL from the machine's own server (skipped when absent).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { PRESENCE_TTL_MS, createSqliteDeskStore, type DeskStore } from '../../gateway/desk/store';
import { createPostgresDeskStore } from '../../gateway/desk/store-pg';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';

type Open = (now: () => number) => Promise<DeskStore>;

function rules(name: string, open: Open): void {
  describe(name, () => {
    test('a claim is exclusive until released; a takeover needs a reason, which is kept', async () => {
      const store = await open(Date.now);
      try {
        assert.equal((await store.assign({ ticketId: 't-1', by: 'ann', to: 'ann' }))?.agent, 'ann');
        await assert.rejects(store.assign({ ticketId: 't-1', by: 'bob', to: 'bob' }), /assigned to ann/);
        await assert.rejects(store.assign({ ticketId: 't-1', by: 'bob', to: null }), /assigned to ann/);
        await assert.rejects(store.assign({ ticketId: 't-1', by: 'bob', to: 'cid' }), /assigned to ann/);
        const taken = await store.assign({ ticketId: 't-1', by: 'bob', to: 'bob', reason: 'ann is off sick' });
        assert.deepEqual([taken?.agent, taken?.by, taken?.takeoverReason], ['bob', 'bob', 'ann is off sick']);
        // The holder passes it on; the new holder releases it.
        assert.equal((await store.assign({ ticketId: 't-1', by: 'bob', to: 'cid' }))?.agent, 'cid');
        assert.equal((await store.assign({ ticketId: 't-1', by: 'cid', to: null })) ?? null, null);
        assert.equal((await store.assignments(['t-1'])).size, 0);
        assert.equal((await store.assign({ ticketId: 't-1', by: 'ann', to: 'ann' }))?.takeoverReason, null);
        await store.assign({ ticketId: 't-9', by: 'ann', to: 'ann' });
        assert.deepEqual((await store.heldBy('ann')).map((a) => a.ticketId).sort(), ['t-1', 't-9']);
        assert.deepEqual(await store.heldBy('bob'), []);
        // Every holder, by ticket id a page at a time (the start-up sweep, gateway/desk/tell-holders.ts).
        await store.assign({ ticketId: 't-5', by: 'bob', to: 'bob' });
        assert.deepEqual(
          (await store.heldAfter('', 2)).map((a) => [a.ticketId, a.agent]),
          [
            ['t-1', 'ann'],
            ['t-5', 'bob'],
          ],
        );
        assert.deepEqual(
          (await store.heldAfter('t-5', 2)).map((a) => a.ticketId),
          ['t-9'],
        );
      } finally {
        await store.close();
      }
    });

    test('two agents claiming at once: exactly one holds it', async () => {
      const store = await open(Date.now);
      try {
        const agents = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
        const results = await Promise.allSettled(agents.map((a) => store.assign({ ticketId: 't-2', by: a, to: a })));
        const won = results.filter((r) => r.status === 'fulfilled');
        assert.equal(won.length, 1, 'one claim wins');
        const holder = (await store.assignments(['t-2'])).get('t-2')?.agent;
        assert.equal((won[0] as PromiseFulfilledResult<{ agent: string } | null>).value?.agent, holder);
      } finally {
        await store.close();
      }
    });

    test('presence: everyone seen within the TTL, per ticket, and gone after it', async () => {
      let t = 1_000_000;
      const store = await open(() => t);
      try {
        assert.deepEqual(await store.touch('t-3', 'ann'), ['ann']);
        t += 1_000;
        assert.deepEqual(await store.touch('t-3', 'bob'), ['ann', 'bob']);
        await store.touch('t-4', 'cid');
        const both = await store.viewers(['t-3', 't-4', 't-5']);
        assert.deepEqual(Object.fromEntries(both), { 't-3': ['ann', 'bob'], 't-4': ['cid'] });
        t += PRESENCE_TTL_MS; // ann's beat is now older than the TTL, bob's exactly at it
        assert.deepEqual((await store.viewers(['t-3'])).get('t-3'), ['bob']);
      } finally {
        await store.close();
      }
    });

    test('changes for the queue stream: from where a reader starts, each holder change and each beat', async () => {
      let t = 2_000_000;
      const store = await open(() => t);
      try {
        await store.assign({ ticketId: 't-6', by: 'ann', to: 'ann' });
        await store.touch('t-6', 'ann');
        // A new reader starts from now: what happened before is in the lists it reloads, not in changes.
        const start = await store.changesAfter(null);
        assert.deepEqual([start.assigned, start.beats], [[], []]);
        assert.deepEqual(await store.changesAfter(start.cursor), { cursor: start.cursor, assigned: [], beats: [] });

        t += 1_000;
        await store.assign({ ticketId: 't-6', by: 'ann', to: 'bob' });
        await store.assign({ ticketId: 't-7', by: 'cid', to: 'cid' });
        await store.assign({ ticketId: 't-6', by: 'bob', to: null });
        await store.assign({ ticketId: 't-7', by: 'cid', to: 'cid' }); // no change: not logged
        await store.touch('t-7', 'bob');
        const next = await store.changesAfter(start.cursor);
        assert.deepEqual(next.assigned, ['t-6', 't-7']);
        assert.deepEqual(next.beats, [{ ticketId: 't-7', agent: 'bob', seenAt: t }]);
        assert.deepEqual(await store.changesAfter(next.cursor), { cursor: next.cursor, assigned: [], beats: [] });

        // A beat renews the row: read again as a change.
        t += 5_000;
        await store.touch('t-7', 'bob');
        assert.deepEqual((await store.changesAfter(next.cursor)).beats, [{ ticketId: 't-7', agent: 'bob', seenAt: t }]);
      } finally {
        await store.close();
      }
    });
  });
}

const dirs: string[] = [];
rules('SQLite', async (now) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-store-'));
  dirs.push(dir);
  return createSqliteDeskStore(dir, now);
});

let pg: TestPostgres | null | undefined;
rules('PostgreSQL', async (now) => {
  pg ??= await startTestPostgres();
  if (!pg) throw new Error('no PostgreSQL on this machine (initdb/pg_ctl)');
  return createPostgresDeskStore(await pg.database(), now);
});

after(async () => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  await pg?.stop();
});
