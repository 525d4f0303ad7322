/**
 * Issue 11, durable proposals, on the real stack (Temporal dev server, Kafka, gateway, real activities and
 * back office): a refund the policy holds waits in the ticket for a person, who confirms or declines it
 * (update, idempotent by key; or the signal); approving the reply runs what was confirmed first and sends a
 * reply written from the outcome; a failed run sends nothing and hands the ticket back; rejecting or
 * declining runs nothing. Also: claims are checked per item, and a credential found already revoked is not
 * reported as revoked by us.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { decideProposalSignal } from '../../workflows/messages';
import { workflowIdFor } from '../../workflows/state';
import type { Stack } from '../e2e/stack';
import { testTemporalAddress, testTemporalNamespace } from '../helpers/infra';
import { stackCalls, stackPerFile, type TicketView } from './stack-calls';

let stack: Stack;
type State = TicketView;

const { openTicket, agent, waitState, store, refunded } = stackCalls<State>(() => stack);
const inReview = (s: State) => s.awaiting === 'review' && s.pendingReview !== null;
const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

stackPerFile((started) => {
  stack = started;
  const db = store();
  const ins = db.prepare(
    "INSERT INTO transactions (id, user_id, org_id, amount_cents, currency, description, created_at, plan) VALUES (?, 'mona', 'acme-corp', ?, 'USD', ?, ?, ?)",
  );
  ins.run('txn_48990', 50_000, 'Pro plan, yearly', ago(4), 'pro-yearly');
  ins.run('txn_61001', 40_000, 'Pro plan, yearly', ago(3), 'pro-yearly');
  ins.run('txn_62001', 30_000, 'Pro plan, yearly', ago(2), 'pro-yearly');
  ins.run('txn_63001', 20_000, 'Pro plan, yearly', ago(2), 'pro-yearly');
  ins.run('txn_64001', 900, 'Team seat', ago(1), 'team-seat');
  ins.run('txn_64002', 900, 'Team seat', ago(1 - 0.001), 'team-seat');
  ins.run('txn_65001', 1_200, 'Storage add-on', ago(1), 'storage');
  ins.run('txn_65002', 1_200, 'Storage add-on', ago(1 - 0.001), 'storage');
  db.close();
});

describe('proposals wait durably for a person, on the real stack', () => {
  test('a verified duplicate is not refunded before approval, nor by a rejected draft; approval runs it and the reply says so', async () => {
    const id = await openTicket(
      'mona',
      'Charged twice for my Pro plan: txn_48214 and txn_48213. Please refund the duplicate charge.',
    );
    const s = await waitState(id, inReview, 'a draft in review');
    // Before: the agents phase had refunded it already.
    assert.deepEqual(refunded(), []);
    assert.deepEqual(
      s.proposals?.map((p) => [p.id, p.status, p.decidedBy]),
      [['refund:txn_48214', 'confirmed', 'policy']],
    );
    const rejected = await agent(id, 'review', { action: 'reject', draftVersion: s.draft!.version, reason: 'tone' });
    assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
    const again = await waitState(id, (x) => inReview(x) && x.draft!.version > s.draft!.version, 'the redraft');
    assert.deepEqual(refunded(), [], 'a rejected draft leaves nothing done');
    const approved = await agent(id, 'review', { action: 'approve', draftVersion: again.draft!.version });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const done = await waitState(id, (x) => x.reply !== null, 'the reply');
    assert.deepEqual(refunded(), ['txn_48214']);
    assert.match(done.reply!.text, /We have refunded txn_48214/);
    assert.doesNotMatch(done.reply!.text, /once our team approves|waiting for confirmation/);
    assert.equal(done.proposals?.[0]?.status, 'executed');
  });

  test('a refund over the cap waits: approval is refused until a person decides; confirm (idempotent by key) then approve runs it', async () => {
    const id = await openTicket('mona', 'I was charged twice: txn_48213 and txn_48990. Please refund the duplicate.');
    const s = await waitState(id, (x) => inReview(x) && (x.proposals?.length ?? 0) > 0, 'a draft with a proposal');
    const p = s.proposals![0]!;
    assert.deepEqual([p.id, p.status, p.amountCents, p.currency], ['refund:txn_48990', 'pending', 50_000, 'USD']);
    assert.match(p.reason, /not a verified duplicate/);

    const early = await agent(id, 'review', { action: 'approve', draftVersion: s.draft!.version });
    assert.equal(early.status, 409, JSON.stringify(early.body));
    assert.match(JSON.stringify(early.body), /confirm or decline the proposed action\(s\) first: refund:txn_48990/);

    const body = { proposalId: p.id, decision: 'confirm', note: 'checked the invoice' };
    const first = await agent(id, 'proposals', body, 'confirm-1');
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const repeat = await agent(id, 'proposals', body, 'confirm-1');
    assert.equal(repeat.status, 200, 'the same key answers the first answer, not a conflict');
    assert.deepEqual(repeat.body.result, first.body.result);
    const other = await agent(id, 'proposals', body, 'confirm-2');
    assert.equal(other.status, 409, 'a new decision on a confirmed proposal is refused');
    const bad = await agent(id, 'proposals', { proposalId: p.id, decision: 'maybe' });
    assert.equal(bad.status, 400);
    assert.deepEqual(refunded().includes('txn_48990'), false, 'confirming alone runs nothing');

    const approved = await agent(id, 'review', { action: 'approve', draftVersion: s.draft!.version });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const done = await waitState(id, (x) => x.reply !== null, 'the reply');
    assert.ok(refunded().includes('txn_48990'));
    assert.match(done.reply!.text, /We have refunded txn_48990 \(500\.00 USD\)/);
    assert.deepEqual(
      done.proposals?.map((x) => [x.status, x.decidedBy, x.note]),
      [['executed', 'agent-ann', 'checked the invoice']],
    );
  });

  test('declining (here by signal) runs nothing, and the reply says the refund was not approved', async () => {
    const id = await openTicket('mona', 'I was charged twice: txn_48213 and txn_61001. Please refund the duplicate.');
    const s = await waitState(id, (x) => inReview(x) && (x.proposals?.length ?? 0) > 0, 'a draft with a proposal');
    const connection = await Connection.connect({ address: testTemporalAddress() });
    try {
      const client = new Client({ connection, namespace: testTemporalNamespace() });
      await client.workflow
        .getHandle(workflowIdFor(id))
        .signal(decideProposalSignal, { proposalId: 'refund:txn_61001', decision: 'decline', by: 'agent-bo' });
    } finally {
      await connection.close();
    }
    await waitState(id, (x) => x.proposals?.[0]?.status === 'declined', 'the declined proposal');
    const approved = await agent(id, 'review', { action: 'approve', draftVersion: s.draft!.version });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const done = await waitState(id, (x) => x.reply !== null, 'the reply');
    assert.equal(refunded().includes('txn_61001'), false);
    assert.match(done.reply!.text, /The refund of txn_61001 \(400\.00 USD\) was not approved by our team\./);
    assert.doesNotMatch(done.reply!.text, /We have refunded/);
  });

  test('a confirmed refund that fails at run time sends nothing: the ticket returns to the reviewer with the failure', async () => {
    const id = await openTicket('mona', 'I was charged twice: txn_48213 and txn_62001. Please refund the duplicate.');
    const s = await waitState(id, (x) => inReview(x) && (x.proposals?.length ?? 0) > 0, 'a draft with a proposal');
    assert.equal((await agent(id, 'proposals', { proposalId: 'refund:txn_62001', decision: 'confirm' })).status, 200);
    // Someone refunds it elsewhere meanwhile: the run re-checks the facts and fails.
    const db = store();
    db.prepare("UPDATE transactions SET refunded_at = ?, refund_ticket = 'elsewhere' WHERE id = 'txn_62001'").run(
      new Date().toISOString(),
    );
    db.close();
    const approved = await agent(id, 'review', { action: 'approve', draftVersion: s.draft!.version });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const back = await waitState(id, (x) => inReview(x) && /failed/.test(x.pendingReview?.reason ?? ''), 'back');
    assert.equal(back.reply, null, 'nothing was sent');
    assert.equal(back.status, 'awaiting_review');
    assert.deepEqual(back.pendingReview!.actions, ['edit', 'reject']);
    assert.match(back.pendingReview!.reason!, /already_refunded.*nothing was sent/);
    assert.equal(back.proposals?.[0]?.status, 'failed');
    assert.ok(!back.messages.some((m) => m.from === 'agent'), 'no reply reached the customer');
  });

  test('claims are checked per item: an edited reply claiming a refund of a charge nobody refunded is refused', async () => {
    const id = await openTicket(
      'mona',
      'Charged twice for a team seat: txn_64001 and txn_64002. Please refund the duplicate charge.',
    );
    const s = await waitState(id, inReview, 'a draft in review');
    assert.equal(s.proposals?.[0]?.id, 'refund:txn_64002');
    // The edit runs the preapproved refund of txn_64002 first; txn_63001 was never refunded.
    const text = 'Hi, we have refunded txn_64002 and txn_63001. Best regards';
    const edited = await agent(id, 'review', { action: 'edit', draftVersion: s.draft!.version, text });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    const refused = await waitState(id, (x) => x.awaiting === 'human', 'the refused edit back with the agent');
    assert.match(refused.pendingReview?.reason ?? '', /claims an action that did not happen: refund/);
    assert.equal(refused.reply, null);
    assert.ok(refunded().includes('txn_64002'), 'the confirmed refund ran before the check');
    assert.equal(refunded().includes('txn_63001'), false);
  });

  test("an agent's edited reply says what its refund did, not that it waits for approval", async () => {
    const id = await openTicket(
      'mona',
      'Charged twice for the storage add-on: txn_65001 and txn_65002. Please refund the duplicate charge.',
    );
    const s = await waitState(id, inReview, 'a draft in review');
    assert.match(s.draft!.text, /refund of txn_65002 \(12\.00 USD\) will be made once our team approves this reply/);
    // The agent keeps the draft and adds a line of their own: the draft's sentence about the refund was sent as
    // it stood, after the refund had run ("will be made once our team approves this reply").
    const text = `${s.draft!.text}\n\nPS: sorry for the trouble, Mona.`;
    const edited = await agent(id, 'review', { action: 'edit', draftVersion: s.draft!.version, text });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    const done = await waitState(id, (x) => x.reply !== null, 'the reply');
    assert.deepEqual(refunded().includes('txn_65002'), true);
    assert.match(done.reply!.text, /We have refunded txn_65002/);
    assert.doesNotMatch(done.reply!.text, /once our team approves|waiting for confirmation/);
    assert.match(done.reply!.text, /PS: sorry for the trouble, Mona\./, "the agent's own words stay");
    assert.equal(done.proposals?.[0]?.status, 'executed');
  });

  test('a credential found already revoked is not reported as revoked by us', async () => {
    const db = store();
    db.prepare(
      "UPDATE tokens SET revoked_at = ?, revoked_by_ticket = 'an-earlier-ticket' WHERE user_id = 'mona' AND kind = 'github_token'",
    ).run(new Date().toISOString());
    db.close();
    const id = await openTicket(
      'mona',
      'My CI keeps failing with ghp_Lq3Rt8Vx2Zb5Nm7Kp4Jh6Gf1Ds9Aw0Ec3Yu8I as the credential, please help.',
    );
    await waitState(id, (x) => x.queue === 'security' && x.awaiting === 'human', 'held for the security team');
    assert.equal((await agent(id, 'release', { note: 'seen' })).status, 200);
    const drafted = await waitState(id, (x) => x.draft !== null, 'a draft after the release');
    assert.doesNotMatch(drafted.draft!.text, /We have revoked/);
    assert.match(drafted.draft!.text, /had already been revoked before this ticket/);
  });
});
