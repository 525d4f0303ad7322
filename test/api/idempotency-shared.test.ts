/**
 * Idempotency-Keys in the shared store (RATE_LIMIT_STORE=shared on a real throwaway PostgreSQL): two gateway
 * instances in front of one Temporal see each other's keys, so a retry with another body that lands on the
 * other instance is refused (422) too, the same request there answers the first result, and a race across
 * the two has one winner. Real gateways, worker and Temporal dev server.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack, type Stack } from '../e2e/stack';
import { uniqueName } from '../helpers/infra';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { call, type Answer } from './http';

let pg: TestPostgres | null;
let stack: Stack | undefined;
let urls: [string, string];

before(async () => {
  pg = await startTestPostgres();
  if (!pg) return;
  stack = await startStack({ env: { RATE_LIMIT_STORE: 'shared', RATE_LIMIT_DATABASE_URL: await pg.database() } });
  urls = [stack.url, await stack.addGateway()];
});
after(async () => {
  await stack?.stop();
  await pg?.stop();
});

const create = (at: 0 | 1, text: string, key: string) =>
  call(urls[at], 'POST', '/v1/tickets', {
    token: stack!.token('customer', 'mona'),
    body: { text },
    idempotencyKey: key,
  });
const message = (at: 0 | 1, ticketId: string, text: string, key: string) =>
  call(urls[at], 'POST', `/v1/tickets/${ticketId}/messages`, {
    token: stack!.token('customer', 'mona'),
    body: { text },
    idempotencyKey: key,
  });
const code = (a: Answer) => (a.body.error as { code?: string } | undefined)?.code;

test('two gateways on one PostgreSQL see each other’s keys', async (t) => {
  if (!stack) return t.skip('no PostgreSQL installed (initdb/pg_ctl not found)');
  const key = uniqueName('shared-create');
  const first = await create(0, 'My invoice shows the wrong company name, please fix it.', key);
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const other = await create(1, 'Please delete my account.', key);
  assert.deepEqual([other.status, code(other)], [422, 'idempotency_key_reused'], JSON.stringify(other.body));
  const retry = await create(1, 'My invoice shows the wrong company name, please fix it.', key);
  assert.equal(retry.status, 201, JSON.stringify(retry.body));
  assert.equal(retry.body.ticketId, first.body.ticketId);

  const ticketId = String(first.body.ticketId);
  const mkey = uniqueName('shared-message');
  assert.equal((await message(1, ticketId, 'It is the invoice of March.', mkey)).status, 202);
  const reused = await message(0, ticketId, 'It is the invoice of April.', mkey);
  assert.deepEqual([reused.status, code(reused)], [422, 'idempotency_key_reused'], JSON.stringify(reused.body));
});

test('a race on one key across the two gateways has one winner', async (t) => {
  if (!stack) return t.skip('no PostgreSQL installed (initdb/pg_ctl not found)');
  const key = uniqueName('shared-race');
  const both = await Promise.all([
    create(0, 'The export button does nothing in Firefox.', key),
    create(1, 'I want to change the email on my account.', key),
  ]);
  assert.deepEqual(both.map((a) => a.status).sort(), [201, 422], JSON.stringify(both.map((a) => a.body)));
});
