/**
 * The ticket workflow's controls on the real Temporal dev server, through client/: validators, idempotent
 * updates, event numbering, the follow-up limit, escalate/close/cancel, a worker restart and continue-as-new.
 * The flows are in ticket-workflow.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTicketClient } from '../../client';
import { workflowIdFor, type TicketInput } from '../../workflows/state';
import { testConfig, uniqueName } from '../helpers/infra';
import { waitFor } from '../helpers/wait';
import { assertGapFree, waitForState } from './helpers/harness';
import { rejects, ticketWorkflowSuite } from './helpers/ticket-suite';

const wf = ticketWorkflowSuite();
const { scenarios, started, taskQueue, withWorker, create, until, awaitingReview } = wf;

describe('ticket workflow controls (dev server)', () => {
  test('validators: stale version, no pending draft, bad input and unknown ids are refused clearly', async () => {
    await withWorker(async () => {
      const id = await create({ missingSopFor: ['Billing'] });
      await until(id, (x) => x.status === 'awaiting_sop', 'awaiting sop');
      await rejects(
        wf.tickets.review(id, { action: 'approve', draftVersion: 1, reviewer: 'x' }),
        'conflict',
        /no draft is waiting for review/,
      );
      await wf.tickets.provideSop(id, { title: 'T', body: 'B', author: 'A' });
      await awaitingReview(id);
      await rejects(
        wf.tickets.review(id, { action: 'approve', draftVersion: 7, reviewer: 'x' }),
        'conflict',
        /version 7 is stale: the current draft is version 1/,
      );
      await rejects(
        wf.tickets.review(id, { action: 'reject', draftVersion: 1, reviewer: 'x', reason: '  ' }),
        'bad_input',
        /reason/,
      );
      await rejects(
        wf.tickets.review('no-such-ticket', { action: 'approve', draftVersion: 1, reviewer: 'x' }),
        'not_found',
        /no ticket no-such-ticket/,
      );
      await rejects(wf.tickets.getState('no-such-ticket'), 'not_found', /no ticket/);
      assert.equal(await wf.tickets.getSnapshot('no-such-ticket'), null);
      await rejects(
        wf.tickets.sendFeedback(id, { comment: 'early' }),
        'conflict',
        /feedback is possible once a reply was sent/,
      );
      // A signal with a stale decision is not applied; it shows up as an error event.
      await wf.client.workflow
        .getHandle(workflowIdFor(id))
        .signal('review', { action: 'approve', draftVersion: 9, reviewer: 'x' });
      const s = await until(id, (x) => x.events.some((e) => e.type === 'error'), 'error event');
      assert.equal(s.status, 'awaiting_review');
      assert.match(String(s.events.find((e) => e.type === 'error')?.data.reason), /stale/);
      // Closed tickets refuse decisions as conflicts, and still answer the snapshot.
      await wf.tickets.close(id, { by: 'test' });
      await rejects(wf.tickets.review(id, { action: 'approve', draftVersion: 1, reviewer: 'x' }), 'conflict', /closed/);
      const snap = await wf.tickets.getSnapshot(id);
      assert.equal(snap?.status, 'closed');
      assert.equal(snap?.lastSeq, snap?.events.at(-1)?.seq);
    });
  });

  test('a repeated update id is idempotent; a second decision with a new id is refused', async () => {
    await withWorker(async () => {
      const id = await create({});
      await awaitingReview(id);
      const first = await wf.tickets.review(id, { action: 'approve', draftVersion: 1, reviewer: 'fay' }, `rev-${id}`);
      const again = await wf.tickets.review(id, { action: 'approve', draftVersion: 1, reviewer: 'fay' }, `rev-${id}`);
      assert.deepEqual(again, first);
      await rejects(
        wf.tickets.review(id, { action: 'approve', draftVersion: 1, reviewer: 'fay' }, `rev2-${id}`),
        'conflict',
        /no draft is waiting/,
      );
      const s = await wf.tickets.getState(id);
      assert.equal(s.reviewHistory.length, 1);
    });
  });

  test('events: gap-free seq; tokens carry the draft seq; a message sent mid-draft is numbered after the draft', async () => {
    await withWorker(async () => {
      const id = await create({ slowDraftMs: 40 });
      await until(id, (x) => x.status === 'drafting', 'drafting');
      await waitFor(() => wf.tap.events.some((e) => e.ticketId === id && e.type === 'token'), {
        message: 'first token',
      });
      await wf.tickets.addMessage(id, { text: 'any news? reach me at jane.doe@example.com' });
      const s = await awaitingReview(id);
      assertGapFree(s.events);
      const draft = s.events.find((e) => e.type === 'draft')!;
      const msg = s.events.find((e) => e.type === 'message' && e.data.from === 'customer')!;
      assert.ok(msg.seq > draft.seq, `message ${msg.seq} after draft ${draft.seq}`);
      // The follow-up is redacted before it enters the workflow: no address in the event or the state.
      assert.doesNotMatch(String(msg.data.text), /jane\.doe@example\.com/);
      assert.match(String(msg.data.text), /^any news\? reach me at \[REDACTED_EMAIL\]$/);
      const tokens = wf.tap.events.filter((e) => e.ticketId === id && e.type === 'token');
      assert.ok(tokens.length > 3);
      assert.ok(tokens.every((t) => t.seq === draft.seq));
      assert.deepEqual(
        tokens.map((t) => t.part),
        tokens.map((_, i) => i),
      );
      assert.equal(tokens.map((t) => t.data.text).join(''), draft.data.text);
      // Everything numbered before the draft reached Kafka before its first token (else it reads as a duplicate).
      const mine = wf.tap.events.filter((e) => e.ticketId === id);
      const firstToken = mine.findIndex((e) => e.type === 'token');
      const before = new Set(mine.slice(0, firstToken).map((e) => e.seq));
      for (let seq = 1; seq < draft.seq; seq++)
        assert.ok(before.has(seq), `event ${seq} published before the first token`);
      // What reached Kafka is the durable log, in order (tokens aside).
      await waitFor(
        () => wf.tap.events.filter((e) => e.ticketId === id && e.type !== 'token').length >= s.events.length,
        { message: 'all published' },
      );
      assert.deepEqual(
        wf.tap.events
          .filter((e) => e.ticketId === id && e.type !== 'token')
          .slice(0, s.events.length)
          .map((e) => e.seq),
        s.events.map((e) => e.seq),
      );
      await wf.tickets.close(id, { by: 'test' });
    });
  });

  test('a ticket holds at most 50 customer follow-ups: the next is refused with a clear reason', async () => {
    await withWorker(async () => {
      const id = await create({});
      await awaitingReview(id);
      for (let i = 1; i <= 50; i++) await wf.tickets.addMessage(id, { text: `follow-up ${i}` });
      await rejects(wf.tickets.addMessage(id, { text: 'one more' }), 'conflict', /50 customer messages \(the limit\)/);
      await rejects(wf.tickets.addMessage(id, { text: 'x'.repeat(10_001) }), 'bad_input', /at most 10,000 characters/);
      const s = await wf.tickets.getState(id);
      assert.equal(s.messages.filter((m) => m.from === 'customer').length, 50);
      await wf.tickets.close(id, { by: 'test' });
    });
  });

  test('escalate moves the ticket to the live queue; close from anywhere ends it as closed', async () => {
    await withWorker(async () => {
      const id = await create({});
      await awaitingReview(id);
      const ack = await wf.tickets.escalate(id, { reason: 'VIP customer', by: 'lead' });
      assert.equal(ack.queue, 'human_live');
      const closed = await wf.tickets.close(id, { by: 'lead', reason: 'handled by phone' });
      assert.equal(closed.status, 'closed');
      const s = await wf.tickets.getState(id);
      assert.equal(s.closeReason, 'handled by phone');
      assert.equal(s.awaiting, null);
      await rejects(wf.tickets.addMessage(id, { text: 'hello?' }), 'conflict', /closed/);
    });
  });

  test('cancelling the workflow closes the ticket cleanly', async () => {
    await withWorker(async () => {
      const id = await create({});
      await awaitingReview(id);
      const handle = wf.client.workflow.getHandle(workflowIdFor(id));
      await handle.cancel();
      const outcome = await wf.tickets.result(id);
      assert.equal(outcome.status, 'closed');
      assert.equal(outcome.closeReason, 'cancelled');
      const s = await wf.tickets.getState(id);
      assertGapFree(s.events);
      assert.equal(s.events.at(-1)?.data.status, 'closed');
    });
  });

  test('a worker stopped mid-wait; a new worker finishes the ticket', async () => {
    const queue = uniqueName('wf-restart');
    const local = createTicketClient({ client: wf.client, config: testConfig({ TEMPORAL_TASK_QUEUE: queue }) });
    const key = `restart${wf.next()}`;
    scenarios.set(key, {});
    const id = await withWorker(async () => {
      const { ticketId } = await local.createTicket({ text: `help [scenario:${key}]`, userId: 'u', orgId: 'o' });
      started.push(ticketId);
      await waitForState(
        () => local.getState(ticketId),
        (x) => x.awaiting === 'review',
        'review on worker A',
      );
      return ticketId;
    }, queue);
    // Worker A is gone; the review arrives while no worker runs, then worker B picks the ticket up.
    await local.handle(id).signal('review', { action: 'approve', draftVersion: 1, reviewer: 'night-shift' });
    await withWorker(async () => {
      const s = await waitForState(
        () => local.getState(id),
        (x) => x.status === 'resolved',
        'resolved on worker B',
      );
      assert.equal(s.reviewHistory[0]?.reviewer, 'night-shift');
      assertGapFree(s.events);
    }, queue);
  });

  test('continue-as-new after many messages keeps the state, the seq and the pending review', async () => {
    await withWorker(async () => {
      const key = `can${wf.next()}`;
      scenarios.set(key, {});
      const ticketId = uniqueName('can');
      const input: TicketInput = {
        ticketId,
        text: `runners down [scenario:${key}]`,
        userId: 'u',
        orgId: 'o',
        channel: 'web',
        maxMessagesPerRun: 3,
      };
      const handle = await wf.client.workflow.start('ticketWorkflow', {
        workflowId: workflowIdFor(ticketId),
        taskQueue,
        args: [input],
      });
      started.push(ticketId);
      await awaitingReview(ticketId);
      for (let i = 1; i <= 4; i++) await wf.tickets.addMessage(ticketId, { text: `ping ${i}` });
      const s = await until(ticketId, (x) => x.runs >= 1 && x.messages.length === 4, 'continued as new');
      assert.notEqual((await handle.describe()).runId, handle.firstExecutionRunId);
      assert.equal(s.awaiting, 'review');
      assertGapFree(s.events);
      await wf.tickets.review(ticketId, { action: 'approve', draftVersion: 1, reviewer: 'gus' });
      const done = await until(ticketId, (x) => x.status === 'resolved', 'resolved after continue-as-new');
      assertGapFree(done.events);
      assert.equal(done.messages.filter((m) => m.from === 'customer').length, 4);
      const list = await wf.tickets.listTickets({ status: 'resolved', pageSize: 100 });
      assert.equal(list.tickets.filter((t) => t.ticketId === ticketId).length, 1, 'one row per ticket, not per run');
    });
  });
});
