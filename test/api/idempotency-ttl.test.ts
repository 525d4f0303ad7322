/**
 * An Idempotency-Key past IDEMPOTENCY_KEY_TTL (1 s here, from the config) is free again: the same key with
 * another body is then a new request (a ticket of its own, a message of its own), not a 422 and not the first
 * request's answer. Real gateway, worker and Temporal dev server.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack, type Stack } from '../e2e/stack';
import { uniqueName } from '../helpers/infra';
import { waitFor } from '../helpers/wait';
import { call } from './http';

const TTL_MS = 1_000;
let stack: Stack;
before(async () => {
  stack = await startStack({ env: { IDEMPOTENCY_KEY_TTL: `${TTL_MS}ms` } });
});
after(() => stack?.stop());

/** Sends `send` once the key claimed before `since` has expired (its claim came before its answer). */
async function pastTtl<T>(since: number, send: () => Promise<T>): Promise<T> {
  await new Promise((r) => setTimeout(r, Math.max(0, since + TTL_MS + 50 - Date.now())));
  return send();
}

const token = () => stack.token('customer', 'mona');
const create = (text: string, key: string) =>
  call(stack.url, 'POST', '/v1/tickets', { token: token(), body: { text }, idempotencyKey: key });
const message = (ticketId: string, text: string, key: string) =>
  call(stack.url, 'POST', `/v1/tickets/${ticketId}/messages`, { token: token(), body: { text }, idempotencyKey: key });

test('past its TTL a key is free again: another body under it is a new ticket, a new message', async () => {
  const key = uniqueName('ttl-create');
  const first = await create('My invoice shows the wrong company name, please fix it.', key);
  const answered = Date.now();
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const later = await pastTtl(answered, () => create('Please delete my old test project.', key));
  assert.equal(later.status, 201, JSON.stringify(later.body));
  assert.notEqual(later.body.ticketId, first.body.ticketId, 'a ticket of its own, not the first answer');
  const text = await waitFor(async () => (await stack.tickets.getState(String(later.body.ticketId))).redactedText);
  assert.match(text, /old test project/);

  const ticketId = String(first.body.ticketId);
  const mkey = uniqueName('ttl-message');
  assert.equal((await message(ticketId, 'It is the invoice of March.', mkey)).status, 202);
  const sent = Date.now();
  const again = await pastTtl(sent, () => message(ticketId, 'Sorry, it is the invoice of April.', mkey));
  assert.equal(again.status, 202, JSON.stringify(again.body));
  const texts = (await stack.tickets.getState(ticketId)).messages.map((m) => m.text);
  assert.ok(texts.includes('Sorry, it is the invoice of April.'), JSON.stringify(texts));
});
