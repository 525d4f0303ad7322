/**
 * The Temporal side is real: a workflow on the shared dev server runs an activity in this process's
 * worker; and the time-skipping test server skips an hour-long timer in well under a second of wall time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
  type WorkerOptions,
} from '@temporalio/worker';
import { testTemporalAddress, testTemporalNamespace, timeSkippingOptions, uniqueName } from '../helpers/infra';
import * as activities from './fixtures/activities';
import type { greetingWorkflow, silentActivityWorkflow, timerWorkflow } from './fixtures/workflows';

const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
let workflowBundle: WorkflowBundleWithSourceMap;

// Worker lifecycle lines at INFO would drown the test report.
Runtime.install({ logger: new DefaultLogger('WARN') });

before(async () => {
  // Bundled once for both tests: webpack is the slow part.
  workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./fixtures/workflows'),
    logger: quietLogger,
  });
});

describe('Temporal dev server', () => {
  let nativeConnection: NativeConnection;
  let connection: Connection;

  before(async () => {
    nativeConnection = await NativeConnection.connect({ address: testTemporalAddress() });
    connection = await Connection.connect({ address: testTemporalAddress() });
  });
  after(async () => {
    await connection?.close();
    await nativeConnection?.close();
  });
  const workerOn = (taskQueue: string, extra: Partial<WorkerOptions> = {}) =>
    Worker.create({
      connection: nativeConnection,
      namespace: testTemporalNamespace(),
      taskQueue,
      workflowBundle,
      activities,
      ...extra,
    });

  it('runs a workflow that calls an activity and returns its result', async () => {
    const taskQueue = uniqueName('foundation');
    const worker = await workerOn(taskQueue);
    const client = new Client({ connection, namespace: testTemporalNamespace() });
    const workflowId = uniqueName('greeting');
    const result = await worker.runUntil(
      client.workflow.execute<typeof greetingWorkflow>('greetingWorkflow', {
        taskQueue,
        workflowId,
        args: ['ticketflow'],
      }),
    );
    assert.equal(result, `hello ticketflow from pid ${process.pid}`);
    // The server kept the history: the run is visible as completed by its id.
    const described = await client.workflow.getHandle(workflowId).describe();
    assert.equal(described.status.name, 'COMPLETED');
  });

  // activities/keep-alive.ts sends no heartbeat at an activity's start, on the word of this: the server counts
  // the heartbeatTimeout from the start, so an activity whose worker went silent before any beat is timed out
  // within it (2 s here), not after its start-to-close timeout (1 minute).
  it('times out an activity that never heartbeated after its heartbeatTimeout', { timeout: 45_000 }, async () => {
    const taskQueue = uniqueName('foundation-heartbeat');
    const worker = await workerOn(taskQueue, { shutdownGraceTime: '1s' });
    const client = new Client({ connection, namespace: testTemporalNamespace() });
    const outcome = await worker.runUntil(
      client.workflow.execute<typeof silentActivityWorkflow>('silentActivityWorkflow', {
        taskQueue,
        workflowId: uniqueName('silent'),
      }),
    );
    assert.equal(outcome, 'timeout HEARTBEAT');
  });
});

describe('time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  before(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping(timeSkippingOptions());
  });
  after(async () => {
    await env?.teardown();
  });

  it('skips a one-hour timer in well under a second of wall time', async () => {
    const taskQueue = uniqueName('timeskip');
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities });
    const hourMs = 3_600_000;
    const started = performance.now();
    const result = await worker.runUntil(
      env.client.workflow.execute<typeof timerWorkflow>('timerWorkflow', {
        taskQueue,
        workflowId: uniqueName('timer'),
        args: [hourMs],
      }),
    );
    const wallMs = performance.now() - started;
    assert.ok(result.sleptMs >= hourMs, `the workflow saw ${result.sleptMs}ms pass, expected at least an hour`);
    assert.ok(wallMs < 5_000, `took ${Math.round(wallMs)}ms of wall time`);
  });
});
