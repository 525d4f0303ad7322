/**
 * Issue 11: a credential revocation the action policy holds (ACTIONS_UNATTENDED without `revoke_credentials`)
 * is a durable proposal on the ticket, like the account changes, on the real stack (Temporal dev server,
 * Kafka, gateway, real activities and back office). The security team confirms or declines it; a confirmed
 * one runs once, at the confirm (the ticket still held, nobody released or replied), with the token's state
 * checked again in the write, and the reply says so; a declined one never runs and the reply does not claim
 * it. Before this, a held revocation was only a failed run: nothing to confirm, and the security team revoked
 * by hand; then a confirmed one waited for the release or the reply.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO_TOKENS } from '../../activities/security/store';
import type { TicketEvent } from '../../core/events';
import type { Stack } from '../e2e/stack';
import { StreamClient } from '../gateway/harness';
import { waitFor } from '../helpers/wait';
import { stackCalls, stackPerFile, type TicketView } from './stack-calls';

let stack: Stack;
type State = TicketView;

const { openTicket, agent, waitState, store } = stackCalls<State>(() => stack);
const [first, second] = DEMO_TOKENS.filter((t) => t.user === 'mona').map((t) => t.value);
/** The back office's rows this ticket revoked (or blocklisted). */
const revokedBy = (ticketId: string) => {
  const db = store();
  try {
    return (db.prepare('SELECT count(*) AS n FROM tokens WHERE revoked_by_ticket = ?').get(ticketId) as { n: number })
      .n;
  } finally {
    db.close();
  }
};
/** The revocation's own run, as the ticket's stream tells it. */
const ranOnStream = (e: TicketEvent) => e.type === 'tool' && e.data.tool === 'revoke_tokens' && e.data.ok === true;
const heldWithProposal = (s: State) =>
  s.queue === 'security' && s.awaiting === 'human' && (s.proposals ?? []).some((p) => p.kind === 'revoke_credentials');

stackPerFile((started) => (stack = started), { env: { ACTIONS_UNATTENDED: 'duplicate_refund' } });

async function heldTicket(token: string) {
  const id = await openTicket('mona', `My CI keeps failing with ${token} as the credential, please help.`);
  const s = await waitState(id, heldWithProposal, 'held in the security queue with a revocation proposal');
  const p = s.proposals!.find((x) => x.kind === 'revoke_credentials')!;
  assert.deepEqual([p.tool, p.status], ['revoke_tokens', 'pending']);
  assert.match(p.target, /ghp_/);
  assert.match(p.reason, /waits for a person/);
  assert.ok(!JSON.stringify(s).includes(token), 'the raw token is in the ticket state');
  assert.equal(revokedBy(id), 0, 'nothing revoked before a person decided');
  return { id, p };
}

async function releaseAndApprove(id: string) {
  const released = await agent(id, 'release', { note: 'triaged by security' });
  assert.equal(released.status, 200, JSON.stringify(released.body));
  const drafted = await waitState(id, (x) => x.awaiting === 'review' && x.draft !== null, 'a draft in review');
  const approved = await agent(id, 'review', { action: 'approve', draftVersion: drafted.draft!.version });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  return waitState(id, (x) => x.reply !== null, 'the reply');
}

describe('a held credential revocation is a proposal the security team decides, on the real stack', () => {
  test('confirmed, it runs at once (no release or reply needed), once, and the reply says so', async () => {
    const { id, p } = await heldTicket(first!);
    const stream = new StreamClient(`${stack.url.replace(/^http/, 'ws')}/v1/tickets/${id}/stream`, {
      token: stack.token('agent', 'agent-ann'),
    });
    try {
      await stream.opened;
      const confirmed = await agent(id, 'proposals', { proposalId: p.id, decision: 'confirm', note: 'contain' });
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      // The confirm alone runs it: the ticket is still held for the security team, nobody released or replied.
      const contained = await waitState(
        id,
        (x) => x.proposals?.find((y) => y.id === p.id)?.status === 'executed',
        'the confirmed revocation run without a release or a reply',
      );
      assert.deepEqual([contained.queue, contained.awaiting, contained.reply], ['security', 'human', null]);
      assert.equal(revokedBy(id), 1);
      await waitFor(() => stream.events().some(ranOnStream), {
        timeoutMs: 30_000,
        message: "the revocation's tool event on the ticket's stream",
      });
    } finally {
      stream.close();
    }
    const done = await releaseAndApprove(id);
    assert.equal(revokedBy(id), 1);
    const ran = done.toolRuns.filter((r) => r.tool === 'revoke_tokens' && r.ok);
    assert.equal(ran.length, 1, JSON.stringify(done.toolRuns));
    assert.deepEqual(ran[0]!.output.revoked, [{ masked: p.target, status: 'revoked' }]);
    assert.deepEqual(
      done.proposals?.map((x) => [x.id, x.status, x.decidedBy]),
      [[p.id, 'executed', 'agent-ann']],
    );
    assert.match(done.reply!.text, new RegExp(`We have revoked the exposed credential\\(s\\): ${p.target}`));
    assert.equal(done.reply!.text.split('We have revoked').length, 2, 'the revocation is told once');
    assert.doesNotMatch(done.reply!.text, /could not revoke|waiting for confirmation/);
  });

  test('declined, it never runs and the reply does not claim it', async () => {
    const { id, p } = await heldTicket(second!);
    const declined = await agent(id, 'proposals', { proposalId: p.id, decision: 'decline' });
    assert.equal(declined.status, 200, JSON.stringify(declined.body));
    const done = await releaseAndApprove(id);
    assert.equal(revokedBy(id), 0);
    assert.ok(!done.toolRuns.some((r) => r.tool === 'revoke_tokens' && r.ok), JSON.stringify(done.toolRuns));
    assert.equal(done.proposals?.find((x) => x.id === p.id)?.status, 'declined');
    assert.doesNotMatch(done.reply!.text, /We have revoked|has been revoked|were revoked/);
    assert.match(done.reply!.text, /was not approved by our team/);
  });
});
