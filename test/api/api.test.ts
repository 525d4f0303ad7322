/**
 * The console's HTTP API against the real stack (Temporal workflow, real activities, Kafka, gateway):
 * auth and roles, validation messages, size limits, ownership, and the review paths through the workflow's
 * update (accepted, refused with the workflow's reason).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack, type Stack } from '../e2e/stack';
import { waitFor } from '../helpers/wait';
import { call as callApi, errorMessage, type Answer, type CallOptions } from './http';

let stack: Stack;
let agent: string;
let alice: string;
let bob: string;

const call = (method: string, path: string, opts: CallOptions = {}): Promise<Answer> =>
  callApi(stack.url, method, path, opts);
const message = errorMessage;

async function createTicket(token: string, text: string): Promise<{ ticketId: string; ticketToken: string }> {
  const res = await call('POST', '/v1/tickets', { token, body: { text } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { ticketId: string; ticketToken: string };
}

type AgentState = {
  status: string;
  queue: string;
  awaiting: string | null;
  draft: { version: number; text: string } | null;
  pendingReview: { draftVersion: number } | null;
  reply: { text: string } | null;
  reviewHistory: { action: string; reviewer: string }[];
};

async function agentState(ticketId: string): Promise<AgentState> {
  const res = await call('GET', `/v1/tickets/${ticketId}`, { token: agent });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as unknown as AgentState;
}

function waitForState(ticketId: string, pred: (s: AgentState) => boolean, what: string): Promise<AgentState> {
  return waitFor(
    async () => {
      const s = await agentState(ticketId);
      return pred(s) ? s : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 100, message: what },
  );
}

const CHARGED_TWICE =
  'I was charged twice for my Pro plan this month. Transaction ids txn_48213 and txn_48214. Please refund the duplicate charge. Mail me at mona@example.com';

before(async () => {
  stack = await startStack();
  agent = stack.token('agent', 'agent-ann');
  // mona owns the seeded transactions txn_48213/txn_48214 in the embedded back office.
  alice = stack.token('customer', 'mona');
  bob = stack.token('customer', 'bob');
});

after(async () => {
  await stack?.stop();
});

describe('auth and roles', () => {
  test('no token, a malformed header and a forged token are 401', async () => {
    assert.equal((await call('GET', '/v1/tickets')).status, 401);
    const wrongScheme = await fetch(`${stack.url}/v1/tickets`, { headers: { authorization: 'Basic abc' } });
    assert.equal(wrongScheme.status, 401);
    const forged = agent.slice(0, -4) + (agent.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const res = await call('GET', '/v1/tickets', { token: forged });
    assert.equal(res.status, 401);
    assert.equal(message(res), 'invalid or expired token');
  });

  test("a customer token cannot use the agents' API (403)", async () => {
    for (const [method, path, body] of [
      ['GET', '/v1/tickets', undefined],
      ['GET', '/v1/queues', undefined],
      ['POST', '/v1/tickets/t-x/review', { action: 'approve', draftVersion: 1 }],
      ['POST', '/v1/tickets/t-x/sop', { title: 't', body: 'b' }],
    ] as const) {
      const res = await call(method, path, { token: alice, body });
      assert.equal(res.status, 403, `${method} ${path}: ${JSON.stringify(res.body)}`);
      assert.match(message(res), /agent/);
    }
  });

  test('agents do not open tickets as customers (403)', async () => {
    assert.equal((await call('POST', '/v1/tickets', { token: agent, body: { text: 'hello' } })).status, 403);
  });

  test('the session says who is calling, and the Temporal UI only to agents', async () => {
    const a = await call('GET', '/v1/session', { token: agent });
    assert.equal(a.body.role, 'agent');
    assert.equal(a.body.sub, 'agent-ann');
    assert.ok((a.body.temporal as { uiUrl: string }).uiUrl.startsWith('http'));
    const c = await call('GET', '/v1/session', { token: alice });
    assert.equal(c.body.role, 'customer');
    assert.equal(c.body.temporal, null);
  });
});

describe('validation', () => {
  test('bad bodies get 400 with a message naming the problem', async () => {
    const cases: [unknown, string | undefined, RegExp][] = [
      [undefined, '{"text": ', /not valid JSON/],
      [{}, undefined, /text is required/],
      [{ text: '   ' }, undefined, /text must not be empty/],
      [{ text: 42 }, undefined, /text must be a string/],
      [{ text: 'hi', extra: 1 }, undefined, /unknown field: extra/],
      [[1, 2], undefined, /JSON object/],
    ];
    for (const [body, raw, expected] of cases) {
      const res = await call('POST', '/v1/tickets', { token: alice, body, raw });
      assert.equal(res.status, 400, `${raw ?? JSON.stringify(body)} -> ${JSON.stringify(res.body)}`);
      assert.match(message(res), expected);
    }
    const empty = await fetch(`${stack.url}/v1/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice}` },
    });
    assert.equal(empty.status, 400);
  });

  test('review, feedback and list parameters are checked before the workflow is asked', async () => {
    const review = [
      [{ action: 'maybe', draftVersion: 1 }, /action must be one of approve, edit, reject/],
      [{ action: 'approve' }, /draftVersion is required/],
      [{ action: 'approve', draftVersion: '1' }, /draftVersion must be a number/],
      [{ action: 'edit', draftVersion: 1 }, /text is required/],
      [{ action: 'reject', draftVersion: 1, reason: '' }, /reason must not be empty/],
    ] as const;
    for (const [body, expected] of review) {
      const res = await call('POST', '/v1/tickets/t-anything/review', { token: agent, body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(message(res), expected);
    }
    const fb = await call('POST', '/v1/tickets/t-anything/feedback', { token: alice, body: { rating: 9 } });
    assert.equal(fb.status, 400);
    assert.match(message(fb), /rating must be 1 to 5/);
    const list = await call('GET', '/v1/tickets?queue=nowhere', { token: agent });
    assert.equal(list.status, 400);
    assert.match(message(list), /queue must be one of/);
    const page = await call('GET', '/v1/tickets?pageToken=not-a-real-token', { token: agent });
    assert.equal(page.status, 400, 'a forged page token is bad input, not a 5xx');
    assert.match(message(page), /nextPageToken/);
  });

  test('a body over the limit is 413, a wrong content type 415', async () => {
    const big = await call('POST', '/v1/tickets', {
      token: alice,
      raw: JSON.stringify({ text: 'x'.repeat(70 * 1024) }),
    });
    assert.equal(big.status, 413);
    const plain = await call('POST', '/v1/tickets', { token: alice, raw: 'text=hi', contentType: 'text/plain' });
    assert.equal(plain.status, 415);
  });

  test('unknown and malformed ticket ids are 404', async () => {
    assert.equal((await call('GET', '/v1/tickets/t-does-not-exist', { token: agent })).status, 404);
    assert.equal((await call('GET', '/v1/tickets/bad%20id!', { token: agent })).status, 404);
    const review = await call('POST', '/v1/tickets/t-does-not-exist/review', {
      token: agent,
      body: { action: 'approve', draftVersion: 1 },
    });
    assert.equal(review.status, 404);
  });
});

describe('a ticket through the API', () => {
  test('create, ownership, review refused and accepted, reply, feedback', async () => {
    const { ticketId, ticketToken } = await createTicket(alice, CHARGED_TWICE);
    assert.match(ticketId, /^t-/);
    assert.ok(ticketToken, 'a ticket-scoped token for the stream');

    // The customer sees her ticket, without the agents' fields; another customer does not see it at all.
    const own = await call('GET', `/v1/tickets/${ticketId}`, { token: alice });
    assert.equal(own.status, 200);
    assert.equal(own.body.ticketId, ticketId);
    for (const hidden of ['brief', 'findings', 'toolRuns', 'draft', 'reviewHistory', 'security', 'userId'])
      assert.ok(!(hidden in own.body), `${hidden} leaked to the customer`);
    assert.equal((await call('GET', `/v1/tickets/${ticketId}`, { token: bob })).status, 403);
    assert.equal((await call('GET', `/v1/tickets/${ticketId}`, { token: ticketToken })).status, 200);
    const otherTicket = stack.token('customer', 'mona', { incidentId: 't-some-other' });
    assert.equal((await call('GET', `/v1/tickets/${ticketId}`, { token: otherTicket })).status, 403);
    assert.equal(
      (await call('POST', `/v1/tickets/${ticketId}/messages`, { token: bob, body: { text: 'me too' } })).status,
      403,
    );

    // The ticket-scoped token opens the live stream (ws-ticket minted for this ticket only).
    const ws = await call('POST', '/v1/ws-tickets', { token: ticketToken, body: { ticketId } });
    assert.equal(ws.status, 201, JSON.stringify(ws.body));

    const waiting = await waitForState(
      ticketId,
      (s) => s.status === 'awaiting_review' && s.pendingReview !== null,
      'the first draft to await review',
    );
    assert.equal(waiting.queue, 'review');
    assert.ok(waiting.draft && waiting.draft.text.length > 20);
    assert.ok(!waiting.draft.text.includes('mona@example.com'), 'PII is redacted from the draft');

    const listed = await waitFor(
      async () => {
        const res = await call('GET', '/v1/tickets?queue=review&pageSize=100', { token: agent });
        return (res.body.tickets as { ticketId: string }[]).find((t) => t.ticketId === ticketId);
      },
      { timeoutMs: 15_000, message: 'the ticket in the review list' },
    );
    assert.equal(listed.ticketId, ticketId);
    const counts = await call('GET', '/v1/queues', { token: agent });
    assert.ok(((counts.body.counts as Record<string, number>).review ?? 0) >= 1, JSON.stringify(counts.body));

    // A stale version is refused by the workflow's validator: 409 with its reason.
    const stale = await call('POST', `/v1/tickets/${ticketId}/review`, {
      token: agent,
      body: { action: 'approve', draftVersion: waiting.draft.version + 5 },
    });
    assert.equal(stale.status, 409, JSON.stringify(stale.body));
    assert.match(message(stale), /version|draft/i);

    const rejected = await call('POST', `/v1/tickets/${ticketId}/review`, {
      token: agent,
      body: { action: 'reject', draftVersion: waiting.draft.version, reason: 'Mention the refund timeline.' },
    });
    assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
    const second = await waitForState(
      ticketId,
      (s) => s.pendingReview !== null && (s.draft?.version ?? 0) > waiting.draft!.version,
      'a redraft after rejection',
    );

    const edited = 'Hello, we refunded the duplicate charge; it shows on your statement within 5 business days.';
    const approved = await call('POST', `/v1/tickets/${ticketId}/review`, {
      token: agent,
      body: { action: 'edit', draftVersion: second.draft!.version, text: edited },
    });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const sent = await waitForState(ticketId, (s) => s.reply !== null, 'the reply to be sent');
    assert.equal(sent.reply?.text, edited);
    assert.deepEqual(
      sent.reviewHistory.map((r) => [r.action, r.reviewer]),
      [
        ['reject', 'agent-ann'],
        ['edit', 'agent-ann'],
      ],
    );

    const again = await call('POST', `/v1/tickets/${ticketId}/review`, {
      token: agent,
      body: { action: 'approve', draftVersion: second.draft!.version },
    });
    assert.equal(again.status, 409, 'a decided draft cannot be decided again');

    const customer = await call('GET', `/v1/tickets/${ticketId}`, { token: alice });
    assert.equal((customer.body.reply as { text: string }).text, edited);

    await waitForState(ticketId, (s) => s.awaiting === 'feedback', 'the feedback question');
    const fb = await call('POST', `/v1/tickets/${ticketId}/feedback`, {
      token: alice,
      body: { resolved: true, rating: 5, comment: 'quick, thanks' },
    });
    assert.equal(fb.status, 202, JSON.stringify(fb.body));

    // Nothing above crashed anything.
    assert.equal((await fetch(`${stack.url}/healthz`)).status, 200);
  });
});
