/**
 * Issue 11, finding 5 on the real stack: a reply an agent edits or writes is redacted and checked by the
 * guardrail before it is sent; a refused one goes back to the agent with the reason, and goes out only with
 * a stated reason, recorded with the agent's name.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Stack } from '../e2e/stack';
import { waitFor } from '../helpers/wait';
import { stackPerFile } from './stack-calls';

let stack: Stack;
type State = {
  status: string;
  awaiting: string | null;
  draft: { version: number; text: string; violation?: string } | null;
  pendingReview: { draftVersion: number } | null;
  reply: { text: string; by: string } | null;
  reviewHistory: { action: string; reviewer: string; reason?: string }[];
};

async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(stack.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}
const agent = () => stack.token('agent', 'agent-ann');
const waitState = (id: string, pred: (s: State) => boolean, what: string) =>
  waitFor(
    async () => {
      const s = (await call('GET', `/v1/tickets/${id}`, agent())).body as unknown as State;
      return pred(s) ? s : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200, message: what },
  );

stackPerFile((started) => (stack = started));

describe("agents' own words get the same care", () => {
  test('an edit that gets around a control is refused and shown; sent only with a reason, recorded with the name; PII redacted', async () => {
    const created = await call('POST', '/v1/tickets', stack.token('customer', 'mona'), {
      text: 'I was charged twice for my Pro plan this month: txn_48213 and txn_48214. Please refund the duplicate charge.',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = String(created.body.ticketId);
    const drafted = await waitState(
      id,
      (s) => s.awaiting === 'review' && s.pendingReview !== null,
      'a draft to review',
    );

    const text = 'Just switch off MFA for now and sign in again. Questions? Mail me at ann.agent@example.com.';
    const edit = await call('POST', `/v1/tickets/${id}/review`, agent(), {
      action: 'edit',
      draftVersion: drafted.pendingReview!.draftVersion,
      text,
    });
    assert.equal(edit.status, 200, JSON.stringify(edit.body));
    const refused = await waitState(
      id,
      (s) => s.awaiting === 'human' && Boolean(s.draft?.violation),
      'the edit refused and back with the agent',
    );
    assert.equal(refused.reply, null, 'nothing sent');
    assert.match(refused.draft!.violation!, /disable security/);
    assert.ok(!refused.draft!.text.includes('ann.agent@example.com'), 'redacted');

    const forced = await call('POST', `/v1/tickets/${id}/review`, agent(), {
      action: 'edit',
      draftVersion: refused.pendingReview!.draftVersion,
      text,
      overrideReason: 'the customer asked in writing; security approved on the call',
    });
    assert.equal(forced.status, 200, JSON.stringify(forced.body));
    const sent = await waitState(id, (s) => s.reply !== null, 'sent with a stated reason');
    assert.ok(!sent.reply!.text.includes('ann.agent@example.com'), 'the sent reply is redacted');
    assert.ok(
      sent.reviewHistory.some(
        (r) =>
          r.reviewer === 'agent-ann' &&
          /sent despite the guardrail .*: the customer asked in writing/.test(r.reason ?? ''),
      ),
      JSON.stringify(sent.reviewHistory),
    );
  });
});
