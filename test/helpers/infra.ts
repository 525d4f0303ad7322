/**
 * What tests need to reach the shared servers. `npm test` sets the variables; when a single file is run by
 * hand (`node --import tsx --test test/x/y.test.ts`) with `npm run infra -- start` up, the defaults match.
 */
import crypto from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { loadConfig, type Config } from '../../core/config';
import { findChromium } from '../../scripts/infra/chromium';
import { infraPaths } from '../../scripts/infra/paths';
import { findTimeSkippingServer } from '../../scripts/infra/test-server';

/**
 * The config the process would load, with `overrides` on top of the environment. Budgets are counted in
 * memory unless a test asks for the shared store: the data dir is shared by every run on the machine.
 */
export function testConfig(overrides: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({ RATE_LIMIT_STORE: 'memory', ...process.env, ...overrides });
}

export function testTemporalAddress(): string {
  return process.env.TEMPORAL_ADDRESS || '127.0.0.1:7233';
}

export function testTemporalNamespace(): string {
  return process.env.TEMPORAL_NAMESPACE || 'default';
}

export function testKafkaBrokers(): string[] {
  return (process.env.KAFKA_BROKERS || '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}

/** The native time-skipping test server, for `TestWorkflowEnvironment.createTimeSkipping`. */
export function timeSkippingServerPath(): string {
  const found = process.env.TEMPORAL_TEST_SERVER_BIN || findTimeSkippingServer(testConfig(), infraPaths(testConfig()));
  if (!found)
    throw new Error('no time-skipping test server: run `npm run infra -- start` or set TEMPORAL_TEST_SERVER_BIN');
  return found;
}

/** Options for `TestWorkflowEnvironment.createTimeSkipping(timeSkippingOptions())`. */
export function timeSkippingOptions() {
  return { server: { executable: { type: 'existing-path' as const, path: timeSkippingServerPath() } } };
}

export function chromiumPath(): string {
  const found = process.env.CHROMIUM_PATH || findChromium();
  if (!found) throw new Error('no Chromium: install it (apt-get install chromium) or set CHROMIUM_PATH');
  return found;
}

/** A name no other test (or earlier run) uses: topics, groups, workflow ids, task queues. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${crypto.randomBytes(4).toString('hex')}`;
}

/** A kafkajs client for tests. Quiet: kafkajs logs retriable errors it recovers from; real failures throw. */
export function testKafka(clientId = 'ticketflow-test'): Kafka {
  return new Kafka({
    clientId,
    brokers: testKafkaBrokers(),
    logLevel: logLevel.NOTHING,
    retry: { retries: 5, initialRetryTime: 100 },
  });
}

/** Creates a topic and waits until every partition has a leader. */
export async function createTopic(name: string, partitions = 1): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [{ topic: name, numPartitions: partitions, replicationFactor: 1 }],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopic(name: string): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [name] });
  } finally {
    await admin.disconnect();
  }
}
