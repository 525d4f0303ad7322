/**
 * The gateway's record consumer as it was before issue 15's twelfth round, on kafkajs, behind the same
 * `RecordConsumer` interface, for the benchmark only (`BENCH_CONSUMER=kafkajs`): the product's consumer
 * (gateway/kafka/consumer.ts, @platformatic/kafka) and this one side by side in one run. It keeps the old
 * fetch path as it was (eachBatch, one offset resolved per batch, a commit a second off the path, one
 * event-loop turn after each batch, a group joined with its heartbeat); not its supervision (a failure ends
 * it), which the benchmark does not exercise.
 */
import { logLevel, type EachBatchPayload } from 'kafkajs';
import { createKafka } from '../core/kafka';
import type { ConsumerOptions, ConsumerStats, RecordConsumer } from '../gateway/kafka/consumer';
import type { RecordHeaders } from '../gateway/kafka/record';
import { ReadyWaiters } from '../gateway/kafka/ready-waiters';

export function createKafkajsConsumer(opts: ConsumerOptions): RecordConsumer {
  const kafka = createKafka(opts.kafka, { logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({
    groupId: `${opts.groupId}.kjs-${process.pid}`,
    minBytes: opts.kafka.fetch.minBytes,
    maxWaitTimeInMs: opts.kafka.fetch.maxWaitMs,
    maxBytesPerPartition: opts.kafka.fetch.maxBytesPerPartition,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
  });
  const counters: ConsumerStats = { fetches: 0, batches: 0, records: 0 };
  const readyWaiters = new ReadyWaiters();
  let ready = false;
  let commitTimer: NodeJS.Timeout | undefined;

  consumer.on(consumer.events.FETCH, () => {
    counters.fetches++;
    if (ready) return;
    ready = true;
    opts.onReadyChange?.(true);
    readyWaiters.wake();
  });

  async function eachBatch({ batch, resolveOffset }: EachBatchPayload): Promise<void> {
    const where = { topic: batch.topic, partition: batch.partition, offset: '' };
    for (const message of batch.messages) {
      where.offset = message.offset;
      opts.handle(message.key, message.value, where, message.headers as RecordHeaders | undefined);
    }
    const handled = batch.messages.at(-1)?.offset;
    if (handled === undefined) return;
    resolveOffset(handled);
    counters.batches++;
    counters.records += batch.messages.length;
    await new Promise((resolve) => setImmediate(resolve));
  }

  return {
    start() {
      void (async () => {
        await consumer.connect();
        await consumer.subscribe({ topic: opts.topic, fromBeginning: false });
        await consumer.run({ eachBatch, eachBatchAutoResolve: false, autoCommit: false });
        commitTimer = setInterval(() => void consumer.commitOffsets([]).catch(() => undefined), 1_000);
      })().catch((err: unknown) => opts.onFailure?.(err));
    },
    async stop() {
      clearInterval(commitTimer);
      await consumer.disconnect().catch(() => undefined);
    },
    get ready() {
      return ready;
    },
    stats: () => ({ ...counters }),
    waitReady(timeoutMs) {
      return ready ? Promise.resolve() : readyWaiters.wait(timeoutMs, 'kafkajs consumer');
    },
  };
}
