/**
 * Issue 10: a ticket stuck in review after a worker kill (cluster test, 07:23 UTC). The cold worker that took
 * the review's workflow task completed it without handing the update to the workflow (sdk-core: "There are
 * unprocessed protocol messages while receiving new work"); the server then rejects the update as
 * `UnprocessedUpdate`, nothing is applied, and the client answered 409, a final answer to any caller, so the
 * ticket waited for a decision nobody would send again. Here the real ticket workflow reaches review on the
 * dev server, its worker stops, and a worker that drops the update (this test, polling the task queue itself)
 * takes the review's task; then a real worker comes back. The review must go through (the client sends it
 * again) and the history must replay.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createTicketClient, type TicketClient } from '../../client';
import { workflowIdFor } from '../../workflows/state';
import { testConfig, testTemporalAddress, testTemporalNamespace, uniqueName } from '../helpers/infra';
import { waitFor } from '../helpers/wait';
import { bundleOnce } from './helpers/harness';
import { jitteryPublisher, randomFrom } from './helpers/interleave';
import { createScriptedIntelligence } from './helpers/scripted-intelligence';

const taskQueue = uniqueName('wf-unprocessed');
const namespace = testTemporalNamespace();
const cfg = testConfig({ TEMPORAL_TASK_QUEUE: taskQueue });
const { intelligence } = createScriptedIntelligence(new Map());
const tap = jitteryPublisher(randomFrom(7), 1);

let bundle: WorkflowBundleWithSourceMap;
let native: NativeConnection;
let connection: Connection;
let client: Client;
let tickets: TicketClient;
let ticketId = '';

before(async () => {
  bundle = await bundleOnce();
  native = await NativeConnection.connect({ address: testTemporalAddress() });
  connection = await Connection.connect({ address: testTemporalAddress() });
  client = new Client({ connection, namespace });
  tickets = createTicketClient({ client, config: cfg });
});

after(async () => {
  if (ticketId)
    await client.workflow
      .getHandle(workflowIdFor(ticketId))
      .terminate('test cleanup')
      .catch(() => undefined);
  await connection?.close();
  await native?.close();
});

const realWorker = () =>
  Worker.create({
    connection: native,
    namespace,
    taskQueue,
    workflowBundle: bundle,
    activities: createActivities({ intelligence, publisher: tap.publisher }),
    shutdownGraceTime: '1s',
    stickyQueueScheduleToStartTimeout: '1s',
  });

/**
 * A worker that takes the next workflow task carrying an update and completes it without processing the
 * update, as the cold worker did. Answers how many update requests the task carried.
 */
async function dropNextUpdate(): Promise<number> {
  const svc = connection.workflowService;
  for (let polls = 0; polls < 10; polls++) {
    // A long poll: the server wants a deadline, and answers empty at its own limit (about a minute).
    const task = await connection.withDeadline(Date.now() + 70_000, () =>
      svc.pollWorkflowTaskQueue({ namespace, taskQueue: { name: taskQueue }, identity: 'dropper' }),
    );
    if (!task.taskToken?.length) continue;
    const updates = (task.messages ?? []).filter((m) => m.body?.type_url?.endsWith('update.v1.Request')).length;
    // Any other task would carry the workflow's own work, which this stand-in must not answer.
    assert.ok(updates > 0, `the stand-in worker got a task without an update (${task.history?.events?.length} events)`);
    await svc.respondWorkflowTaskCompleted({ namespace, taskToken: task.taskToken, identity: 'dropper', commands: [] });
    return updates;
  }
  throw new Error('no workflow task came to the stand-in worker');
}

describe('an update a worker completed its task without processing (dev server)', () => {
  test('is sent again and taken once a worker that processes it runs; the history replays', async () => {
    const first = await realWorker();
    const review = await first.runUntil(async () => {
      ({ ticketId } = await tickets.createTicket({
        text: 'I was charged twice this month',
        userId: 'u1',
        orgId: 'o1',
      }));
      const handle = client.workflow.getHandle(workflowIdFor(ticketId));
      const waiting = await waitFor(
        async () => {
          const s = await tickets.getState(ticketId);
          // Also nothing in flight: a completion the stand-in answered would be work it dropped.
          const idle = ((await handle.describe()).raw.pendingActivities ?? []).length === 0;
          return s.pendingReview && idle ? s.pendingReview : undefined;
        },
        { timeoutMs: 60_000, message: 'the ticket waiting for review with nothing in flight' },
      );
      return waiting;
    });

    const approving = tickets.review(ticketId, {
      action: 'approve',
      draftVersion: review.draftVersion,
      reviewer: 'agent-1',
    });
    const outcome = approving.then(
      (ack) => ({ ack }),
      (err: Error) => ({ err }),
    );
    assert.equal(await dropNextUpdate(), 1, 'the review reached the stand-in worker');

    const second = await realWorker();
    const result = await second.runUntil(async () => {
      const r = await outcome;
      if ('ack' in r) await waitFor(async () => (await tickets.getState(ticketId)).pendingReview === null || undefined);
      return r;
    });
    assert.ok('ack' in result, `the review was refused: ${'err' in result ? result.err.message : ''}`);
    assert.ok(result.ack.awaiting === null || result.ack.status === 'closed', 'the review was applied');

    const history = await client.workflow.getHandle(workflowIdFor(ticketId)).fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: bundle }, history, workflowIdFor(ticketId));
  });
});
