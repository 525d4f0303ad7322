/**
 * The ticket workflow's long timers on the time-skipping test server: the review SLA (4 h), the after-runner
 * (10 min) and the feedback window (3 days) run in seconds. Activities are the real wrappers over the scripted
 * intelligence; events and alerts go through the real Kafka publisher.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createKafkaPublisher, type EventPublisher } from '../../activities/events';
import { ticketStateQuery } from '../../workflows/messages';
import { ticketSearchAttributes } from '../../scripts/infra/temporal';
import { workflowIdFor, type TicketInput, type Ticket } from '../../workflows/state';
import type { ticketWorkflow } from '../../workflows/ticket-workflow';
import { createTopic, deleteTopic, testConfig, timeSkippingOptions, uniqueName } from '../helpers/infra';
import { waitFor } from '../helpers/wait';
import { assertGapFree, bundleOnce, createTestWorker, tapPublisher, waitForState } from './helpers/harness';
import { createScriptedIntelligence, type Scenario } from './helpers/scripted-intelligence';

const taskQueue = uniqueName('wf-timers');
const eventsTopic = uniqueName('wf-timer-events');
const alertsTopic = uniqueName('wf-timer-alerts');
const cfg = testConfig({ KAFKA_TICKET_EVENTS_TOPIC: eventsTopic, KAFKA_ALERTS_TOPIC: alertsTopic });

const scenarios = new Map<string, Scenario>();
const { intelligence, recorder } = createScriptedIntelligence(scenarios);

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let kafkaPublisher: EventPublisher;
let tap: ReturnType<typeof tapPublisher>;

before(async () => {
  [env, bundle] = await Promise.all([
    TestWorkflowEnvironment.createTimeSkipping(timeSkippingOptions()),
    bundleOnce(),
    createTopic(eventsTopic, 1),
    createTopic(alertsTopic, 1),
  ]).then(([e, b]) => [e, b] as const);
  // The test server knows only the search attributes it is told about.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: ticketSearchAttributes,
  });
  kafkaPublisher = await createKafkaPublisher(cfg.kafka);
  tap = tapPublisher(kafkaPublisher);
});

after(async () => {
  await kafkaPublisher?.close();
  await env?.teardown();
  await Promise.all([deleteTopic(eventsTopic).catch(() => undefined), deleteTopic(alertsTopic).catch(() => undefined)]);
});

async function withWorker<T>(fn: () => Promise<T>): Promise<T> {
  const worker = await createTestWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    bundle,
    intelligence,
    publisher: tap.publisher,
  });
  return worker.runUntil(fn);
}

let n = 0;
async function start(scenario: Scenario) {
  const key = `t${++n}`;
  scenarios.set(key, scenario);
  const ticketId = uniqueName('timer');
  const input: TicketInput = {
    ticketId,
    text: `my service is broken [scenario:${key}]`,
    userId: `u-${key}`,
    orgId: 'org-t',
    channel: 'web',
  };
  const handle = await env.client.workflow.start<typeof ticketWorkflow>('ticketWorkflow', {
    workflowId: workflowIdFor(ticketId),
    taskQueue,
    args: [input],
  });
  const state = () => handle.query(ticketStateQuery);
  const until = (pred: (s: Ticket) => boolean, what: string) => waitForState(state, pred, what);
  return { ticketId, handle, state, until };
}

const approve = (version = 1) => ({ action: 'approve' as const, draftVersion: version, reviewer: 'ops' });

describe('ticket workflow timers (time-skipping server)', () => {
  test('the review SLA lapses after 4 h: escalation event, alert and raised urgency; the wait goes on', async () => {
    await withWorker(async () => {
      const t = await start({});
      await t.until((s) => s.awaiting === 'review', 'awaiting review');
      await env.sleep('3h');
      let s = await t.state();
      assert.equal(s.urgency, 'medium', 'no escalation before the SLA');
      await env.sleep('61m');
      s = await t.until((x) => x.urgency === 'high', 'urgency raised');
      assert.equal(s.status, 'awaiting_review');
      assert.equal(s.awaiting, 'review');
      assert.ok(s.reviewHistory.some((r) => r.action === 'sla_breached'));
      assert.ok(s.events.some((e) => e.type === 'message' && e.data.kind === 'sla_breached'));
      assert.ok(s.events.some((e) => e.type === 'status' && e.data.urgency === 'high'));
      await waitFor(() => tap.alerts.some((a) => a.kind === 'review_sla_breached' && a.ticketId === t.ticketId), {
        message: 'SLA alert',
      });
      await t.handle.signal('review', approve());
      s = await t.until((x) => x.status === 'resolved', 'resolved after the late review');
      assertGapFree(s.events);
      await t.handle.cancel();
      assert.equal((await t.handle.result()).status, 'closed');
    });
  });

  test('after-runner at 10 min: verification fails -> reopened, alert, back to a person', async () => {
    await withWorker(async () => {
      const t = await start({ healthy: false });
      await t.until((s) => s.awaiting === 'review', 'awaiting review');
      await t.handle.signal('review', approve());
      await t.until((s) => s.status === 'resolved', 'resolved');
      // Early feedback on the first reply (allowed while resolved) must not be taken for the next reply's.
      await t.handle.signal('feedback', { resolved: true, comment: 'thanks' });
      await t.until((x) => x.feedback !== null, 'early feedback recorded');
      await env.sleep('9m');
      assert.equal((await t.state()).status, 'resolved', 'not verified before 10 minutes');
      assert.ok(!recorder.calls.some((c) => c.ticketId === t.ticketId && c.name === 'verify'));
      await env.sleep('61s');
      const s = await t.until((x) => x.status === 'reopened' && x.awaiting === 'human', 'reopened');
      assert.equal(s.queue, 'reopened');
      assert.equal(s.verification?.healthy, false);
      assert.equal(s.reopenCount, 1);
      assert.ok(s.events.some((e) => e.type === 'reopened'));
      await waitFor(() => tap.alerts.find((a) => a.kind === 'ticket_reopened' && a.ticketId === t.ticketId), {
        message: 'reopen alert',
      });
      // A person answers; the ticket resolves again and the after-runner starts over.
      await t.handle.signal('review', {
        action: 'edit',
        draftVersion: 1,
        reviewer: 'ops',
        text: 'We restarted your runners.',
      });
      const again = await t.until(
        (x) => x.status === 'resolved' && x.reply?.text === 'We restarted your runners.',
        'resolved again',
      );
      assert.equal(again.feedback, null, 'the new reply waits for its own feedback');
      assertGapFree((await t.state()).events);
      await t.handle.cancel();
      assert.equal((await t.handle.result()).status, 'closed');
    });
  });

  test('after-runner succeeds -> feedback -> analysis -> memory (org alert) -> closed', async () => {
    await withWorker(async () => {
      const t = await start({ healthy: true, orgAlert: true });
      await t.until((s) => s.awaiting === 'review', 'awaiting review');
      await t.handle.signal('review', approve());
      await t.until((s) => s.status === 'resolved', 'resolved');
      await env.sleep('10m');
      await t.until((s) => s.awaiting === 'feedback', 'waiting for feedback');
      await t.handle.signal('feedback', { resolved: true, rating: 5, comment: 'works now' });
      const outcome = await t.handle.result();
      assert.equal(outcome.status, 'closed');
      assert.equal(outcome.closeReason, 'completed');
      assert.equal(outcome.verdict?.resolved, true);
      const s = await t.state();
      assert.equal(s.verification?.healthy, true);
      assertGapFree(s.events);
      assert.ok(recorder.calls.some((c) => c.ticketId === t.ticketId && c.name === 'consolidate'));
      await waitFor(
        () => tap.alerts.find((a) => a.kind === 'org_pattern' && a.orgId === 'org-t' && a.ticketId === t.ticketId),
        { message: 'org alert' },
      );
    });
  });

  test('feedback saying it is not resolved reopens the ticket', async () => {
    await withWorker(async () => {
      const t = await start({ healthy: true, feedbackResolved: false });
      await t.until((s) => s.awaiting === 'review', 'awaiting review');
      await t.handle.signal('review', approve());
      await t.until((s) => s.status === 'resolved', 'resolved');
      await env.sleep('10m');
      await t.until((s) => s.awaiting === 'feedback', 'waiting for feedback');
      await t.handle.signal('feedback', { resolved: false, comment: 'still failing' });
      const s = await t.until((x) => x.status === 'reopened', 'reopened by feedback');
      assert.equal(s.verdict?.resolved, false);
      assert.equal(s.queue, 'reopened');
      await t.handle.cancel();
      assert.equal((await t.handle.result()).status, 'closed');
    });
  });

  test('no feedback within the window: memory, then closed', async () => {
    await withWorker(async () => {
      const t = await start({ healthy: true });
      await t.until((s) => s.awaiting === 'review', 'awaiting review');
      await t.handle.signal('review', approve());
      await t.until((s) => s.status === 'resolved', 'resolved');
      // result() lets the server skip the 10 minutes and the 3-day window.
      const outcome = await t.handle.result();
      assert.equal(outcome.status, 'closed');
      assert.equal(outcome.verdict, null);
      const s = await t.state();
      assert.ok(s.events.some((e) => e.type === 'message' && e.data.kind === 'feedback_window_closed'));
    });
  });
});
