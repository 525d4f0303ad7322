/**
 * A customer whose token's subject is their e-mail address (or phone number) opens a ticket on the real stack:
 * the address is not in the workflow's history, its memo, its search attributes or the ticket's Kafka records,
 * since the gateway knows the customer by a pseudonym (core/user-ids.ts). The same customer still reads,
 * finds and streams their ticket, another customer does not, and an opaque subject keeps its id.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import type { Consumer } from 'kafkajs';
import { upgradeAnswer } from '../gateway/upgrade-answer';
import { workflowIdFor } from '../../workflows/state';
import { startStack, type Stack } from '../e2e/stack';
import { testKafka, uniqueName } from '../helpers/infra';
import { waitFor } from '../helpers/wait';
import { call } from './http';

const PSEUDONYM = /^u-[a-z2-7]{26}$/;
// One address per run: a shared dev server keeps tickets of earlier runs, made before this change too.
const EMAIL = `${uniqueName('zelda')}@example.com`;
const PHONE = '+14155550123';

/** Every string in a Temporal proto, payload bytes read as text (they hold JSON), so a search sees all of it. */
function readable(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof Uint8Array) out.push(Buffer.from(v).toString('utf8'));
    else if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return out.join('\n');
}

/** Where personal data could hide in the text: as written, and its digits alone (a phone's). */
function holds(text: string, personal: string): boolean {
  const digits = personal.replace(/\D/g, '');
  return (
    text.toLowerCase().includes(personal.toLowerCase()) ||
    (digits.length >= 7 && text.replace(/\D/g, '').includes(digits)) ||
    text.toLowerCase().includes(personal.split('@')[0]!.toLowerCase())
  );
}

describe("a customer's personal subject stays at the edge", () => {
  let stack: Stack;
  let temporal: Client;
  let connection: Connection;
  let consumer: Consumer;
  const records: string[] = [];

  before(async () => {
    stack = await startStack();
    connection = await Connection.connect({ address: stack.config.temporal.address });
    temporal = new Client({ connection, namespace: stack.config.temporal.namespace });
    consumer = testKafka('subject-ids').consumer({ groupId: uniqueName('subject-ids') });
    await consumer.connect();
    await consumer.subscribe({ topic: stack.config.kafka.ticketEventsTopic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        records.push(`${message.key?.toString('utf8') ?? ''} ${message.value?.toString('utf8') ?? ''}`);
      },
    });
  });
  after(async () => {
    await consumer?.disconnect();
    await connection?.close();
    await stack?.stop();
  });

  async function open(sub: string): Promise<{ ticketId: string; ticketToken: string; id: string }> {
    const token = stack.token('customer', sub);
    const created = await call(stack.url, 'POST', '/v1/tickets', {
      token,
      body: { text: 'My invoice for March shows the wrong amount, can you check it?' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const session = await call(stack.url, 'GET', '/v1/session', { token });
    return {
      ticketId: String(created.body.ticketId),
      ticketToken: String(created.body.ticketToken),
      id: String(session.body.sub),
    };
  }

  /** The history, memo and search attributes of the ticket and its Kafka records, as one searchable text. */
  async function everythingStored(ticketId: string): Promise<{ history: string; memo: string; attributes: string }> {
    const handle = temporal.workflow.getHandle(workflowIdFor(ticketId));
    // Past triage, so the history holds the activities' inputs and results too, and events went to Kafka.
    await waitFor(async () => (await stack.tickets.getState(ticketId)).status !== 'triaging', {
      timeoutMs: 30_000,
      message: `ticket ${ticketId} past triage`,
    }).catch(() => undefined);
    const described = await handle.describe();
    return {
      history: readable(await handle.fetchHistory()),
      memo: JSON.stringify(described.memo ?? {}),
      attributes: readable([described.searchAttributes, described.typedSearchAttributes.getAll()]),
    };
  }

  async function kafkaRecordsOf(ticketId: string): Promise<string> {
    const mine = await waitFor(
      () => {
        const found = records.filter((r) => r.includes(ticketId));
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 30_000, message: `Kafka records of ${ticketId}` },
    );
    return mine.join('\n');
  }

  async function streamStatus(ticketId: string, auth: { token?: string; wsTicket?: string }): Promise<number> {
    const base = `${stack.url.replace(/^http/, 'ws')}/v1/tickets/${ticketId}/stream`;
    const url = auth.wsTicket ? `${base}?token=${encodeURIComponent(auth.wsTicket)}` : base;
    const answer = await upgradeAnswer(url, auth.token);
    answer.ws?.terminate();
    return answer.status;
  }

  for (const personal of [EMAIL, PHONE]) {
    test(`a subject that is ${personal === EMAIL ? 'an e-mail address' : 'a phone number'} reaches no history, memo, attribute or record`, async () => {
      const { ticketId, id } = await open(personal);
      assert.match(id, PSEUDONYM, 'the session names the customer by their pseudonym');
      const stored = await everythingStored(ticketId);
      assert.ok(stored.history.includes(id), 'the history names the owner by the pseudonym');
      assert.ok(!holds(stored.history, personal), 'the workflow history holds the subject');
      assert.deepEqual(JSON.parse(stored.memo), { userId: id, orgId: 'acme-corp' });
      assert.ok(stored.attributes.includes(id) && !holds(stored.attributes, personal), stored.attributes);
      assert.ok(!holds(await kafkaRecordsOf(ticketId), personal), 'a Kafka record holds the subject');
    });
  }

  test('the same customer reads, finds and streams their ticket; another customer does not', async () => {
    const { ticketId, ticketToken, id } = await open(EMAIL);
    const own = stack.token('customer', EMAIL);
    const other = stack.token('customer', 'zelda.quill@example.org');
    const elsewhere = stack.token('customer', EMAIL, { orgId: 'globex' });
    const get = (token: string) => call(stack.url, 'GET', `/v1/tickets/${ticketId}`, { token });

    assert.equal((await get(own)).status, 200, 'a new token from the provider');
    assert.equal((await get(ticketToken)).status, 200, "the ticket's own token, which carries the pseudonym");
    assert.equal((await get(other)).status, 403);
    assert.equal((await get(elsewhere)).status, 403, 'the same address in another organisation is another person');

    // A customer streams with a token scoped to the ticket: theirs opens it, another's naming it does not.
    const scoped = (sub: string) => stack.token('customer', sub, { incidentId: ticketId });
    assert.equal(await streamStatus(ticketId, { token: scoped(EMAIL) }), 101);
    assert.equal(await streamStatus(ticketId, { token: ticketToken }), 101);
    assert.equal(await streamStatus(ticketId, { token: scoped('zelda.quill@example.org') }), 403);
    const minted = await call(stack.url, 'POST', '/v1/ws-tickets', { token: ticketToken, body: { ticketId } });
    assert.equal(minted.status, 201, JSON.stringify(minted.body));
    assert.equal(await streamStatus(ticketId, { wsTicket: String(minted.body.ticket) }), 101);

    const refreshed = await call(stack.url, 'POST', '/v1/session/refresh', { token: own });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.equal((await get(String(refreshed.body.token))).status, 200, 'a refreshed token keeps the id');

    // Agents find a customer's tickets by the id the console shows; the address finds nothing.
    const agent = stack.token('agent', 'ann');
    const listed = await waitFor(
      async () => {
        const page = await call(stack.url, 'GET', `/v1/tickets?search=${id}`, { token: agent });
        const ids = (page.body.tickets as { ticketId: string }[] | undefined)?.map((t) => t.ticketId) ?? [];
        return ids.includes(ticketId) ? ids : undefined;
      },
      { timeoutMs: 15_000, message: 'the ticket listed under the pseudonym' },
    );
    assert.ok(listed.includes(ticketId));
    const byAddress = await call(stack.url, 'GET', `/v1/tickets?search=${encodeURIComponent(EMAIL)}`, { token: agent });
    assert.deepEqual(byAddress.body.tickets, []);
  });

  test('an opaque subject keeps its id everywhere', async () => {
    const { ticketId, id } = await open('cust-42');
    assert.equal(id, 'cust-42');
    const described = await temporal.workflow.getHandle(workflowIdFor(ticketId)).describe();
    assert.deepEqual(described.memo, { userId: 'cust-42', orgId: 'acme-corp' });
    assert.ok(readable(described.typedSearchAttributes.getAll()).includes('cust-42'));
  });
});
