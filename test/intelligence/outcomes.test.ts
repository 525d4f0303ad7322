/**
 * The desk's outcome figures on both memory engines: what the memory step records with a ticket's facts is
 * what GET /v1/analytics reads back, per window and topic (CSAT as the share of ratings of 4 or 5, the reopen
 * rate per finished ticket, review time p50/p90 by nearest rank). SQLite in a temp folder; PostgreSQL from
 * the machine's own server (skipped, saying so, when absent).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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
        await record('o-1', 'Billing', { ratings: [5], reviewMs: [1000, 2000, 3000, 4000, 5000] });
        await record('o-2', 'Billing', { reopens: 1, ratings: [2, 4], reviewMs: [6000, 7000, 8000, 9000, 10000] });
        await record('o-3', 'Workers', { ratings: [1] });
        // A ticket recorded by a worker of an older version (no facts) is not counted.
        await mem.consolidate(
          { ticketId: 'o-4', userId: 'u', orgId: 'o' },
          { topic: 'Billing', category: 'c', resolved: true, summary: 's' },
        );
        now += 2 * 86_400_000;
        await record('o-5', 'Billing', { reopens: 2, ratings: [5] });

        const day = { from: Date.UTC(2026, 0, 10), to: Date.UTC(2026, 0, 11) };
        assert.deepEqual(await reader.figures({ ...day, topic: 'Billing' }), {
          finished: 2,
          ratings: 3,
          csat: 2 / 3,
          reopened: 1,
          reopenRate: 0.5,
          reviews: 10,
          reviewP50Ms: 5000,
          reviewP90Ms: 9000,
        });
        const all = await reader.figures(day);
        assert.deepEqual([all.finished, all.ratings, all.csat], [3, 4, 0.5]);
        const empty = await reader.figures({ ...day, topic: 'A&S' });
        assert.deepEqual([empty.finished, empty.csat, empty.reopenRate, empty.reviewP50Ms], [0, null, null, null]);
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
