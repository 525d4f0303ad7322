import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSecurityTools, openToolStore } from '../../activities/security';
import { createTriage } from '../../activities/triage';
import { revokeOutputSchema } from '../../activities/security/schemas';
import { decideAction, type ActionRules } from '../../activities/policy';
import type { ProposedAction } from '../../core/domain';
import { tempDir } from './helpers';

const ctx = { ticketId: 'sec-1', userId: 'mona', orgId: 'acme-corp' };
const TOKEN = 'ghp_9Xk2LmQ7vR4tY8wZ1aB3cD5eF6gH0iJ2kL4m';
const rules = (unattended: ActionRules['unattended']): ActionRules => ({
  refundMaxCents: 10_000,
  refundTicketMaxCents: 20_000,
  refundMaxAgeMs: 60 * 86_400_000,
  duplicateWindowMs: 86_400_000,
  unattended,
});
const policy =
  (unattended: ActionRules['unattended'] = ['revoke_credentials']) =>
  (req: Parameters<typeof decideAction>[0]) =>
    decideAction(req, rules(unattended));

describe('security tools on the embedded SQLite store', () => {
  it('a revoked token stays revoked after the store is closed and reopened', async () => {
    const dir = tempDir();
    const tri = await createTriage().triage(
      ctx,
      `I leaked ${TOKEN} and ghp_AAAAbbbbCCCCddddEEEEffffGGGGhhhh1234 from 185.220.101.4`,
    );
    let db = openToolStore(dir);
    let run = await createSecurityTools(db, policy()).revokeTokens(ctx, tri.security);
    const out = revokeOutputSchema.parse(run.output);
    assert.deepEqual(
      out.revoked.map((r) => r.status),
      ['revoked', 'blocklisted'],
    );
    assert.ok(!JSON.stringify(run).includes(TOKEN), 'a raw token in the tool result');
    assert.ok(out.revoked.every((r) => r.masked.includes('…')));
    db.close();

    db = openToolStore(dir);
    const row = db
      .prepare('SELECT revoked_at, revoked_by_ticket FROM tokens WHERE fingerprint = ?')
      .get(tri.security.extracted_entities[0]!.fingerprint) as { revoked_at: string | null; revoked_by_ticket: string };
    assert.ok(row.revoked_at, 'revocation lost on reopen');
    assert.equal(row.revoked_by_ticket, 'sec-1');
    run = await createSecurityTools(db, policy()).revokeTokens({ ...ctx, ticketId: 'sec-2' }, tri.security);
    assert.deepEqual(
      revokeOutputSchema.parse(run.output).revoked.map((r) => r.status),
      ['already_revoked', 'already_revoked'],
    );
    db.close();
  });

  it('revocation goes through the action policy: without revoke_credentials unattended nothing is revoked', async () => {
    const tri = await createTriage().triage(ctx, `I leaked ${TOKEN}`);
    const db = openToolStore(tempDir());
    const run = await createSecurityTools(db, policy([])).revokeTokens({ ...ctx, ticketId: 'sec-held' }, tri.security);
    assert.equal(run.ok, false);
    assert.equal(run.output.decision, 'propose');
    const row = db
      .prepare('SELECT revoked_at FROM tokens WHERE fingerprint = ?')
      .get(tri.security.extracted_entities[0]!.fingerprint) as { revoked_at: string | null };
    assert.equal(row.revoked_at, null, 'revoked although the policy holds revocations for a person');
    db.close();
  });

  it('a held revocation carries its proposal; confirmed, it runs once, and again only reports what it did', async () => {
    const tri = await createTriage().triage(ctx, `I leaked ${TOKEN} and ghp_AAAAbbbbCCCCddddEEEEffffGGGGhhhh1234`);
    const db = openToolStore(tempDir());
    const tools = createSecurityTools(db, policy([]));
    const held = await tools.revokeTokens({ ...ctx, ticketId: 'sec-p' }, tri.security);
    const p = held.output.proposal as ProposedAction;
    const [a, b] = tri.security.extracted_entities;
    assert.deepEqual(
      [p.id, p.kind, p.tool, p.target],
      [
        `revoke_tokens:${a!.fingerprint}+${b!.fingerprint}`,
        'revoke_credentials',
        'revoke_tokens',
        `${a!.masked}, ${b!.masked}`,
      ],
    );
    assert.ok(!JSON.stringify(held).includes(TOKEN), 'a raw token in the held run');
    const first = await tools.executeRevocation({ ...ctx, ticketId: 'sec-p' }, p);
    assert.deepEqual(
      [first.ok, first.output.decision, first.output.proposalId, first.summary],
      [true, 'executed', p.id, `revoked the exposed credential(s): ${a!.masked} (revoked), ${b!.masked} (blocklisted)`],
    );
    // A retried activity reports the same; another ticket finds them revoked before it and says so.
    assert.deepEqual((await tools.executeRevocation({ ...ctx, ticketId: 'sec-p' }, p)).output, first.output);
    const other = await tools.executeRevocation({ ...ctx, ticketId: 'sec-q' }, p);
    assert.match(other.summary, /^found the credential\(s\) .* already revoked before this ticket$/);
    const n = db.prepare("SELECT COUNT(*) AS n FROM tokens WHERE revoked_by_ticket = 'sec-p'").get() as { n: number };
    assert.equal(n.n, 2);
    db.close();
  });

  it('IP reputation flags Tor exits, returns only masked IPs, and says when an IP is unknown', async () => {
    const db = openToolStore(tempDir());
    const tri = await createTriage().triage(ctx, 'logins from 185.220.101.4 and 192.0.2.200');
    const run = await createSecurityTools(db, policy()).ipReputation(ctx, tri.security);
    const results = run.output.results as {
      ip: string;
      tor: boolean;
      risk_score: number;
      action: string;
      known: boolean;
    }[];
    assert.deepEqual(
      results.map((r) => [r.ip, r.tor, r.risk_score, r.action, r.known]),
      [
        ['185.220.*.*', true, 95, 'block', true],
        ['192.0.*.*', false, 0, 'review', false],
      ],
    );
    db.close();
  });

  it('audit events: newest first, at most five, IPs masked; an unknown user has none', async () => {
    const db = openToolStore(tempDir());
    const tools = createSecurityTools(db, policy());
    const run = await tools.auditEvents(ctx);
    const events = run.output.events as { action: string; ip: string | null }[];
    assert.equal(events.length, 5);
    assert.equal(events[0]!.action, 'ssh_key.added');
    assert.ok(events.every((e) => e.ip === null || e.ip.endsWith('*.*')));
    const none = await tools.auditEvents({ ...ctx, userId: 'nobody' });
    assert.deepEqual(none.output.events, []);
    db.close();
  });

  it('the brief is synthesized from the tool results and the incident is stored once per ticket', async () => {
    const dir = tempDir();
    const db = openToolStore(dir);
    const tools = createSecurityTools(db, policy());
    const tri = await createTriage().triage(ctx, `hacked! token ${TOKEN} used from 185.220.101.4`);
    const runs = await Promise.all([
      tools.revokeTokens(ctx, tri.security),
      tools.ipReputation(ctx, tri.security),
      tools.auditEvents(ctx),
    ]);
    const brief = await tools.brief(ctx, tri.analysis, tri.security, runs);
    assert.equal(brief.actionsTaken.length, 3);
    assert.match(brief.recommendations[0]!, /185\.220\.\*\.\*/);
    assert.ok(!JSON.stringify(brief).includes(TOKEN) && !JSON.stringify(brief).includes('185.220.101.4'));
    const a = await tools.storeIncident(ctx, tri.analysis, tri.security, brief);
    const b = await tools.storeIncident(ctx, tri.analysis, tri.security, brief);
    assert.equal(a.incidentId, b.incidentId, 'a retried activity must not store a second incident');
    const n = db.prepare('SELECT COUNT(*) AS n FROM incidents WHERE ticket_id = ?').get(ctx.ticketId) as { n: number };
    assert.equal(n.n, 1);
    db.close();
  });
});
