import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemory } from '../../activities/memory';
import { createFeedbackAnalyzer } from '../../activities/feedback';
import { TicketflowError } from '../../core/errors';
import { freshIntelligence, tempDir } from './helpers';

describe('memory', () => {
  it('per-user history, newest first, PII redacted', async () => {
    let now = Date.UTC(2025, 0, 1);
    const mem = createMemory({ dataDir: tempDir(), orgAlertDistinctUsers: 10, orgAlertWindowMs: 7 * 86_400_000, now: () => now });
    const ctx = { ticketId: 'm-1', userId: 'mona', orgId: 'acme' };
    await mem.consolidate(ctx, { topic: 'A&S', category: '2fa_lockout', resolved: true, summary: 'regain account access (2FA) for mona@example.com' });
    now += 35 * 86_400_000;
    await mem.consolidate({ ...ctx, ticketId: 'm-2' }, { topic: 'Billing', category: 'refund', resolved: false, summary: 'request a refund' });
    now += 86_400_000;
    const h = await mem.history(ctx);
    assert.deepEqual(h, ['yesterday: request a refund (Billing, not resolved)', 'last month: regain account access (2FA) for [REDACTED_EMAIL] (A&S, resolved)']);
    assert.deepEqual(await mem.history({ ...ctx, userId: 'someone-else' }), []);
    mem.close();
  });

  it('alerts once when N distinct users of one org hit the same category inside the window', async () => {
    let now = Date.UTC(2025, 0, 1);
    const mem = createMemory({ dataDir: tempDir(), orgAlertDistinctUsers: 3, orgAlertWindowMs: 3_600_000, now: () => now });
    const hit = (user: string, ticket: string, org = 'acme', category = '2fa_lockout') =>
      mem.consolidate({ ticketId: ticket, userId: user, orgId: org }, { topic: 'A&S', category, resolved: true, summary: 's' });
    assert.equal((await hit('u1', 't1')).orgAlert, undefined);
    assert.equal((await hit('u1', 't2')).orgAlert, undefined, 'the same user twice is one user');
    assert.equal((await hit('u2', 't3', 'other-org')).orgAlert, undefined, 'another org does not count');
    assert.equal((await hit('u3', 't4', 'acme', 'refund')).orgAlert, undefined, 'another category does not count');
    assert.equal((await hit('u2', 't5')).orgAlert, undefined);
    const third = await hit('u3', 't6');
    assert.deepEqual(third.orgAlert, { orgId: 'acme', category: '2fa_lockout', distinctUsers: 3, windowMs: 3_600_000 });
    assert.equal((await hit('u4', 't7')).orgAlert, undefined, 'one alert per window');
    now += 2 * 3_600_000;
    assert.equal((await hit('u5', 't8')).orgAlert, undefined, 'old incidents fall out of the window');
    mem.close();
  });

  it('a PostgreSQL URL is refused clearly (not supported yet)', () => {
    assert.throws(
      () => createMemory({ dataDir: tempDir(), databaseUrl: 'postgres://x@127.0.0.1/db', orgAlertDistinctUsers: 10, orgAlertWindowMs: 1000 }),
      (e: unknown) => e instanceof TicketflowError && /not supported yet/.test(e.message) && !e.retriable,
    );
  });
});

describe('feedback and verification', () => {
  const ctx = { ticketId: 'f-1', userId: 'mona', orgId: 'acme-corp' };
  it('feedback: resolved or not, and sentiment', async () => {
    const fb = createFeedbackAnalyzer();
    assert.deepEqual(await fb.analyze(ctx, { comment: 'Works now, thanks a lot!' }), { resolved: true, sentiment: 'positive', reason: 'resolved (the comment says so)' });
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
    (intel.verifier as unknown as { setHealth: (o: string, s: string, h: boolean, d: string) => void }).setHealth('acme-corp', 'runners', false, 'jobs queued > 10 min');
    const v = await intel.verifier.verify(ctx, 'Workers');
    assert.equal(v.healthy, false);
    assert.match(v.detail, /jobs queued/);
    assert.equal((await intel.verifier.verify({ ...ctx, orgId: 'initech' }, 'Workers')).healthy, true);
    assert.equal((await intel.verifier.verify(ctx, 'Billing')).healthy, true);
    await intel.close();
  });
});
