/**
 * Issue 14: a review of a ticket another agent holds is refused by the workflow's own validator, so every client
 * gets the same answer: sent straight through the Temporal client (as the CLI or another gateway would), a
 * non-holder's review is refused with the holder's name; through the API it is 409 with the same reason. A
 * takeover with a reason reaches the ticket: the new holder may review and the old one no longer may. On the
 * real stack (the dev server, the worker with the real activities, the gateway and its desk store).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TicketflowError } from '../../core/errors';
import { createTicket, startStack, type Stack } from '../e2e/stack';
import { waitFor } from '../helpers/wait';
import { call, errorMessage } from './http';

let stack: Stack;

before(async () => {
  stack = await startStack();
});

after(async () => {
  await stack?.stop();
});

/** The ticket under test. */
let current = '';

const assign = (agent: string, body: { to: string | null; reason?: string }) =>
  call(stack.url, 'POST', `/v1/tickets/${current}/assign`, { token: stack.token('agent', agent), body });

/** The review sent as a client with no gateway in between would send it. */
const reviewDirect = (reviewer: string, draftVersion: number) =>
  stack.tickets.review(current, { action: 'approve', draftVersion, reviewer });

function refusedAs(holder: string) {
  return (err: unknown) =>
    err instanceof TicketflowError &&
    err.code === 'conflict' &&
    err.message === `ticket ${current} is assigned to ${holder}; take it over with a reason first`;
}

test("a non-holder's review is refused by the workflow, whichever client sends it; a takeover moves the right", async () => {
  current = await createTicket(
    stack,
    'cust-holder',
    'I was charged twice for my Pro plan this month (txn_61213 and txn_61214). Please refund the duplicate.',
  );
  const pending = await waitFor(async () => (await stack.tickets.getState(current)).pendingReview, {
    timeoutMs: 60_000,
    message: 'the draft waiting for review',
  });
  const version = pending.draftVersion;

  assert.equal((await assign('agent-ann', { to: 'agent-ann' })).status, 200);
  await assert.rejects(reviewDirect('agent-bob', version), refusedAs('agent-ann'), 'straight to Temporal');
  const viaApi = await call(stack.url, 'POST', `/v1/tickets/${current}/review`, {
    token: stack.token('agent', 'agent-bob'),
    body: { action: 'approve', draftVersion: version },
  });
  assert.equal(viaApi.status, 409);
  assert.equal(errorMessage(viaApi), `ticket ${current} is assigned to agent-ann; take it over with a reason first`);
  assert.equal((await stack.tickets.getState(current)).pendingReview?.draftVersion, version, 'nothing was applied');

  // Bob takes it over with a reason: now Ann is the one refused, and Bob's review goes through.
  assert.equal((await assign('agent-bob', { to: 'agent-bob', reason: 'Ann is off today' })).status, 200);
  await assert.rejects(reviewDirect('agent-ann', version), refusedAs('agent-bob'));
  const ack = await reviewDirect('agent-bob', version);
  assert.equal(ack.accepted, true);
  const state = await stack.tickets.getState(current);
  assert.deepEqual(
    state.reviewHistory.map((r) => [r.action, r.reviewer]),
    [['approve', 'agent-bob']],
  );
});
