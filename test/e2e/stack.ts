/**
 * The whole ticketflow stack in this process, for the API and browser tests: a worker with the real
 * activities and embedded intelligence (rules model, SQLite, Markdown SOPs) on a unique task queue, and a
 * gateway on port 0 with the API and the built UI, consuming a unique Kafka topic; both against the shared
 * Temporal dev server and Kafka broker. Durations are short so the after-runner and feedback steps finish
 * inside a test.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client';
import { createActivities } from '../../activities';
import { createKafkaPublisher } from '../../activities/events';
import { createIntelligence } from '../../activities/intelligence';
import type { ProposalObserver } from '../../activities/proposal-activities';
import { createKnowledgeBase, openSopStore } from '../../activities/knowledge';
import { openOutcomeReader } from '../../activities/memory/outcomes';
import type { Config } from '../../core/config';
import { rootLogger } from '../../core/logger';
import type { Tracing } from '../../core/tracing';
import { createTicketClient, temporalConnection, type TicketClient } from '../../client';
import { consoleRoutes } from '../../gateway/api/register';
import { forCustomer } from '../../gateway/api/views';
import { createSqliteDeskStore, type DeskStore } from '../../gateway/desk/store';
import { createGateway, type Gateway } from '../../gateway/server';
import { proposalSinks } from '../../worker-ops/metrics';
import { WORKFLOW_INTERCEPTOR_MODULE, workerTracing } from '../../worker-ops/tracing';
import {
  createTopic,
  deleteTopic,
  testConfig,
  testKafkaBrokers,
  testTemporalAddress,
  testTemporalNamespace,
  uniqueName,
} from '../helpers/infra';

rootLogger().level = process.env.STACK_TEST_LOG_LEVEL ?? 'error';

export interface Stack {
  config: Config;
  url: string;
  tickets: TicketClient;
  gateway: Gateway;
  desk: DeskStore;
  /**
   * Another gateway on the same client, desk store and topic, as a restarted or added instance would start
   * (its URL); stopped with the stack.
   */
  addGateway(): Promise<string>;
  /** A signed access token for the role (agents for any ticket, customers own tickets by sub). */
  token(role: 'agent' | 'customer', sub: string, opts?: { incidentId?: string; orgId?: string }): string;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** SOP files (names in sops/) the knowledge base starts with; default all. Fewer lets a test hit the SOP wait. */
  sops?: string[];
  env?: NodeJS.ProcessEnv;
  /** Tracing on, wired as worker.ts and gateway/main.ts wire it (the test's own span processor). */
  tracing?: Tracing;
  /** Counts proposals, as the worker's metrics do. */
  proposals?: ProposalObserver;
}

const repoRoot = path.resolve(__dirname, '..', '..');
let runtimeInstalled = false;

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  if (!runtimeInstalled) {
    runtimeInstalled = true;
    try {
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      // installed by another helper in this process
    }
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-stack-'));
  const sopsDir = path.join(dataDir, 'sops');
  fs.mkdirSync(sopsDir);
  const sopFiles = opts.sops ?? fs.readdirSync(path.join(repoRoot, 'sops'));
  for (const f of sopFiles) fs.copyFileSync(path.join(repoRoot, 'sops', f), path.join(sopsDir, f));

  const topic = uniqueName('stack-events');
  const taskQueue = uniqueName('stack-tq');
  await createTopic(topic, 1);
  const config = testConfig({
    JWT_SECRET: crypto.randomBytes(32).toString('hex'),
    TEMPORAL_ADDRESS: testTemporalAddress(),
    TEMPORAL_NAMESPACE: testTemporalNamespace(),
    TEMPORAL_TASK_QUEUE: taskQueue,
    KAFKA_BROKERS: testKafkaBrokers().join(','),
    KAFKA_TICKET_EVENTS_TOPIC: topic,
    TICKETFLOW_DATA_DIR: dataDir,
    SOPS_DIR: sopsDir,
    OPENAI_API_KEY: '',
    AFTER_RUNNER_DELAY: '1s',
    FEEDBACK_WINDOW: '2m',
    REVIEW_SLA: '1h',
    DEV_IDENTITY: 'false',
    ...opts.env,
  });

  const nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
  const intelligence = await createIntelligence(config, { llm: null, dataDir, sopsDir });
  const tracer = opts.tracing?.tracer;
  const publisher = await createKafkaPublisher(config.kafka, { eventsTopic: topic, tracer });
  const otel = workerTracing(opts.tracing);
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: config.temporal.namespace,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: path.join(repoRoot, 'workflows'),
      // As in every production bundle: with tracing off they pass through (workflows/interceptors.ts).
      workflowInterceptorModules: [WORKFLOW_INTERCEPTOR_MODULE],
      logger: new DefaultLogger('WARN'),
    }),
    activities: createActivities({ intelligence, publisher, proposals: opts.proposals }),
    interceptors: { activity: otel.activity },
    sinks: { ...otel.sinks, ...proposalSinks(opts.proposals) },
    shutdownGraceTime: '1s',
  });
  const workerRun = worker.run();

  // The processes' own connection: a gRPC retry whose timer fires after stop() closed it ends its call instead
  // of throwing "Channel has been shut down" (client/connection.ts).
  const connection = temporalConnection({ address: config.temporal.address });
  await connection.ensureConnected();
  const temporal = new Client({
    connection,
    namespace: config.temporal.namespace,
    interceptors: { workflow: tracer ? [new OpenTelemetryWorkflowClientInterceptor({ tracer })] : [] },
  });
  const tickets = createTicketClient({ client: temporal, config });
  const desk = createSqliteDeskStore(dataDir);
  const outcomes = openOutcomeReader({ dataDir });
  // The gateway's own view of the SOP library, on the store the worker writes, as gateway/main.ts opens it.
  const sopStore = openSopStore(config, dataDir);
  const sops = createKnowledgeBase({ sopsDir, store: sopStore, scoreFloor: config.knowledge.scoreFloor });
  const startGateway = async () => {
    const gw = createGateway({
      config,
      snapshots: tickets,
      topic,
      instanceId: uniqueName('stack-gw'),
      tracer,
      customerView: forCustomer,
      registerRoutes: consoleRoutes({ tickets, sops, desk, outcomes }),
    });
    const listening = await gw.listen(0, '127.0.0.1');
    await gw.waitReady(30_000);
    return { gw, listening };
  };
  const { gw: gateway, listening: port } = await startGateway();
  const added: Gateway[] = [];

  let stopped: Promise<void> | undefined;
  return {
    config,
    url: `http://127.0.0.1:${port}`,
    tickets,
    gateway,
    desk,
    async addGateway() {
      const { gw, listening } = await startGateway();
      added.push(gw);
      return `http://127.0.0.1:${listening}`;
    },
    token: (role, sub, o = {}) =>
      gateway.auth.signAccessToken({ sub, role, orgId: o.orgId ?? 'acme-corp', incidentId: o.incidentId }, 3600_000),
    stop() {
      stopped ??= (async () => {
        for (const gw of added) await gw.stop();
        await gateway.stop();
        await terminateOpenTickets(temporal, taskQueue);
        worker.shutdown();
        await workerRun.catch(() => undefined);
        await publisher.close();
        await intelligence.close();
        await desk.close();
        await outcomes.close();
        await sopStore.close();
        await connection.close();
        await nativeConnection.close();
        await deleteTopic(topic).catch(() => undefined);
        fs.rmSync(dataDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/** Tickets still waiting (feedback windows, SLA timers) are ended so the shared server's lists stay clean. */
async function terminateOpenTickets(temporal: Client, taskQueue: string): Promise<void> {
  try {
    for await (const wf of temporal.workflow.list({
      query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`,
    })) {
      await temporal.workflow
        .getHandle(wf.workflowId)
        .terminate('test stack stopped')
        .catch(() => undefined);
    }
  } catch {
    // best effort: a leftover ticket on an orphaned task queue harms nothing
  }
}

/** A customer's new ticket through the API (asserting it was created); answers its id. */
export async function createTicket(stack: Stack, customer: string, text: string): Promise<string> {
  const res = await fetch(`${stack.url}/v1/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.token('customer', customer)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  const body = await res.text();
  assert.equal(res.status, 201, body);
  return String((JSON.parse(body) as { ticketId: string }).ticketId);
}
