/**
 * The real parts a workflow test file runs a worker with: its own task queue, topics and data dir, the real
 * intelligence (no API key: the built-in rules model, the code path production uses without one) and Kafka
 * publisher, and Temporal connections. Made before the file's tests and closed and removed after them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createKafkaPublisher, type EventPublisher } from '../../../activities/events';
import { createIntelligence } from '../../../activities/intelligence';
import type { Intelligence } from '../../../activities/ports';
import { createTicketClient } from '../../../client';
import { createTopic, deleteTopic, testConfig, testTemporalAddress, uniqueName } from '../../helpers/infra';
import { bundleOnce, createTestWorker } from './harness';

export function realWorkerParts(
  name: string,
  opts: {
    eventsPartitions?: number;
    /** The file's own set-up, once the topics exist (a file's own top-level before would run alongside). */
    setUp?: (eventsTopic: string) => Promise<void>;
    /** The file's own tear-down, before the parts close. */
    tearDown?: () => Promise<void>;
  } = {},
) {
  const taskQueue = uniqueName(`wf-${name}`);
  const eventsTopic = uniqueName(`wf-${name}-events`);
  const alertsTopic = uniqueName(`wf-${name}-alerts`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `ticketflow-${name}-`));
  const cfg = testConfig({
    TEMPORAL_TASK_QUEUE: taskQueue,
    KAFKA_TICKET_EVENTS_TOPIC: eventsTopic,
    KAFKA_ALERTS_TOPIC: alertsTopic,
    TICKETFLOW_DATA_DIR: dataDir,
    OPENAI_API_KEY: '',
  });
  let intelligence: Intelligence | undefined;
  let publisher: EventPublisher | undefined;
  let native: NativeConnection | undefined;
  let connection: Connection | undefined;

  before(async () => {
    await Promise.all([createTopic(eventsTopic, opts.eventsPartitions ?? 1), createTopic(alertsTopic, 1)]);
    await opts.setUp?.(eventsTopic);
    intelligence = await createIntelligence(cfg);
    publisher = await createKafkaPublisher(cfg.kafka);
    native = await NativeConnection.connect({ address: testTemporalAddress() });
    connection = await Connection.connect({ address: testTemporalAddress() });
  });

  after(async () => {
    await opts.tearDown?.();
    await publisher?.close();
    await intelligence?.close();
    await connection?.close();
    await native?.close();
    await Promise.all([
      deleteTopic(eventsTopic).catch(() => undefined),
      deleteTopic(alertsTopic).catch(() => undefined),
    ]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  return {
    cfg,
    /** A worker on the file's task queue with the real activities, and a ticket client beside it. */
    async start() {
      if (!intelligence || !publisher || !native || !connection)
        throw new Error('realWorkerParts: before() has not run');
      const worker = await createTestWorker({
        connection: native,
        taskQueue,
        bundle: await bundleOnce(),
        intelligence,
        publisher,
      });
      return { worker, tickets: createTicketClient({ client: new Client({ connection }), config: cfg }) };
    },
  };
}
