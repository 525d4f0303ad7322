/**
 * A person acts on a ticket while no worker runs (a crash, a deploy). The update is admitted by the server but
 * nothing accepts it, and the client used to wait for it without end: an agent's approve, measured, was still
 * waiting after 150 s, and so was the HTTP request behind it. Now the wait for acceptance is bounded
 * (client/accept-deadline.ts): the caller is told to retry (upstream_unavailable, the API's 503), and the same
 * request with the same update id, sent once a worker is back, is applied once. A new ticket's start is bounded
 * the same way.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createActivities } from '../../activities';
import { ticketIdForKey } from '../../client';
import { TicketflowError } from '../../core/errors';
import { testConfig, uniqueName } from '../helpers/infra';
import { waitFor } from '../helpers/wait';
import { devServerCase } from './helpers/dev-server-case';
import { jitteryPublisher, randomFrom } from './helpers/interleave';
import { createScriptedIntelligence } from './helpers/scripted-intelligence';

const taskQueue = uniqueName('wf-no-worker');
const cfg = testConfig({ TEMPORAL_TASK_QUEUE: taskQueue, TICKET_ACCEPT_TIMEOUT: '2s' });
const { intelligence } = createScriptedIntelligence(new Map());

const c = devServerCase(cfg);

const worker = () =>
  c.worker(createActivities({ intelligence, publisher: jitteryPublisher(randomFrom(9), 1).publisher }));

/** Runs `call`, which must fail as "retry later" within a few seconds of the 2 s bound. */
async function refusedInTime(call: () => Promise<unknown>): Promise<number> {
  const t0 = Date.now();
  await assert.rejects(call(), (err: unknown) => {
    assert.ok(err instanceof TicketflowError, String(err));
    assert.equal(err.code, 'upstream_unavailable');
    assert.match(err.message, /did not take the action within 2 s/);
    return true;
  });
  return Date.now() - t0;
}

describe('an action while no worker runs (dev server)', { timeout: 120_000 }, () => {
  test('the review is refused as "retry later" in bounded time, and the same review is applied once a worker is back', async () => {
    const ticketId = await (
      await worker()
    ).runUntil(async () => {
      const { ticketId } = await c.tickets.createTicket({ text: 'my invoice is wrong', userId: 'u1', orgId: 'o1' });
      c.started.push(ticketId);
      await waitFor(async () => (await c.tickets.getState(ticketId)).pendingReview, { timeoutMs: 30_000 });
      return ticketId;
    });
    const decision = { action: 'approve', draftVersion: 1, reviewer: 'r' } as const;
    const updateId = `${ticketId}-approve`;
    const waited = await refusedInTime(() => c.tickets.review(ticketId, decision, updateId));
    assert.ok(waited < 10_000, `answered after ${waited} ms`);

    const back = await worker();
    const state = await back.runUntil(async () => {
      const ack = await c.tickets.review(ticketId, decision, updateId);
      assert.ok(ack, 'the resend is answered');
      const again = await c.tickets.review(ticketId, decision, updateId);
      assert.deepEqual(again, ack, 'a third send with the same id gets the same answer');
      return c.tickets.getState(ticketId);
    });
    assert.equal(state.pendingReview, null);
    assert.equal(state.reviewHistory.filter((r) => r.action === 'approve').length, 1, 'approved once');
  });

  test('a new ticket is refused the same way, and its resend with the same key opens it once', async () => {
    const input = { text: 'the export fails', userId: 'u2', orgId: 'o1' };
    const key = uniqueName('create');
    // The refused create started its ticket already: cleaned up even if the test fails before the resend.
    c.started.push(ticketIdForKey({ userId: input.userId, orgId: input.orgId }, key));
    await refusedInTime(() => c.tickets.createTicket(input, { idempotencyKey: key }));
    const back = await worker();
    const [created, s] = await back.runUntil(async () => {
      const created = await c.tickets.createTicket(input, { idempotencyKey: key });
      return [created, await c.tickets.getState(created.ticketId)] as const;
    });
    assert.equal(created.ticketId, c.started.at(-1), 'the ticket the refused create started');
    assert.equal(s.ticketId, created.ticketId);
  });
});
