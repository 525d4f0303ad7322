import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { createMemory, type MemoryImpl } from '../../activities/memory';
import { createFeedbackAnalyzer } from '../../activities/feedback';
import { TicketflowError } from '../../core/errors';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { freshIntelligence, tempDir } from './helpers';

let postgres: TestPostgres | null = null;
before(async () => {
  postgres = await startTestPostgres();
});
after(async () => {
  await postgres?.stop();
});

type MemoryFactory = (o: {
  orgAlertDistinctUsers: number;
  orgAlertWindowMs: number;
  now: () => number;
}) => Promise<MemoryImpl>;

// The same behaviour on both stores: embedded SQLite, and PostgreSQL by URL (a real server from the machine's
// PostgreSQL; skipped, saying so, where none is installed).
const backends: [string, MemoryFactory][] = [
  ['SQLite', async (o) => createMemory({ dataDir: tempDir(), ...o })],
  ['PostgreSQL', async (o) => createMemory({ dataDir: tempDir(), databaseUrl: await postgres!.database(), ...o })],
];

for (const [name, make] of backends) {
  describe(`memory (${name})`, () => {
    /** True (and the test marked skipped, saying why) where the PostgreSQL run has no server. */
    const noServer = (t: TestContext) => {
      if (name !== 'PostgreSQL' || postgres) return false;
      t.skip('no PostgreSQL installed on this machine');
      return true;
    };

    it('per-user history, newest first, PII redacted', async (t) => {
      if (noServer(t)) return;
      let now = Date.UTC(2025, 0, 1);
      const mem = await make({ orgAlertDistinctUsers: 10, orgAlertWindowMs: 7 * 86_400_000, now: () => now });
      const ctx = { ticketId: 'm-1', userId: 'mona', orgId: 'acme' };
      await mem.consolidate(ctx, {
        topic: 'A&S',
        category: '2fa_lockout',
        resolved: true,
        summary: 'regain account access (2FA) for mona@example.com',
      });
      now += 35 * 86_400_000;
      await mem.consolidate(
        { ...ctx, ticketId: 'm-2' },
        { topic: 'Billing', category: 'refund', resolved: false, summary: 'request a refund' },
      );
      now += 86_400_000;
      const h = await mem.history(ctx);
      assert.deepEqual(h, [
        'yesterday: request a refund (Billing, not resolved)',
        'last month: regain account access (2FA) for [REDACTED_EMAIL] (A&S, resolved)',
      ]);
      assert.deepEqual(await mem.history({ ...ctx, userId: 'someone-else' }), []);
      await mem.close();
    });

    it('alerts once when N distinct users of one org hit the same category inside the window', async (t) => {
      if (noServer(t)) return;
      let now = Date.UTC(2025, 0, 1);
      const mem = await make({ orgAlertDistinctUsers: 3, orgAlertWindowMs: 3_600_000, now: () => now });
      const hit = (user: string, ticket: string, org = 'acme', category = '2fa_lockout') =>
        mem.consolidate(
          { ticketId: ticket, userId: user, orgId: org },
          { topic: 'A&S', category, resolved: true, summary: 's' },
        );
      assert.equal((await hit('u1', 't1')).orgAlert, undefined);
      assert.equal((await hit('u1', 't2')).orgAlert, undefined, 'the same user twice is one user');
      assert.equal((await hit('u2', 't3', 'other-org')).orgAlert, undefined, 'another org does not count');
      assert.equal((await hit('u3', 't4', 'acme', 'refund')).orgAlert, undefined, 'another category does not count');
      assert.equal((await hit('u2', 't5')).orgAlert, undefined);
      const third = await hit('u3', 't6');
      assert.deepEqual(third.orgAlert, {
        orgId: 'acme',
        category: '2fa_lockout',
        distinctUsers: 3,
        windowMs: 3_600_000,
      });
      assert.equal((await hit('u4', 't7')).orgAlert, undefined, 'one alert per window');
      now += 2 * 3_600_000;
      assert.equal((await hit('u5', 't8')).orgAlert, undefined, 'old incidents fall out of the window');
      await mem.close();
    });

    it('concurrent consolidations still alert exactly once', async (t) => {
      if (noServer(t)) return;
      const now = Date.UTC(2025, 0, 1);
      const mem = await make({ orgAlertDistinctUsers: 5, orgAlertWindowMs: 3_600_000, now: () => now });
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          mem.consolidate(
            { ticketId: `c${i}`, userId: `u${i}`, orgId: 'acme' },
            { topic: 'Billing', category: 'refund', resolved: true, summary: 's' },
          ),
        ),
      );
      assert.equal(results.filter((r) => r.orgAlert).length, 1);
      await mem.close();
    });
  });
}

it('an unreachable PostgreSQL is a retriable error, not a crash', async () => {
  const mem = createMemory({
    dataDir: tempDir(),
    databaseUrl: 'postgres://nobody@127.0.0.1:1/none',
    orgAlertDistinctUsers: 10,
    orgAlertWindowMs: 1000,
  });
  await assert.rejects(
    mem.history({ ticketId: 'x', userId: 'u', orgId: 'o' }),
    (e: unknown) => e instanceof TicketflowError && e.retriable && /memory database/.test(e.message),
  );
  await mem.close();
});

describe('feedback and verification', () => {
  const ctx = { ticketId: 'f-1', userId: 'mona', orgId: 'acme-corp' };
  it('feedback: resolved or not, and sentiment', async () => {
    const fb = createFeedbackAnalyzer();
    assert.deepEqual(await fb.analyze(ctx, { comment: 'Works now, thanks a lot!' }), {
      resolved: true,
      sentiment: 'positive',
      reason: 'resolved (the comment says so)',
    });
    const still = await fb.analyze(ctx, { comment: 'Still broken, same error as before. Useless.', rating: 1 });
    assert.equal(still.resolved, false);
    assert.equal(still.sentiment, 'negative');
    const explicit = await fb.analyze(ctx, { resolved: true, rating: 3, comment: '' });
    assert.equal(explicit.resolved, true);
    assert.equal(explicit.sentiment, 'neutral');
    assert.equal((await fb.analyze(ctx, { comment: '' })).resolved, false);
  });

  it('verifier: healthy until the service is marked unhealthy for that org', async () => {
    const { intel } = await freshIntelligence();
    assert.equal((await intel.verifier.verify(ctx, 'Workers')).healthy, true);
    (intel.verifier as unknown as { setHealth: (o: string, s: string, h: boolean, d: string) => void }).setHealth(
      'acme-corp',
      'runners',
      false,
      'jobs queued > 10 min',
    );
    const v = await intel.verifier.verify(ctx, 'Workers');
    assert.equal(v.healthy, false);
    assert.match(v.detail, /jobs queued/);
    assert.equal((await intel.verifier.verify({ ...ctx, orgId: 'initech' }, 'Workers')).healthy, true);
    assert.equal((await intel.verifier.verify(ctx, 'Billing')).healthy, true);
    await intel.close();
  });
});
