/**
 * Issue 10, defect 3: a create must be safe to retry. With an Idempotency-Key the same caller gets the same
 * ticket whatever happened to the first call (answered, lost, or the ticket has since closed), and no second
 * workflow starts; another caller's identical key is another ticket. Real worker, real Temporal dev server.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack, type Stack } from '../e2e/stack';
import { uniqueName } from '../helpers/infra';
import { call as callApi, type Answer, type CallOptions } from './http';

let stack: Stack;
const call = (method: string, path: string, opts: CallOptions = {}): Promise<Answer> =>
  callApi(stack.url, method, path, opts);

before(async () => {
  stack = await startStack();
});

after(async () => {
  await stack?.stop();
});

async function runIdOf(ticketId: string): Promise<string> {
  return (await stack.tickets.handle(ticketId).describe()).runId;
}

test('the same Idempotency-Key from the same customer answers the same ticket, one workflow run', async () => {
  const mona = stack.token('customer', 'mona');
  const key = uniqueName('create-key');
  const body = { text: 'My invoice shows the wrong company name, please fix it.' };
  const first = await call('POST', '/v1/tickets', { token: mona, body, idempotencyKey: key });
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const ticketId = String(first.body.ticketId);
  const run = await runIdOf(ticketId);

  // The customer never saw the first answer and sends the same request again.
  const retry = await call('POST', '/v1/tickets', { token: mona, body, idempotencyKey: key });
  assert.equal(retry.status, 201, JSON.stringify(retry.body));
  assert.equal(retry.body.ticketId, ticketId, 'the retry answers the ticket the first call made');
  assert.equal(await runIdOf(ticketId), run, 'no second workflow run');
  const state = await stack.tickets.getState(ticketId);
  assert.equal(state.userId, 'mona');

  // Without a key every create is a new ticket (the behaviour callers without retries rely on).
  const plain1 = await call('POST', '/v1/tickets', { token: mona, body });
  const plain2 = await call('POST', '/v1/tickets', { token: mona, body });
  assert.notEqual(plain1.body.ticketId, plain2.body.ticketId);
});

test('another customer with the same key gets a ticket of their own', async () => {
  const key = uniqueName('shared-key');
  const body = { text: 'I cannot log in since this morning.' };
  const a = await call('POST', '/v1/tickets', { token: stack.token('customer', 'ann'), body, idempotencyKey: key });
  const b = await call('POST', '/v1/tickets', { token: stack.token('customer', 'bo'), body, idempotencyKey: key });
  const c = await call('POST', '/v1/tickets', {
    token: stack.token('customer', 'ann', { orgId: 'other-org' }),
    body,
    idempotencyKey: key,
  });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  assert.equal(c.status, 201);
  assert.notEqual(a.body.ticketId, b.body.ticketId, 'another user');
  assert.notEqual(a.body.ticketId, c.body.ticketId, 'the same user name in another organisation');
  assert.equal((await stack.tickets.getState(String(b.body.ticketId))).userId, 'bo');
});

test('a retry after the ticket has closed answers that ticket, not a conflict or a new one', async () => {
  const mona = stack.token('customer', 'mona');
  const key = uniqueName('closed-key');
  const body = { text: 'Please delete my old test project.' };
  const first = await call('POST', '/v1/tickets', { token: mona, body, idempotencyKey: key });
  const ticketId = String(first.body.ticketId);
  await stack.tickets.close(ticketId, { by: 'test', reason: 'done' });
  await stack.tickets.result(ticketId);

  const retry = await call('POST', '/v1/tickets', { token: mona, body, idempotencyKey: key });
  assert.equal(retry.status, 201, JSON.stringify(retry.body));
  assert.equal(retry.body.ticketId, ticketId);
  assert.equal(retry.body.status, 'closed');
});

test('a malformed Idempotency-Key is a 400', async () => {
  const res = await call('POST', '/v1/tickets', {
    token: stack.token('customer', 'mona'),
    body: { text: 'hi' },
    idempotencyKey: 'x'.repeat(201),
  });
  assert.equal(res.status, 400, JSON.stringify(res.body));
});
