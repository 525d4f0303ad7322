/**
 * Issue 11: account changes go through the one action policy and the durable proposals, like refunds, on the
 * real stack (Temporal dev server, Kafka, gateway, real activities and back office). A change a ticket asks
 * for (reset my two-factor, transfer the ownership, suspend a member, change the plan) waits in the ticket
 * with its target and reason; a person confirms or declines it; approving the reply runs it with its facts
 * checked again; the reply states only what ran. Before this, these tools did not exist: every request went
 * to the draft as text, nothing was proposed and nothing could run.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Stack } from '../e2e/stack';
import { stackCalls, stackPerFile, type TicketView } from './stack-calls';

let stack: Stack;
type State = TicketView;

const { openTicket, agent, waitState, store } = stackCalls<State>(() => stack);
const inReview = (s: State) => s.awaiting === 'review' && s.pendingReview !== null;
const withProposal = (s: State) => inReview(s) && (s.proposals?.length ?? 0) > 0;
const row = <T>(sql: string, ...args: string[]): T => {
  const db = store();
  try {
    return db.prepare(sql).get(...args) as T;
  } finally {
    db.close();
  }
};
const write = (sql: string, ...args: string[]) => {
  const db = store();
  db.prepare(sql).run(...args);
  db.close();
};
const twoFactor = (user: string) =>
  row<{ two_factor: number }>('SELECT two_factor FROM account_state WHERE user_id = ?', user).two_factor;
const ownerOf = (org: string) =>
  row<{ owner_id: string }>('SELECT owner_id FROM org_settings WHERE org_id = ?', org).owner_id;

stackPerFile((started) => (stack = started));

describe('account changes wait for a person and run only after approval, on the real stack', () => {
  test('a two-factor reset is proposed, not made; confirmed and approved, it runs and the reply says so', async () => {
    const id = await openTicket(
      'mona',
      "I lost my phone and can't get past the two-factor prompt. Please reset my 2FA so I can sign in again.",
    );
    const s = await waitState(id, withProposal, 'a draft with a proposed reset');
    const p = s.proposals![0]!;
    assert.deepEqual(
      [p.id, p.kind, p.tool, p.target, p.status],
      ['reset_2fa:mona', 'account_change', 'reset_2fa', 'mona', 'pending'],
    );
    assert.match(p.reason, /waits for a person/);
    assert.equal(twoFactor('mona'), 1, 'nothing changed before a person decided');
    assert.match(s.draft!.text, /reset of the two-factor authentication of mona is waiting for confirmation/);
    assert.doesNotMatch(s.draft!.text, /We have reset/);

    const early = await agent(id, 'review', { action: 'approve', draftVersion: s.draft!.version });
    assert.equal(early.status, 409, JSON.stringify(early.body));
    const confirmed = await agent(id, 'proposals', {
      proposalId: p.id,
      decision: 'confirm',
      note: 'identity verified',
    });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.equal(twoFactor('mona'), 1, 'confirming alone runs nothing');

    const approved = await agent(id, 'review', { action: 'approve', draftVersion: s.draft!.version });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const done = await waitState(id, (x) => x.reply !== null, 'the reply');
    assert.equal(twoFactor('mona'), 0);
    assert.match(done.reply!.text, /We have reset the two-factor authentication of mona/);
    assert.doesNotMatch(done.reply!.text, /waiting for confirmation/);
    assert.deepEqual(
      done.proposals?.map((x) => [x.status, x.decidedBy, x.note]),
      [['executed', 'agent-ann', 'identity verified']],
    );
  });

  test('a declined ownership transfer runs nothing, and the reply says it was not approved', async () => {
    const id = await openTicket(
      'mona',
      'Please transfer ownership of our organization to hubot, I am leaving the company.',
    );
    const s = await waitState(id, withProposal, 'a draft with a proposed transfer');
    const p = s.proposals![0]!;
    assert.deepEqual([p.id, p.status, p.input.value], ['change_owner:acme-corp', 'pending', 'hubot']);
    const declined = await agent(id, 'proposals', { proposalId: p.id, decision: 'decline' });
    assert.equal(declined.status, 200, JSON.stringify(declined.body));
    const approved = await agent(id, 'review', { action: 'approve', draftVersion: s.draft!.version });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const done = await waitState(id, (x) => x.reply !== null, 'the reply');
    assert.equal(ownerOf('acme-corp'), 'mona');
    assert.match(
      done.reply!.text,
      /The transfer of the ownership of acme-corp to hubot was not approved by our team\./,
    );
    assert.doesNotMatch(done.reply!.text, /We have made/);
  });

  test('a confirmed suspension whose facts changed fails at run time: nothing is sent, the reviewer gets the reason', async () => {
    const id = await openTicket('mona', 'Please suspend the user hubot, he no longer works with us.');
    const s = await waitState(id, withProposal, 'a draft with a proposed suspension');
    assert.equal(s.proposals![0]!.id, 'lock_account:hubot');
    assert.equal((await agent(id, 'proposals', { proposalId: 'lock_account:hubot', decision: 'confirm' })).status, 200);
    // Meanwhile hubot became the owner elsewhere: the owner cannot be suspended, so the run re-checks and fails.
    write("UPDATE org_settings SET owner_id = 'hubot' WHERE org_id = 'acme-corp'");
    try {
      const approved = await agent(id, 'review', { action: 'approve', draftVersion: s.draft!.version });
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      const back = await waitState(id, (x) => inReview(x) && /failed/.test(x.pendingReview?.reason ?? ''), 'back');
      assert.equal(back.reply, null, 'nothing was sent');
      assert.match(back.pendingReview!.reason!, /lock_account refused: only the organization's owner can ask/);
      assert.equal(back.proposals?.[0]?.status, 'failed');
      assert.equal(
        row<{ s: string | null }>("SELECT suspended_at AS s FROM account_state WHERE user_id = 'hubot'").s,
        null,
      );
      assert.ok(!back.messages.some((m) => m.from === 'agent'), 'no reply reached the customer');
    } finally {
      write("UPDATE org_settings SET owner_id = 'mona' WHERE org_id = 'acme-corp'");
    }
  });

  test('a change the asker may not make is refused with the reason, proposed to nobody, and claimed nowhere', async () => {
    const id = await openTicket('hubot', 'Please downgrade our organization to the free plan, we no longer need Pro.');
    const s = await waitState(id, inReview, 'a draft in review');
    assert.deepEqual(s.proposals ?? [], []);
    const refused = s.toolRuns.find((r) => r.tool === 'change_plan');
    assert.equal(refused?.output.decision, 'refuse', JSON.stringify(s.toolRuns));
    assert.match(
      s.draft!.text,
      /We did not make the requested change: only the organization's owner can change its plan/,
    );
    assert.doesNotMatch(s.draft!.text, /We have (?:changed|downgraded)/);
    assert.equal(row<{ plan: string }>("SELECT plan FROM org_settings WHERE org_id = 'acme-corp'").plan, 'pro');
  });
});
