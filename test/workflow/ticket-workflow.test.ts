/**
 * The ticket workflow on the real Temporal dev server, driven through client/ (the same client
 * the gateway and the CLI use), with the real activities over a scripted intelligence and the real Kafka
 * publisher. Long timers (SLA, after-runner, feedback window) are in ticket-timers.test.ts (time-skipping).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createKafkaPublisher, type EventPublisher } from '../../activities/events';
import { TicketflowError } from '../../core/errors';
import { createTicketClient, type TicketClient } from '../../client';
import { workflowIdFor, type TicketInput, type TicketState } from '../../workflows/state';
import { createTopic, deleteTopic, testConfig, testTemporalAddress, uniqueName } from '../helpers/infra';
import { waitFor } from '../helpers/wait';
import { assertGapFree, bundleOnce, createTestWorker, tapPublisher, typesOf, waitForState } from './helpers/harness';
import { createScriptedIntelligence, type Scenario } from './helpers/scripted-intelligence';

const taskQueue = uniqueName('wf-tickets');
const eventsTopic = uniqueName('wf-events');
const alertsTopic = uniqueName('wf-alerts');
const cfg = testConfig({ TEMPORAL_TASK_QUEUE: taskQueue, MAX_REDRAFTS: '1', KAFKA_TICKET_EVENTS_TOPIC: eventsTopic, KAFKA_ALERTS_TOPIC: alertsTopic });

const scenarios = new Map<string, Scenario>();
const { intelligence, recorder } = createScriptedIntelligence(scenarios);

let bundle: WorkflowBundleWithSourceMap;
let nativeConnection: NativeConnection;
let connection: Connection;
let client: Client;
let tickets: TicketClient;
let kafkaPublisher: EventPublisher;
let tap: ReturnType<typeof tapPublisher>;
const started: string[] = [];

before(async () => {
  [bundle] = await Promise.all([bundleOnce(), createTopic(eventsTopic, 3), createTopic(alertsTopic, 1)]);
  nativeConnection = await NativeConnection.connect({ address: testTemporalAddress() });
  connection = await Connection.connect({ address: testTemporalAddress() });
  client = new Client({ connection });
  tickets = createTicketClient({ client, config: cfg });
  kafkaPublisher = await createKafkaPublisher(cfg.kafka);
  tap = tapPublisher(kafkaPublisher);
});

after(async () => {
  // Tickets a failing case left waiting should not linger on the shared server.
  await Promise.all(started.map((id) => client.workflow.getHandle(workflowIdFor(id)).terminate('test cleanup').catch(() => undefined)));
  await kafkaPublisher?.close();
  await Promise.all([deleteTopic(eventsTopic).catch(() => undefined), deleteTopic(alertsTopic).catch(() => undefined)]);
  await connection?.close();
  await nativeConnection?.close();
});

async function withWorker<T>(fn: () => Promise<T>, queue = taskQueue): Promise<T> {
  const worker = await createTestWorker({ connection: nativeConnection, taskQueue: queue, bundle, intelligence, publisher: tap.publisher });
  return worker.runUntil(fn);
}

let n = 0;
/** Creates a ticket whose text names its scenario; returns its id. */
async function create(scenario: Scenario, text = 'My runners are down and billing looks wrong'): Promise<string> {
  const key = `s${++n}`;
  scenarios.set(key, scenario);
  const { ticketId, status } = await tickets.createTicket({ text: `${text} [scenario:${key}] contact me at jo@example.com`, userId: `u-${key}`, orgId: 'org-1', channel: 'web' });
  started.push(ticketId);
  assert.ok(['received', 'triaging'].includes(status), `first state ${status}`);
  return ticketId;
}

const stateOf = (id: string) => () => tickets.getState(id);
const until = (id: string, pred: (s: TicketState) => boolean, what: string) => waitForState(stateOf(id), pred, what);
const awaitingReview = (id: string) => until(id, (s) => s.awaiting === 'review', 'awaiting review');

/** Every byte array in a history (payload data), to search it as text. */
function bytesIn(value: unknown, out: Uint8Array[] = []): Uint8Array[] {
  if (value instanceof Uint8Array) out.push(value);
  else if (Array.isArray(value)) for (const v of value) bytesIn(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) bytesIn(v, out);
  return out;
}

async function rejects(p: Promise<unknown>, code: TicketflowError['code'], message: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof TicketflowError, `expected TicketflowError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, message);
    return true;
  });
}

describe('ticket workflow (dev server)', () => {
  test('approve: triage -> agent -> draft -> review -> sent -> resolved, with search attributes and events', async () => {
    await withWorker(async () => {
      const id = await create({});
      const s = await awaitingReview(id);
      assert.equal(s.status, 'awaiting_review');
      assert.equal(s.queue, 'review');
      assert.equal(s.topic, 'Billing');
      assert.doesNotMatch(s.redactedText ?? '', /jo@example\.com/);
      // Scrubbed at the edge: no payload anywhere in the workflow's history (what the Web UI shows) holds it.
      const history = await client.workflow.getHandle(workflowIdFor(id)).fetchHistory();
      const payloadTexts = bytesIn(history).map((b) => Buffer.from(b).toString('utf8'));
      assert.ok(payloadTexts.some((t) => t.includes('[REDACTED_EMAIL]')), 'the redacted text is in the history');
      assert.ok(!payloadTexts.some((t) => t.includes('jo@example.com')), 'the raw address is nowhere in the history');
      assert.equal(s.draft?.version, 1);
      assert.deepEqual(s.pendingReview?.actions, ['approve', 'edit', 'reject']);

      const ack = await tickets.review(id, { action: 'approve', draftVersion: 1, reviewer: 'ana' });
      assert.equal(ack.status, 'resolved');
      const done = await until(id, (x) => x.status === 'resolved', 'resolved');
      assert.equal(done.reply?.text, s.draft?.text);
      assert.deepEqual(done.reviewHistory.map((r) => [r.action, r.reviewer]), [['approve', 'ana']]);
      const types = typesOf(done);
      for (const t of ['status', 'tool', 'draft', 'review_requested', 'message', 'resolved']) assert.ok(types.includes(t as never), `missing ${t} event`);
      assert.ok(types.indexOf('draft') < types.indexOf('review_requested') && types.indexOf('review_requested') < types.indexOf('resolved'));
      assertGapFree(done.events);

      const d = await client.workflow.getHandle(workflowIdFor(id)).describe();
      assert.equal(d.typedSearchAttributes.get({ name: 'TicketStatus', type: 'KEYWORD' }), 'resolved');
      assert.equal(d.typedSearchAttributes.get({ name: 'TicketTopic', type: 'KEYWORD' }), 'Billing');
      const listed = await waitFor(async () => (await tickets.listTickets({ status: 'resolved', pageSize: 100 })).tickets.find((t) => t.ticketId === id), { message: 'ticket listed as resolved', timeoutMs: 10_000 });
      assert.equal(listed.topic, 'Billing');

      const closed = await tickets.close(id, { by: 'ops', reason: 'test done' });
      assert.equal(closed.status, 'closed');
      const outcome = await tickets.result(id);
      assert.equal(outcome.status, 'closed');
    });
  });

  test('edit: the edited text is what is sent, as a new draft version by a person', async () => {
    await withWorker(async () => {
      const id = await create({});
      await awaitingReview(id);
      await tickets.review(id, { action: 'edit', draftVersion: 1, reviewer: 'ben', text: 'Hello, fixed by hand.' });
      const s = await until(id, (x) => x.status === 'resolved', 'resolved');
      assert.equal(s.reply?.text, 'Hello, fixed by hand.');
      assert.deepEqual(s.draft, { version: 2, text: 'Hello, fixed by hand.', model: 'human' });
      const sent = s.events.find((e) => e.type === 'message' && e.data.from === 'agent');
      assert.equal(sent?.data.text, 'Hello, fixed by hand.');
    });
  });

  test('reject -> redraft with the reason -> approve', async () => {
    await withWorker(async () => {
      const id = await create({});
      await awaitingReview(id);
      const ack = await tickets.review(id, { action: 'reject', draftVersion: 1, reviewer: 'cy', reason: 'mention the refund' });
      assert.equal(ack.accepted, true);
      const s = await until(id, (x) => x.awaiting === 'review' && x.draft?.version === 2, 'second draft in review');
      assert.match(s.draft!.text, /after: mention the refund/);
      assert.equal(recorder.drafts.filter((d) => d.ctx.ticketId === id).at(-1)?.rejectionReason, 'mention the refund');
      await tickets.review(id, { action: 'approve', draftVersion: 2, reviewer: 'cy' });
      const done = await until(id, (x) => x.status === 'resolved', 'resolved');
      assert.deepEqual(done.reviewHistory.map((r) => r.action), ['reject', 'approve']);
      assert.equal(done.redrafts, 1);
    });
  });

  test('reject beyond the redraft limit -> a person writes the reply', async () => {
    await withWorker(async () => {
      const id = await create({});
      await awaitingReview(id);
      await tickets.review(id, { action: 'reject', draftVersion: 1, reviewer: 'dee', reason: 'too vague' });
      await until(id, (x) => x.awaiting === 'review' && x.draft?.version === 2, 'redraft');
      await tickets.review(id, { action: 'reject', draftVersion: 2, reviewer: 'dee', reason: 'still vague' });
      const s = await until(id, (x) => x.awaiting === 'human', 'handed to a person');
      assert.equal(s.queue, 'human_live');
      assert.deepEqual(s.pendingReview?.actions, ['edit']);
      assert.match(s.awaitingReason ?? '', /limit 1 redraft/);
      await rejects(tickets.review(id, { action: 'approve', draftVersion: 2, reviewer: 'dee' }), 'conflict', /approve is not possible now/);
      await tickets.review(id, { action: 'edit', draftVersion: 2, reviewer: 'dee', text: 'Written by a person.' });
      const done = await until(id, (x) => x.status === 'resolved', 'resolved');
      assert.equal(done.reply?.text, 'Written by a person.');
      assert.equal(recorder.drafts.filter((d) => d.ctx.ticketId === id).length, 2, 'no third model draft');
    });
  });

  test('unknown topic -> the human live queue, no agent runs', async () => {
    await withWorker(async () => {
      const id = await create({ analysis: { topic: 'unknown' } }, 'What is the meaning of life');
      const s = await until(id, (x) => x.awaiting === 'human', 'human live');
      assert.equal(s.queue, 'human_live');
      assert.equal(s.draft, null);
      assert.equal(s.findings.length, 0);
      assert.equal(s.pendingReview?.draftVersion, 1);
      assert.ok(!recorder.calls.some((c) => c.ticketId === id && c.name.startsWith('agent:')));
      await tickets.review(id, { action: 'edit', draftVersion: 1, reviewer: 'eve', text: 'A person answers.' });
      await until(id, (x) => x.status === 'resolved', 'resolved');
    });
  });

  test('topics without a domain agent are escalated while the others proceed', async () => {
    await withWorker(async () => {
      const id = await create({ analysis: { topic: 'Billing', topics: ['Workers', 'A&S'] } });
      const s = await awaitingReview(id);
      assert.deepEqual(s.routing?.agentTopics, ['Billing', 'A&S']);
      assert.deepEqual(s.routing?.escalatedTopics, ['Workers']);
      assert.ok(s.escalations.some((e) => e.by === 'router' && /Workers/.test(e.reason)));
      assert.deepEqual(s.findings.map((f) => f.topic), ['Billing', 'A&S']);
      await tickets.close(id, { by: 'test' });
    });
  });

  test('sensitive with high confidence: the three security tools run in parallel, then the secure queue; release continues', async () => {
    await withWorker(async () => {
      const id = await create({ analysis: { topic: 'A&S', is_sensitive: true, urgency: 'high' }, security: { risk_category: 'TOKEN_EXPOSURE', confidence_score: 0.93 }, securityBarrier: true });
      const s = await until(id, (x) => x.status === 'security_review' && x.awaiting === 'human', 'security hold');
      assert.equal(s.queue, 'security');
      assert.equal(s.incidentId, `inc-${id}`);
      assert.match(s.brief?.summary ?? '', /TOKEN_EXPOSURE/);
      const calls = recorder.calls.filter((c) => c.ticketId === id && ['revoke_tokens', 'ip_reputation', 'audit_events'].includes(c.name));
      const starts = calls.filter((c) => c.phase === 'start');
      const ends = calls.filter((c) => c.phase === 'end');
      assert.equal(starts.length, 3);
      assert.equal(ends.length, 3);
      assert.ok(Math.max(...starts.map((c) => c.at)) <= Math.min(...ends.map((c) => c.at)), 'all three started before any completed');
      assert.ok(tap.alerts.some((a) => a.kind === 'security_incident' && a.ticketId === id));
      assert.equal(s.pendingReview?.releasable, true);

      await tickets.release(id, { reviewer: 'sec-1', note: 'tokens rotated, safe to continue' });
      const r = await awaitingReview(id);
      assert.equal(r.queue, 'security', 'sensitive tickets are reviewed in the security queue');
      await rejects(tickets.release(id, { reviewer: 'sec-1' }), 'conflict', /nothing to release/);
      await tickets.close(id, { by: 'test' });
    });
  });

  test('missing SOP: waits in needs_sop, the SOP is provided and saved, the ticket resumes', async () => {
    await withWorker(async () => {
      const id = await create({ missingSopFor: ['Billing'] });
      const s = await until(id, (x) => x.status === 'awaiting_sop', 'awaiting sop');
      assert.equal(s.queue, 'needs_sop');
      assert.equal(s.awaiting, 'sop');
      assert.equal(s.sopNeededFor, 'Billing');
      await rejects(tickets.provideSop(id, { title: '', body: 'x', author: 'm' }), 'bad_input', /title/);
      await tickets.provideSop(id, { title: 'Refunds', body: 'Check the transaction id first.', author: 'mgr' });
      const r = await awaitingReview(id);
      assert.deepEqual(r.sops.map((x) => x.source), ['human']);
      assert.ok(recorder.savedSops.some((x) => x.title === 'Refunds'));
      await rejects(tickets.provideSop(id, { title: 'again', body: 'x', author: 'm' }), 'conflict', /no SOP is needed now/);
      await tickets.close(id, { by: 'test' });
    });
  });

  test('a draft that breaks the guardrail goes to a person', async () => {
    await withWorker(async () => {
      const id = await create({ violatingVersions: [1] });
      const s = await until(id, (x) => x.awaiting === 'human', 'human');
      assert.equal(s.queue, 'human_live');
      assert.equal(s.draft?.violation, 'bypass');
      assert.match(s.awaitingReason ?? '', /guardrail/);
      await rejects(tickets.review(id, { action: 'approve', draftVersion: 1, reviewer: 'x' }), 'conflict', /approve is not possible/);
      await tickets.review(id, { action: 'edit', draftVersion: 1, reviewer: 'x', text: 'Compliant reply.' });
      await until(id, (x) => x.status === 'resolved', 'resolved');
    });
  });

  test('validators: stale version, no pending draft, bad input and unknown ids are refused clearly', async () => {
    await withWorker(async () => {
      const id = await create({ missingSopFor: ['Billing'] });
      await until(id, (x) => x.status === 'awaiting_sop', 'awaiting sop');
      await rejects(tickets.review(id, { action: 'approve', draftVersion: 1, reviewer: 'x' }), 'conflict', /no draft is waiting for review/);
      await tickets.provideSop(id, { title: 'T', body: 'B', author: 'A' });
      await awaitingReview(id);
      await rejects(tickets.review(id, { action: 'approve', draftVersion: 7, reviewer: 'x' }), 'conflict', /version 7 is stale: the current draft is version 1/);
      await rejects(tickets.review(id, { action: 'reject', draftVersion: 1, reviewer: 'x', reason: '  ' }), 'bad_input', /reason/);
      await rejects(tickets.review('no-such-ticket', { action: 'approve', draftVersion: 1, reviewer: 'x' }), 'not_found', /no ticket no-such-ticket/);
      await rejects(tickets.getState('no-such-ticket'), 'not_found', /no ticket/);
      assert.equal(await tickets.getSnapshot('no-such-ticket'), null);
      await rejects(tickets.sendFeedback(id, { comment: 'early' }), 'conflict', /feedback is possible once a reply was sent/);
      // A signal with a stale decision is not applied; it shows up as an error event.
      await client.workflow.getHandle(workflowIdFor(id)).signal('review', { action: 'approve', draftVersion: 9, reviewer: 'x' });
      const s = await until(id, (x) => x.events.some((e) => e.type === 'error'), 'error event');
      assert.equal(s.status, 'awaiting_review');
      assert.match(String(s.events.find((e) => e.type === 'error')?.data.reason), /stale/);
      // Closed tickets refuse decisions as conflicts, and still answer the snapshot.
      await tickets.close(id, { by: 'test' });
      await rejects(tickets.review(id, { action: 'approve', draftVersion: 1, reviewer: 'x' }), 'conflict', /closed/);
      const snap = await tickets.getSnapshot(id);
      assert.equal(snap?.status, 'closed');
      assert.equal(snap?.lastSeq, snap?.events.at(-1)?.seq);
    });
  });

  test('a repeated update id is idempotent; a second decision with a new id is refused', async () => {
    await withWorker(async () => {
      const id = await create({});
      await awaitingReview(id);
      const first = await tickets.review(id, { action: 'approve', draftVersion: 1, reviewer: 'fay' }, `rev-${id}`);
      const again = await tickets.review(id, { action: 'approve', draftVersion: 1, reviewer: 'fay' }, `rev-${id}`);
      assert.deepEqual(again, first);
      await rejects(tickets.review(id, { action: 'approve', draftVersion: 1, reviewer: 'fay' }, `rev2-${id}`), 'conflict', /no draft is waiting/);
      const s = await tickets.getState(id);
      assert.equal(s.reviewHistory.length, 1);
    });
  });

  test('events: gap-free seq; tokens carry the draft seq; a message sent mid-draft is numbered after the draft', async () => {
    await withWorker(async () => {
      const id = await create({ slowDraftMs: 40 });
      await until(id, (x) => x.status === 'drafting', 'drafting');
      await waitFor(() => tap.events.some((e) => e.ticketId === id && e.type === 'token'), { message: 'first token' });
      await tickets.addMessage(id, { text: 'any news? reach me at jane.doe@example.com' });
      const s = await awaitingReview(id);
      assertGapFree(s.events);
      const draft = s.events.find((e) => e.type === 'draft')!;
      const msg = s.events.find((e) => e.type === 'message' && e.data.from === 'customer')!;
      assert.ok(msg.seq > draft.seq, `message ${msg.seq} after draft ${draft.seq}`);
      // The follow-up is redacted before it enters the workflow: no address in the event or the state.
      assert.doesNotMatch(String(msg.data.text), /jane\.doe@example\.com/);
      assert.match(String(msg.data.text), /^any news\? reach me at \[REDACTED_EMAIL\]$/);
      const tokens = tap.events.filter((e) => e.ticketId === id && e.type === 'token');
      assert.ok(tokens.length > 3);
      assert.ok(tokens.every((t) => t.seq === draft.seq));
      assert.deepEqual(tokens.map((t) => t.part), tokens.map((_, i) => i));
      assert.equal(tokens.map((t) => t.data.text).join(''), draft.data.text);
      // Everything numbered before the draft reached Kafka before its first token (else it reads as a duplicate).
      const mine = tap.events.filter((e) => e.ticketId === id);
      const firstToken = mine.findIndex((e) => e.type === 'token');
      const before = new Set(mine.slice(0, firstToken).map((e) => e.seq));
      for (let seq = 1; seq < draft.seq; seq++) assert.ok(before.has(seq), `event ${seq} published before the first token`);
      // What reached Kafka is the durable log, in order (tokens aside).
      await waitFor(() => tap.events.filter((e) => e.ticketId === id && e.type !== 'token').length >= s.events.length, { message: 'all published' });
      assert.deepEqual(tap.events.filter((e) => e.ticketId === id && e.type !== 'token').slice(0, s.events.length).map((e) => e.seq), s.events.map((e) => e.seq));
      await tickets.close(id, { by: 'test' });
    });
  });

  test('a ticket holds at most 50 customer follow-ups: the next is refused with a clear reason', async () => {
    await withWorker(async () => {
      const id = await create({});
      await awaitingReview(id);
      for (let i = 1; i <= 50; i++) await tickets.addMessage(id, { text: `follow-up ${i}` });
      await rejects(tickets.addMessage(id, { text: 'one more' }), 'conflict', /50 customer messages \(the limit\)/);
      await rejects(tickets.addMessage(id, { text: 'x'.repeat(10_001) }), 'bad_input', /at most 10,000 characters/);
      const s = await tickets.getState(id);
      assert.equal(s.messages.filter((m) => m.from === 'customer').length, 50);
      await tickets.close(id, { by: 'test' });
    });
  });

  test('escalate moves the ticket to the live queue; close from anywhere ends it as closed', async () => {
    await withWorker(async () => {
      const id = await create({});
      await awaitingReview(id);
      const ack = await tickets.escalate(id, { reason: 'VIP customer', by: 'lead' });
      assert.equal(ack.queue, 'human_live');
      const closed = await tickets.close(id, { by: 'lead', reason: 'handled by phone' });
      assert.equal(closed.status, 'closed');
      const s = await tickets.getState(id);
      assert.equal(s.closeReason, 'handled by phone');
      assert.equal(s.awaiting, null);
      await rejects(tickets.addMessage(id, { text: 'hello?' }), 'conflict', /closed/);
    });
  });

  test('cancelling the workflow closes the ticket cleanly', async () => {
    await withWorker(async () => {
      const id = await create({});
      await awaitingReview(id);
      const handle = client.workflow.getHandle(workflowIdFor(id));
      await handle.cancel();
      const outcome = await tickets.result(id);
      assert.equal(outcome.status, 'closed');
      assert.equal(outcome.closeReason, 'cancelled');
      const s = await tickets.getState(id);
      assertGapFree(s.events);
      assert.equal(s.events.at(-1)?.data.status, 'closed');
    });
  });

  test('a worker stopped mid-wait; a new worker finishes the ticket', async () => {
    const queue = uniqueName('wf-restart');
    const local = createTicketClient({ client, config: testConfig({ TEMPORAL_TASK_QUEUE: queue }) });
    const key = `restart${++n}`;
    scenarios.set(key, {});
    const id = await withWorker(async () => {
      const { ticketId } = await local.createTicket({ text: `help [scenario:${key}]`, userId: 'u', orgId: 'o' });
      started.push(ticketId);
      await waitForState(() => local.getState(ticketId), (x) => x.awaiting === 'review', 'review on worker A');
      return ticketId;
    }, queue);
    // Worker A is gone; the review arrives while no worker runs, then worker B picks the ticket up.
    await local.handle(id).signal('review', { action: 'approve', draftVersion: 1, reviewer: 'night-shift' });
    await withWorker(async () => {
      const s = await waitForState(() => local.getState(id), (x) => x.status === 'resolved', 'resolved on worker B');
      assert.equal(s.reviewHistory[0]?.reviewer, 'night-shift');
      assertGapFree(s.events);
    }, queue);
  });

  test('continue-as-new after many messages keeps the state, the seq and the pending review', async () => {
    await withWorker(async () => {
      const key = `can${++n}`;
      scenarios.set(key, {});
      const ticketId = uniqueName('can');
      const input: TicketInput = { ticketId, text: `runners down [scenario:${key}]`, userId: 'u', orgId: 'o', channel: 'web', maxMessagesPerRun: 3 };
      const handle = await client.workflow.start('ticketWorkflow', { workflowId: workflowIdFor(ticketId), taskQueue, args: [input] });
      started.push(ticketId);
      await awaitingReview(ticketId);
      for (let i = 1; i <= 4; i++) await tickets.addMessage(ticketId, { text: `ping ${i}` });
      const s = await until(ticketId, (x) => x.runs >= 1 && x.messages.length === 4, 'continued as new');
      assert.notEqual((await handle.describe()).runId, handle.firstExecutionRunId);
      assert.equal(s.awaiting, 'review');
      assertGapFree(s.events);
      await tickets.review(ticketId, { action: 'approve', draftVersion: 1, reviewer: 'gus' });
      const done = await until(ticketId, (x) => x.status === 'resolved', 'resolved after continue-as-new');
      assertGapFree(done.events);
      assert.equal(done.messages.filter((m) => m.from === 'customer').length, 4);
      const list = await tickets.listTickets({ status: 'resolved', pageSize: 100 });
      assert.equal(list.tickets.filter((t) => t.ticketId === ticketId).length, 1, 'one row per ticket, not per run');
    });
  });
});
