/**
 * Issue 10, defect 2: a broker outage must not lose live events on partitions the gateway had delivered
 * nothing from. Its own throwaway broker (stopped and started here, never the shared one) with a 4-partition
 * topic: ticket A's partition delivers before the outage, B's and C's never do. The gateway's backoff is
 * long, so records produced right after the broker returns land before the consumer rejoins, which is how
 * producers (the workers) behave in an outage: they resume first. D's records are deleted from the log
 * before the rejoin (as retention would): Kafka cannot fill that gap, so D's subscribers get a fresh
 * snapshot. Every stream ends with the ticket's `closed` status (the gateway closes it there), so each socket's whole stream
 * is compared: every event exactly once, in order.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import {
  agentToken,
  closedStatus,
  customerToken,
  ev,
  startGateway,
  StreamClient,
  streamUrl,
  uniqueName,
  waitFor,
  type RunningGateway,
  cleanupsAfterAll,
} from './harness';
import { createThrowawayKafka, type ThrowawayKafka } from './throwaway-kafka';

const cleanup = cleanupsAfterAll();

// Long enough that the throwaway broker restarts and the records are produced inside one backoff: seconds
// here, but a JVM start on a loaded 2-core CI machine can take most of 25 s, and a miss fails the test.
const BACKOFF_MS = 40_000;

/** One private broker for the file (a JVM start is the slow part), stopped and started by the tests. */
let shared: { kafka: ThrowawayKafka; client: Kafka } | undefined;
async function privateBroker(): Promise<{ kafka: ThrowawayKafka; client: Kafka }> {
  if (shared) return shared;
  const kafka = await createThrowawayKafka();
  cleanup(() => kafka.destroy());
  await kafka.start();
  const client = new Kafka({
    clientId: 'outage-test',
    brokers: [kafka.brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 30, initialRetryTime: 200, maxRetryTime: 1_000 },
  });
  shared = { kafka, client };
  return shared;
}

/** Joins a throwaway group on `topic` (retrying): the broker's group coordinator is up. */
async function groupJoinWorks(client: Kafka, topic: string): Promise<void> {
  const consumer = client.consumer({ groupId: uniqueName('warm-up') });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  await consumer.subscribe({ topic });
  await consumer.run({ eachMessage: async () => undefined });
  await joined;
  await consumer.disconnect();
}

/**
 * A gateway alone on the private broker, on a fresh topic of `partitions` that a group has joined once (a first
 * join that fails, the broker still loading its groups, would start the gateway's long backoff). The breaker
 * opens at the first failure; `backoff` and `probe` say when the consumer tries again.
 */
async function gatewayOnPrivateBroker(name: string, partitions: number, backoff: string, probe: string) {
  const { kafka, client } = await privateBroker();
  const topic = uniqueName(name);
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  await admin.disconnect();
  await groupJoinWorks(client, topic);
  const g: RunningGateway = await startGateway({
    topic,
    env: {
      KAFKA_BROKERS: kafka.brokers,
      KAFKA_BREAKER_THRESHOLD: '1',
      KAFKA_BACKOFF_INITIAL: backoff,
      KAFKA_BACKOFF_MAX: backoff,
      KAFKA_PROBE_INTERVAL: probe,
    },
  });
  cleanup(() => g.stop());
  return { kafka, client, topic, g };
}

void describe('broker outage', () => {
  // Issue 10, defect 2 as the chaos run saw it: after a broker outage the consumer slept out its doubled
  // backoff while the workers had already republished, so subscribers got the ticket's tail (resolved
  // included) only that much later, after their ticket had closed. The backoff here is ten minutes: only a
  // consumer that notices the broker is back delivers within the test's bound. Then (the full chaos run of
  // 04:16) the rejoin itself waited ~10 s in the group join for the group's previous member, which outlived
  // the restart (its leave could not reach a stopped broker): the tail must come within seconds of the
  // broker answering, a generous bound against that 10 s session wait (a behaviour check, not a benchmark).
  void test(
    'after an outage the consumer gets its partitions within seconds of the broker answering',
    { timeout: 240_000 },
    async () => {
      const { kafka, client, topic, g } = await gatewayOnPrivateBroker('outage-rejoin', 2, '10m', '500ms');
      const E = uniqueName('E');
      g.snapshots.set(E, []);
      const subscriber = new StreamClient(streamUrl(g, E), { token: customerToken(g, E) });
      await subscriber.opened;
      let producer = client.producer();
      await producer.connect();
      const send = (seqs: number[], last = 0) =>
        producer.send({
          topic,
          messages: seqs.map((s) => ({ key: E, value: JSON.stringify(s === last ? closedStatus(E, s) : ev(E, s)) })),
        });
      await send([1]);
      await subscriber.waitForSeqCount(1);

      await kafka.stop();
      await waitFor(async () => (await fetch(`${g.url}/readyz`)).status === 503, {
        timeoutMs: 30_000,
        intervalMs: 100,
        message: '/readyz 503 after the broker stopped (the consumer is in its backoff)',
      });
      await kafka.start();
      const answeredAt = Date.now();
      await producer.disconnect().catch(() => undefined);
      producer = client.producer();
      await producer.connect();
      g.snapshots.close(E, 3);
      await send([2, 3], 3);
      await producer.disconnect();

      await subscriber
        .waitClosed(120_000)
        .catch(() =>
          assert.fail(
            `the ticket's tail never came (seqs ${subscriber.seqs().join(',')}): the consumer is still asleep`,
          ),
        );
      const lateMs = Date.now() - answeredAt;
      assert.deepEqual(subscriber.seqs(), [1, 2, 3]);
      assert.ok(lateMs < 5_000, `the tail came ${lateMs} ms after the broker answered: the rejoin waited`);
      assert.equal(g.gw.ready, true);
    },
  );

  void test(
    'partitions that delivered nothing before the outage lose nothing; an unfillable gap gets a fresh snapshot',
    { timeout: 240_000 },
    async () => {
      // No probe inside the window: the records must reach the log while the consumer is away.
      const { kafka, client, topic, g } = await gatewayOnPrivateBroker(
        'outage',
        4,
        `${BACKOFF_MS}ms`,
        `${BACKOFF_MS}ms`,
      );
      const [A, B, C, D] = ['A', 'B', 'C', 'D'].map((n) => uniqueName(n)) as [string, string, string, string];
      const partitionOf: Record<string, number> = { [A]: 0, [B]: 1, [C]: 2, [D]: 3 };
      for (const t of [A, B, C, D]) g.snapshots.set(t, []);
      const subscribers = [A, B, C, D].flatMap((t) => [
        { t, c: new StreamClient(streamUrl(g, t), { token: agentToken(g) }) },
        { t, c: new StreamClient(streamUrl(g, t), { token: customerToken(g, t) }) },
      ]);
      await Promise.all(subscribers.map(({ c }) => c.opened));

      let producer = client.producer();
      await producer.connect();
      const send = (t: string, seqs: number[], last = 0) =>
        producer.send({
          topic,
          messages: seqs.map((s) => ({
            key: t,
            partition: partitionOf[t],
            value: JSON.stringify(s === last ? closedStatus(t, s) : ev(t, s)),
          })),
        });

      await send(A, [1]);
      await Promise.all(subscribers.filter((s) => s.t === A).map(({ c }) => c.waitForSeqCount(1)));

      await kafka.stop();
      // Threshold 1: not ready from the consumer's first failure, which starts its long backoff.
      await waitFor(async () => (await fetch(`${g.url}/readyz`)).status === 503, {
        timeoutMs: 30_000,
        intervalMs: 100,
        message: '/readyz 503 after the broker stopped',
      });
      const failedAt = Date.now();
      await kafka.start();
      await producer.disconnect().catch(() => undefined);
      producer = client.producer();
      await producer.connect();
      await send(B, [1, 2]);
      await send(C, [1]);
      await send(A, [2]);
      await send(D, [1, 2]);
      // D's records leave the log before the consumer is back; the workflow (the snapshot) still has them.
      const deleter = client.admin();
      await deleter.connect();
      await deleter.fetchTopicMetadata({ topics: [topic] }); // deleteTopicRecords needs the leaders loaded
      await deleter.deleteTopicRecords({ topic, partitions: [{ partition: partitionOf[D]!, offset: '-1' }] });
      await deleter.disconnect();
      g.snapshots.set(D, [ev(D, 1), ev(D, 2)]);
      // The scenario under test: all of the above reached the log while the consumer was still away.
      assert.equal(
        g.gw.ready,
        false,
        `the consumer rejoined before the test produced (${Date.now() - failedAt} ms after its failure); raise BACKOFF_MS`,
      );

      await waitFor(() => g.gw.ready, { timeoutMs: BACKOFF_MS * 2, intervalMs: 100, message: 'consumer rejoined' });
      for (const t of [A, B, C, D]) g.snapshots.close(t, 3);
      await send(B, [3], 3);
      await send(C, [2, 3], 3);
      await send(A, [3], 3);
      await send(D, [3], 3);
      await producer.disconnect();

      for (const { t, c } of subscribers) {
        await c
          .waitClosed(20_000)
          .catch(() => assert.fail(`ticket ${t}: stream not closed; got seqs ${c.seqs().join(',')}`));
        assert.deepEqual(c.seqs(), [1, 2, 3], `ticket ${t}: every event exactly once, in order`);
      }
      for (const { c } of subscribers.filter((s) => s.t === D)) {
        assert.equal(
          c.frames.filter((f) => f.kind === 'snapshot').length,
          2,
          'the gap was answered with a fresh snapshot',
        );
      }
    },
  );
});
