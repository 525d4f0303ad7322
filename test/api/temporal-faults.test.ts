/**
 * Issue 10, defect 4: errors that say the right thing. While Temporal cannot be reached, every call that
 * needs it answers 503 with Retry-After (not 500) and /readyz says Temporal is not ready; an action that was
 * applied answers success even when the state read after it fails; and a retry of an applied action with the
 * same Idempotency-Key answers the same success, not 409.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { connectTicketClient, type ConnectedTicketClient } from '../../client';
import { TicketflowError } from '../../core/errors';
import type { TicketApiPort } from '../../gateway/api/context';
import { consoleRoutes } from '../../gateway/api/register';
import { forCustomer } from '../../gateway/api/views';
import { createGateway, type Gateway } from '../../gateway/server';
import { startStack, type Stack } from '../e2e/stack';
import { testConfig, testTemporalAddress, testTemporalNamespace, uniqueName } from '../helpers/infra';
import { waitFor } from '../helpers/wait';
import { call, errorMessage, type Answer } from './http';

/** A loopback port nothing listens on (bound, then released). */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface ApiGateway {
  url: string;
  gateway: Gateway;
  token(role: 'agent' | 'customer', sub: string): string;
}

/** A gateway (no Kafka) with the API over `tickets` and Temporal's health on /readyz. */
async function apiGateway(
  temporalAddress: string,
  port: (t: ConnectedTicketClient) => TicketApiPort = (t) => t,
): Promise<ApiGateway & { tickets: ConnectedTicketClient }> {
  const config = testConfig({
    JWT_SECRET: crypto.randomBytes(32).toString('hex'),
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: testTemporalNamespace(),
    DEV_IDENTITY: 'false',
  });
  const tickets = connectTicketClient(config);
  const probe = tickets.probe({ timeoutMs: 1_000, cacheMs: 200 });
  const gateway = createGateway({
    config,
    snapshots: tickets,
    customerView: forCustomer,
    kafka: false,
    instanceId: uniqueName('gw-faults'),
    registerRoutes: consoleRoutes({ tickets: port(tickets), ui: false }),
    dependencies: { temporal: () => probe.check() },
  });
  const listening = await gateway.listen(0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${listening}`,
    gateway,
    tickets,
    token: (role, sub) => gateway.auth.signAccessToken({ sub, role, orgId: 'acme-corp' }, 600_000),
  };
}

describe('Temporal unreachable', () => {
  let down: Awaited<ReturnType<typeof apiGateway>>;
  let up: Awaited<ReturnType<typeof apiGateway>>;

  before(async () => {
    down = await apiGateway(`127.0.0.1:${await deadPort()}`);
    up = await apiGateway(testTemporalAddress());
  });

  after(async () => {
    for (const g of [down, up]) {
      await g?.gateway.stop();
      await g?.tickets.disconnect();
    }
  });

  test('creates, reads, lists, reviews and every action answer 503 with Retry-After', async () => {
    const agent = down.token('agent', 'agent-ann');
    const customer = down.token('customer', 'mona');
    const calls: [string, string, string, unknown][] = [
      [customer, 'POST', '/v1/tickets', { text: 'My refund never arrived.' }],
      [agent, 'GET', '/v1/tickets/t-outage', undefined],
      [agent, 'GET', '/v1/tickets', undefined],
      [agent, 'GET', '/v1/queues', undefined],
      [agent, 'POST', '/v1/tickets/t-outage/review', { action: 'approve', draftVersion: 1 }],
      [agent, 'POST', '/v1/tickets/t-outage/release', {}],
      [agent, 'POST', '/v1/tickets/t-outage/sop', { title: 'Refunds', body: '1. Check the charge.' }],
      [customer, 'POST', '/v1/tickets/t-outage/feedback', { rating: 4 }],
      [customer, 'POST', '/v1/tickets/t-outage/messages', { text: 'Any news?' }],
    ];
    // A key of its own for each: one key names one request, and another request under it is refused (422).
    const answers = await Promise.all(
      calls.map(([token, method, path, body], i) =>
        call(down.url, method, path, { token, body, idempotencyKey: `k-${i}` }),
      ),
    );
    answers.forEach((res: Answer, i) => {
      const what = `${calls[i]![1]} ${calls[i]![2]}`;
      assert.equal(res.status, 503, `${what}: ${JSON.stringify(res.body)}`);
      assert.ok(Number(res.headers.get('retry-after')) > 0, `${what}: Retry-After`);
      assert.match(errorMessage(res), /unavailable/, what);
    });
  });

  test('/readyz is 503 and names Temporal while it cannot be reached, 200 when it answers', async () => {
    const res = await fetch(`${down.url}/readyz`);
    assert.equal(res.status, 503);
    assert.equal(((await res.json()) as { temporal: string }).temporal, 'not_ready');
    // A health check slower than its 1 s deadline on a loaded machine is a 503 that the next poll clears.
    const ready = await waitFor(
      async () => {
        const ok = await fetch(`${up.url}/readyz`);
        return ok.status === 200 ? ((await ok.json()) as { temporal: string }) : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, message: '/readyz 200 while Temporal answers' },
    );
    assert.equal(ready.temporal, 'ready');
  });
});

describe('applied actions when the state read after them fails', () => {
  let stack: Stack;
  let flaky: Awaited<ReturnType<typeof apiGateway>>;
  let reads = 0;

  before(async () => {
    stack = await startStack();
    // The same Temporal and worker; only the read after an action fails, as a query timeout would.
    flaky = await apiGateway(testTemporalAddress(), (t) => ({
      ...t,
      getState: () => {
        reads += 1;
        return Promise.reject(new TicketflowError('upstream_unavailable', 'query timed out'));
      },
    }));
  });

  after(async () => {
    await flaky?.gateway.stop();
    await flaky?.tickets.disconnect();
    await stack?.stop();
  });

  test('an applied edit answers 200 from the update; its retry with the same key answers the same, not 409', async () => {
    const created = await call(stack.url, 'POST', '/v1/tickets', {
      token: stack.token('customer', 'mona'),
      body: {
        text: 'I was charged twice for my Pro plan this month. Transaction ids txn_48213 and txn_48214. Please refund the duplicate charge.',
      },
    });
    const ticketId = String(created.body.ticketId);
    const waiting = await waitFor(
      async () => {
        const s = await stack.tickets.getState(ticketId);
        return s.pendingReview ? s : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, message: 'a draft awaiting review' },
    );
    const version = waiting.pendingReview!.draftVersion;

    const agent = flaky.token('agent', 'agent-ann');
    const text = 'Hello, we refunded the duplicate charge; it shows within 5 business days.';
    const edit = { action: 'edit', draftVersion: version, text };
    const first = await call(flaky.url, 'POST', `/v1/tickets/${ticketId}/review`, {
      token: agent,
      body: edit,
      idempotencyKey: 'edit-1',
    });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.accepted, true);
    assert.equal(first.body.state, null, 'the state could not be read');
    assert.ok(reads > 0, 'the read after the update was tried and failed');
    const retry = await call(flaky.url, 'POST', `/v1/tickets/${ticketId}/review`, {
      token: agent,
      body: edit,
      idempotencyKey: 'edit-1',
    });
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
    assert.deepEqual(retry.body.result, first.body.result, 'the retry gets the first answer');
    const fresh = await call(flaky.url, 'POST', `/v1/tickets/${ticketId}/review`, {
      token: agent,
      body: edit,
      idempotencyKey: 'edit-2',
    });
    assert.equal(fresh.status, 409, 'a new key is a new decision, and this draft is decided');

    const sent = await waitFor(
      async () => {
        const s = await stack.tickets.getState(ticketId);
        return s.awaiting === 'feedback' ? s : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, message: 'the reply sent and feedback asked' },
    );
    assert.equal(sent.reply?.text, text);
    assert.deepEqual(
      sent.reviewHistory.map((r) => r.action),
      ['edit'],
      'the edit was applied once',
    );

    // A customer's action is not refused because the state cannot be read: ownership comes from the start.
    const mona = flaky.token('customer', 'mona');
    const fb = { resolved: true, rating: 5, comment: 'thanks' };
    const given = await call(flaky.url, 'POST', `/v1/tickets/${ticketId}/feedback`, {
      token: mona,
      body: fb,
      idempotencyKey: 'fb-1',
    });
    assert.equal(given.status, 202, JSON.stringify(given.body));
    const again = await call(flaky.url, 'POST', `/v1/tickets/${ticketId}/feedback`, {
      token: mona,
      body: fb,
      idempotencyKey: 'fb-1',
    });
    assert.equal(again.status, 202, JSON.stringify(again.body));
    const bob = await call(flaky.url, 'POST', `/v1/tickets/${ticketId}/feedback`, {
      token: flaky.token('customer', 'bob'),
      body: fb,
      idempotencyKey: 'fb-1',
    });
    assert.equal(bob.status, 403, 'another customer is still refused');
    const after = await stack.tickets.getState(ticketId);
    assert.equal(
      after.events.filter((e) => e.type === 'message' && e.data.kind === 'feedback').length,
      1,
      'feedback recorded once',
    );
  });
});
