/**
 * Issue 11's findings 1 to 3 on the real stack (Temporal dev server, Kafka, gateway, real activities and
 * back office): tickets go in through the HTTP API as a customer would send them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Stack } from '../e2e/stack';
import { stackCalls, stackPerFile, type TicketView } from './stack-calls';

let stack: Stack;
type State = TicketView;

const { openTicket, waitState, refunded, seedYearlyCharge } = stackCalls<State>(() => stack);
stackPerFile((started) => {
  stack = started;
  seedYearlyCharge();
});

describe('actions a customer can trust, on the real stack', () => {
  test('finding 1: a 500 USD yearly charge is not refunded as a duplicate of a 4 USD one; the reply says it waits for a person', async () => {
    const id = await openTicket(
      'mona',
      'I was charged twice: txn_48213 and txn_48990. Please refund the duplicate charge.',
    );
    const s = await waitState(id, (x) => x.draft !== null, 'a draft');
    assert.deepEqual(refunded(), []);
    assert.match(s.draft!.text, /refund of txn_48990 \(500\.00 USD\) is waiting for confirmation by our team/);
    assert.doesNotMatch(s.draft!.text, /We have refunded/);
  });

  test('finding 1: the later copy is refunded (when the reply is approved), never the original, and the reply names it', async () => {
    const id = await openTicket(
      'mona',
      'Charged twice for my Pro plan: txn_48214 and txn_48213. Please refund the duplicate charge.',
    );
    const s = await waitState(id, (x) => x.draft !== null && x.awaiting === 'review', 'a draft');
    // Preapproved by the policy, it runs only when a person approves the reply (proposals-stack.test.ts).
    assert.deepEqual(refunded(), []);
    assert.match(s.draft!.text, /The refund of txn_48214 \(4\.00 USD\) will be made once our team approves this reply/);
    const res = await fetch(`${stack.url}/v1/tickets/${id}/review`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.token('agent', 'agent-ann')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'approve', draftVersion: s.draft!.version }),
    });
    assert.equal(res.status, 200, await res.text());
    const sent = await waitState(id, (x) => x.reply !== null, 'the reply');
    assert.deepEqual(refunded(), ['txn_48214']);
    assert.match(sent.reply!.text, /We have refunded txn_48214/);
  });

  test('finding 2: a pasted token beside a legal threat is revoked and the ticket held for the security team', async () => {
    const id = await openTicket(
      'mona',
      'My CI keeps failing with ghp_Lq3Rt8Vx2Zb5Nm7Kp4Jh6Gf1Ds9Aw0Ec3Yu8I as the credential. Our lawyer will sue if this is not fixed today.',
    );
    const s = await waitState(
      id,
      (x) => x.queue === 'security' && x.awaiting === 'human' && x.toolRuns.some((r) => r.tool === 'revoke_tokens'),
      'held in the security queue after revocation',
    );
    assert.equal(s.status, 'security_review');
    const revoke = s.toolRuns.find((r) => r.tool === 'revoke_tokens')!;
    assert.ok(revoke.ok && /\(revoked\)/.test(revoke.summary), revoke.summary);

    // Released to the automation, the draft states the revocation from the run, not from the SOP.
    const released = await fetch(`${stack.url}/v1/tickets/${id}/release`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.token('agent', 'agent-ann')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'contained' }),
    });
    assert.equal(released.status, 200, await released.text());
    const drafted = await waitState(id, (x) => x.draft !== null, 'a draft after the release');
    assert.match(drafted.draft!.text, /We have revoked the exposed credential\(s\): ghp_/);
  });

  test('finding 3: account-takeover text in Cyrillic look-alikes and zero-width characters is held', async () => {
    const disguised =
      'Sоmeоne hаcked my аccоunt: my pаsswоrd wаs chаnged, twо-fаctоr wаs disа\u200Bbled аnd аn SSH key I dо nоt knоw wаs аdded. It wаs nоt me.';
    const id = await openTicket('hubot', disguised);
    const s = await waitState(id, (x) => x.queue === 'security', 'held in the security queue');
    assert.equal(s.status, 'security_review');
  });
});
