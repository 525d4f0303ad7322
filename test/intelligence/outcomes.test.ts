/**
 * The desk's outcome figures on both memory engines: what the memory step records with a ticket's facts is
 * what GET /v1/analytics reads back, per window and topic (CSAT as the share of ratings of 4 or 5, the reopen
 * rate per finished ticket, review time p50/p90 by nearest rank). SQLite in a temp folder; PostgreSQL from
 * the machine's own server (skipped, saying so, when absent).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { createMemory } from '../../activities/memory';
import { openOutcomeReader } from '../../activities/memory/outcomes';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { tempDir } from './helpers';

let postgres: TestPostgres | null = null;
before(async () => {
  postgres = await startTestPostgres();
});
after(async () => {
  await postgres?.stop();
});

const engines: [string, () => Promise<string | undefined>][] = [
  ['SQLite', () => Promise.resolve(undefined)],
  ['PostgreSQL', () => postgres!.database()],
];

for (const [name, url] of engines) {
  describe(`outcome figures (${name})`, () => {
    it('recorded by the memory step, read back per window and topic', async (t) => {
      if (name === 'PostgreSQL' && !postgres) return t.skip('no PostgreSQL installed on this machine');
      const dataDir = tempDir();
      const databaseUrl = await url();
      let now = Date.UTC(2026, 0, 10, 12);
      const mem = createMemory({
        dataDir,
        databaseUrl,
        orgAlertDistinctUsers: 99,
        orgAlertWindowMs: 1,
        now: () => now,
      });
      const reader = openOutcomeReader({ dataDir, databaseUrl });
      try {
        const record = (ticketId: string, topic: 'Billing' | 'Workers', facts: object) =>
          mem.consolidate(
            { ticketId, userId: 'u', orgId: 'o' },
            {
              topic,
              category: 'c',
              resolved: true,
              summary: 's',
              facts: { reopens: 0, ratings: [], reviewMs: [], ...facts },
            },
          );
        const asDrafted = { automated: true, confirmed: true, slaBreaches: 0 };
        await record('o-1', 'Billing', { ratings: [5], reviewMs: [1000, 2000, 3000, 4000, 5000], ...asDrafted });
        await record('o-2', 'Billing', {
          reopens: 1,
          ratings: [2, 4],
          reviewMs: [6000, 7000, 8000, 9000, 10000],
          ...{ automated: false, confirmed: false, slaBreaches: 2 },
        });
        // Recorded before the automation, resolution and SLA facts were: in neither side of their shares.
        await record('o-6', 'Billing', {});
        await record('o-3', 'Workers', { ratings: [1], ...asDrafted });
        // A ticket recorded by a worker of an older version (no facts) is not counted.
        await mem.consolidate(
          { ticketId: 'o-4', userId: 'u', orgId: 'o' },
          { topic: 'Billing', category: 'c', resolved: true, summary: 's' },
        );
        now += 2 * 86_400_000;
        await record('o-5', 'Billing', { reopens: 2, ratings: [5] });

        const day = { from: Date.UTC(2026, 0, 10), to: Date.UTC(2026, 0, 11) };
        assert.deepEqual(await reader.figures({ ...day, topic: 'Billing' }), {
          finished: 3,
          ratings: 3,
          csat: 2 / 3,
          reopened: 1,
          reopenRate: 1 / 3,
          reviews: 10,
          reviewP50Ms: 5000,
          reviewP90Ms: 9000,
          automated: 1,
          automatedShare: 0.5,
          confirmed: 1,
          assumed: 1,
          slaBreaches: 2,
        });
        const all = await reader.figures(day);
        assert.deepEqual(
          [all.finished, all.ratings, all.csat, all.automated, all.automatedShare, all.confirmed, all.slaBreaches],
          [4, 4, 0.5, 2, 2 / 3, 2, 2],
        );
        const empty = await reader.figures({ ...day, topic: 'A&S' });
        assert.deepEqual(
          [empty.finished, empty.csat, empty.reopenRate, empty.reviewP50Ms, empty.automatedShare, empty.slaBreaches],
          [0, null, null, null, null, 0],
        );
        // Recorded again (a retried activity), a ticket counts once.
        await record('o-5', 'Billing', { reopens: 2, ratings: [5] });
        const later = await reader.figures({ from: day.to, to: day.to + 3 * 86_400_000 });
        assert.deepEqual([later.finished, later.reopened, later.ratings], [1, 1, 1]);
      } finally {
        await reader.close();
        await mem.close();
      }
    });
  });
}

it('a table from before the automation, resolution and SLA columns gets them, its rows kept (SQLite)', async () => {
  const dataDir = tempDir();
  const old = new Database(path.join(dataDir, 'memory.sqlite'));
  old.exec(`CREATE TABLE ticket_outcomes (ticket_id TEXT PRIMARY KEY, topic TEXT NOT NULL, at BIGINT NOT NULL,
    reopens INTEGER NOT NULL, ratings TEXT NOT NULL, review_ms TEXT NOT NULL);
    INSERT INTO ticket_outcomes VALUES ('old-1', 'Billing', 1000, 1, '[5]', '[]');`);
  old.close();
  const mem = createMemory({ dataDir, orgAlertDistinctUsers: 99, orgAlertWindowMs: 1, now: () => 2000 });
  const reader = openOutcomeReader({ dataDir });
  try {
    const facts = { reopens: 0, ratings: [], reviewMs: [], automated: true, confirmed: false, slaBreaches: 1 };
    await mem.consolidate(
      { ticketId: 'new-1', userId: 'u', orgId: 'o' },
      { topic: 'Billing', category: 'c', resolved: true, summary: 's', facts },
    );
    const f = await reader.figures({ from: 0, to: 3000 });
    assert.deepEqual(
      [f.finished, f.reopened, f.automated, f.automatedShare, f.confirmed, f.assumed, f.slaBreaches],
      [2, 1, 1, 1, 0, 1, 1],
    );
  } finally {
    await reader.close();
    await mem.close();
  }
});

for (const [name, url] of engines) {
  it(`queue samples: one per bucket and queue, the first standing, read back per window (${name})`, async (t) => {
    if (name === 'PostgreSQL' && !postgres) return t.skip('no PostgreSQL installed on this machine');
    const databaseUrl = await url();
    // Two gateways on one database, as a deployment of several has.
    const dataDir = tempDir();
    const [a, other] = [openOutcomeReader({ dataDir, databaseUrl }), openOutcomeReader({ dataDir, databaseUrl })];
    try {
      await a.recordQueues(60_000, { review: 3, human_live: 1 });
      await other.recordQueues(60_000, { review: 9, human_live: 9 }); // the same bucket from the other gateway
      await a.recordQueues(120_000, { review: 4, human_live: 0 });
      await other.recordQueues(180_000, { review: 5, human_live: 2 });
      assert.deepEqual(await other.queueSizes(60_000, 180_000), [
        { at: new Date(60_000).toISOString(), queues: { human_live: 1, review: 3 } },
        { at: new Date(120_000).toISOString(), queues: { human_live: 0, review: 4 } },
      ]);
      assert.deepEqual(await a.queueSizes(0, 60_000), []);
    } finally {
      await a.close();
      await other.close();
    }
  });
}

for (const [name, url] of engines) {
  it(`which finished tickets used which SOP (a provided one per version), newest first (${name})`, async (t) => {
    if (name === 'PostgreSQL' && !postgres) return t.skip('no PostgreSQL installed on this machine');
    const dataDir = tempDir();
    const databaseUrl = await url();
    let now = 1000;
    const mem = createMemory({ dataDir, databaseUrl, orgAlertDistinctUsers: 99, orgAlertWindowMs: 1, now: () => now });
    const reader = openOutcomeReader({ dataDir, databaseUrl });
    try {
      const record = async (ticketId: string, sops?: string[]) => {
        now += 1000;
        await mem.consolidate(
          { ticketId, userId: 'u', orgId: 'o' },
          {
            topic: 'Billing',
            category: 'c',
            resolved: true,
            summary: 's',
            facts: { reopens: 0, ratings: [], reviewMs: [], ...(sops ? { sops } : {}) },
          },
        );
      };
      await record('u-1', ['billing-refunds', 'human-x@1']);
      await record('u-2', ['human-x@2']);
      await record('u-3', ['billing-refunds', 'human-x@2']);
      await record('u-4'); // recorded before the SOPs were
      assert.deepEqual(await reader.sopUsage(), {
        'billing-refunds': ['u-3', 'u-1'],
        'human-x@1': ['u-1'],
        'human-x@2': ['u-3', 'u-2'],
      });
    } finally {
      await reader.close();
      await mem.close();
    }
  });
}
