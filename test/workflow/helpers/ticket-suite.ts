/**
 * The shared setup of the ticket workflow suites on the real Temporal dev server: a unique task queue and
 * topics, the real Kafka publisher tapped, the client/ the gateway and CLI use, and the small helpers the
 * cases share. Call it once at the top of a test file: it registers that file's before/after hooks.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createKafkaPublisher, type EventPublisher } from '../../../activities/events';
import { TicketflowError } from '../../../core/errors';
import { createTicketClient, type TicketClient } from '../../../client';
import { workflowIdFor, type Ticket } from '../../../workflows/state';
import { createTopic, deleteTopic, testConfig, testTemporalAddress, uniqueName } from '../../helpers/infra';
import { bundleOnce, createTestWorker, tapPublisher, waitForState } from './harness';
import { createScriptedIntelligence, type Scenario } from './scripted-intelligence';

export function ticketWorkflowSuite() {
  const taskQueue = uniqueName('wf-tickets');
  const eventsTopic = uniqueName('wf-events');
  const alertsTopic = uniqueName('wf-alerts');
  const cfg = testConfig({
    TEMPORAL_TASK_QUEUE: taskQueue,
    MAX_REDRAFTS: '1',
    KAFKA_TICKET_EVENTS_TOPIC: eventsTopic,
    KAFKA_ALERTS_TOPIC: alertsTopic,
  });
  const scenarios = new Map<string, Scenario>();
  const { intelligence, recorder } = createScriptedIntelligence(scenarios);
  const started: string[] = [];

  let bundle: WorkflowBundleWithSourceMap;
  let nativeConnection: NativeConnection;
  let connection: Connection;
  let client: Client;
  let tickets: TicketClient;
  let kafkaPublisher: EventPublisher;
  let tap: ReturnType<typeof tapPublisher>;

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
    await Promise.all(
      started.map((id) =>
        client.workflow
          .getHandle(workflowIdFor(id))
          .terminate('test cleanup')
          .catch(() => undefined),
      ),
    );
    await kafkaPublisher?.close();
    await Promise.all([
      deleteTopic(eventsTopic).catch(() => undefined),
      deleteTopic(alertsTopic).catch(() => undefined),
    ]);
    await connection?.close();
    await nativeConnection?.close();
  });

  let n = 0;
  const next = () => ++n;
  async function withWorker<T>(fn: () => Promise<T>, queue = taskQueue): Promise<T> {
    const worker = await createTestWorker({
      connection: nativeConnection,
      taskQueue: queue,
      bundle,
      intelligence,
      publisher: tap.publisher,
    });
    return worker.runUntil(fn);
  }
  /** Creates a ticket whose text names its scenario; returns its id. */
  async function create(scenario: Scenario, text = 'My runners are down and billing looks wrong'): Promise<string> {
    const key = `s${next()}`;
    scenarios.set(key, scenario);
    const { ticketId, status } = await tickets.createTicket({
      text: `${text} [scenario:${key}] contact me at jo@example.com`,
      userId: `u-${key}`,
      orgId: 'org-1',
      channel: 'web',
    });
    started.push(ticketId);
    assert.ok(['received', 'triaging'].includes(status), `first state ${status}`);
    return ticketId;
  }
  const stateOf = (id: string) => () => tickets.getState(id);
  const until = (id: string, pred: (s: Ticket) => boolean, what: string) => waitForState(stateOf(id), pred, what);
  const awaitingReview = (id: string) => until(id, (s) => s.awaiting === 'review', 'awaiting review');

  return {
    taskQueue,
    scenarios,
    recorder,
    started,
    next,
    withWorker,
    create,
    stateOf,
    until,
    awaitingReview,
    get client() {
      return client;
    },
    get tickets() {
      return tickets;
    },
    get tap() {
      return tap;
    },
  };
}

/** Every byte array in a history (payload data), to search it as text. */
export function bytesIn(value: unknown, out: Uint8Array[] = []): Uint8Array[] {
  if (value instanceof Uint8Array) out.push(value);
  else if (Array.isArray(value)) for (const v of value) bytesIn(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) bytesIn(v, out);
  return out;
}

export async function rejects(p: Promise<unknown>, code: TicketflowError['code'], message: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof TicketflowError, `expected TicketflowError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, message);
    return true;
  });
}
