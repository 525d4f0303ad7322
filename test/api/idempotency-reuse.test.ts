/**
 * An Idempotency-Key reused with another request is refused (422 idempotency_key_reused), never answered with
 * the first request's result; the same key with the same request still answers the first result; of two
 * requests racing on one key with different bodies one wins and the other gets 422. For ticket creation and
 * for agents' and customers' actions, through a real gateway on the real Temporal dev server and worker.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Stack } from '../e2e/stack';
import { uniqueName } from '../helpers/infra';
import { waitFor } from '../helpers/wait';
import { stackCalls, stackPerFile } from '../actions/stack-calls';
import { call, errorMessage, type Answer } from './http';

let stack: Stack;
const { waitState, seedYearlyCharge } = stackCalls(() => stack);
const inReview = (s: { awaiting: string | null; pendingReview: unknown }) =>
  s.awaiting === 'review' && s.pendingReview !== null;

stackPerFile((started) => {
  stack = started;
  seedYearlyCharge();
});

const create = (text: string, key: string, customer = 'mona') =>
  call(stack.url, 'POST', '/v1/tickets', {
    token: stack.token('customer', customer),
    body: { text },
    idempotencyKey: key,
  });
const act = (ticketId: string, action: string, body: unknown, key: string, role: 'agent' | 'customer' = 'agent') =>
  call(stack.url, 'POST', `/v1/tickets/${ticketId}/${action}`, {
    token: stack.token(role, role === 'agent' ? 'agent-ann' : 'mona'),
    body,
    idempotencyKey: key,
  });

/** The API's refusal of a reused key: 422, its code, a message that says what to do and nothing of the body. */
function assertReused(res: Answer, sent: string): void {
  assert.equal(res.status, 422, JSON.stringify(res.body));
  assert.equal((res.body.error as { code?: string }).code, 'idempotency_key_reused');
  assert.match(errorMessage(res), /new key/);
  assert.ok(!JSON.stringify(res.body).includes(sent), 'the body is not echoed back');
}

const statuses = (answers: Answer[]) => answers.map((a) => a.status).sort();

describe('an Idempotency-Key reused with another request', () => {
  test('creation: another text is 422, the same text answers the first ticket, a race has one winner', async () => {
    const key = uniqueName('create');
    const first = await create('My invoice shows the wrong company name, please fix it.', key);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assertReused(await create('Please delete my account and all my data.', key), 'delete my account');
    const retry = await create('My invoice shows the wrong company name, please fix it.', key);
    assert.equal(retry.status, 201, JSON.stringify(retry.body));
    assert.equal(retry.body.ticketId, first.body.ticketId, 'the same request still answers the first ticket');
    const text = await waitFor(async () => (await stack.tickets.getState(String(first.body.ticketId))).redactedText);
    assert.match(text, /wrong company name/, 'the ticket is the first request');

    const raced = uniqueName('create-race');
    const both = await Promise.all([
      create('The export button does nothing in Firefox.', raced),
      create('I want to change the email on my account.', raced),
    ]);
    assert.deepEqual(statuses(both), [201, 422], JSON.stringify(both.map((a) => a.body)));
  });

  test("a customer's message: another text under the same key is 422, the same text the first answer", async () => {
    const ticket = await create('The dashboard is slow since yesterday.', uniqueName('msg-ticket'));
    const ticketId = String(ticket.body.ticketId);
    const key = uniqueName('msg');
    const first = await act(ticketId, 'messages', { text: 'It happens on every page.' }, key, 'customer');
    assert.equal(first.status, 202, JSON.stringify(first.body));
    assertReused(await act(ticketId, 'messages', { text: 'Never mind, it works now.' }, key, 'customer'), 'Never mind');
    const retry = await act(ticketId, 'messages', { text: 'It happens on every page.' }, key, 'customer');
    assert.equal(retry.status, 202, JSON.stringify(retry.body));
    assert.deepEqual(retry.body.result, first.body.result);
    const texts = (await stack.tickets.getState(ticketId)).messages.map((m) => m.text);
    assert.equal(texts.filter((t) => t === 'It happens on every page.').length, 1, JSON.stringify(texts));
    assert.ok(!texts.some((t) => t.includes('Never mind')), 'the refused message was not added');
  });

  test('a refund proposal: the same key with another note, another decision or another ticket is 422', async () => {
    const created = await create(
      'I was charged twice: txn_48213 and txn_48990. Please refund the duplicate.',
      uniqueName('refund'),
    );
    const id = String(created.body.ticketId);
    const s = await waitState(id, (x) => inReview(x) && (x.proposals?.length ?? 0) > 0, 'a draft with a proposal');
    const p = s.proposals![0]!;
    const key = uniqueName('confirm');
    const body = { proposalId: p.id, decision: 'confirm', note: 'checked the invoice' };
    const first = await act(id, 'proposals', body, key);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assertReused(await act(id, 'proposals', { ...body, note: 'checked with finance' }, key), 'finance');
    assertReused(await act(id, 'proposals', { proposalId: p.id, decision: 'decline' }, key), 'decline');
    const other = await create('Charged twice again for my seat.', uniqueName('other-ticket'));
    assertReused(await act(String(other.body.ticketId), 'proposals', body, key), 'checked the invoice');
    const retry = await act(id, 'proposals', body, key);
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
    assert.deepEqual(retry.body.result, first.body.result, 'the same request answers the first result');
    const after = await stack.tickets.getState(id);
    assert.deepEqual(
      after.proposals?.map((x) => [x.status, x.note]),
      [['confirmed', 'checked the invoice']],
    );
  });

  test('review: two edits racing on one key, one applies and one is 422; the sent reply is the winner', async () => {
    const created = await create(
      'I was charged twice for my Pro plan this month: txn_48213 and txn_48214. Please refund the duplicate charge.',
      uniqueName('review-ticket'),
    );
    const id = String(created.body.ticketId);
    const s = await waitState(id, inReview, 'a draft in review');
    const key = uniqueName('edit');
    const edit = (days: string) => ({
      action: 'edit',
      draftVersion: s.draft!.version,
      text: `Hello, thank you for writing. Our billing team will answer you within ${days} business day(s).`,
    });
    const [one, two] = await Promise.all([act(id, 'review', edit('one'), key), act(id, 'review', edit('two'), key)]);
    assert.deepEqual(statuses([one, two]), [200, 422], JSON.stringify([one.body, two.body]));
    const [won, lost] = one.status === 200 ? [edit('one'), edit('two')] : [edit('two'), edit('one')];
    const sent = await waitState(id, (x) => x.reply !== null, 'the reply');
    assert.equal(sent.reply!.text, won.text);
    assertReused(await act(id, 'review', lost, key), lost.text);
    assertReused(await act(id, 'review', { action: 'approve', draftVersion: s.draft!.version }, key), 'approve');
    const retry = await act(id, 'review', won, key);
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
    assert.deepEqual(retry.body.result, (one.status === 200 ? one : two).body.result);
  });
});
