/**
 * `KAFKA_FETCH_MIN_BYTES=1024 KAFKA_FETCH_MAX_WAIT=1ms npx tsx bench/idle-fetch-probe.ts [seconds]`: how many
 * fetches the gateway's consumer (gateway/kafka/consumer.ts) makes per second while nothing is produced, under
 * the fetch settings in the environment. A fetch whose minimum is not met comes back empty after the wait and
 * kafkajs asks again at once, so a short wait that batches records under load also costs an idle gateway.
 */
import { logLevel } from 'kafkajs';
import { config } from '../core/config';
import { createKafka } from '../core/kafka';
import { createLogger } from '../core/logger';
import { createRecordConsumer } from '../gateway/kafka/consumer';

async function main(seconds: number): Promise<void> {
  const cfg = config();
  const topic = `idle-fetch-probe-${Date.now().toString(36)}`;
  const admin = createKafka(cfg.kafka, { logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: cfg.kafka.partitions }], waitForLeaders: true });
  const consumer = createRecordConsumer({
    kafka: cfg.kafka,
    topic,
    groupId: `${topic}-group`,
    handle: () => undefined,
    logger: createLogger('idle-fetch-probe'),
  });
  try {
    consumer.start();
    await consumer.waitReady(60_000);
    const before = consumer.stats().fetches;
    const started = Date.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const perSecond = (consumer.stats().fetches - before) / ((Date.now() - started) / 1000);
    const { minBytes, maxWaitMs } = cfg.kafka.fetch;
    process.stdout.write(`minBytes ${minBytes}, maxWait ${maxWaitMs} ms: ${perSecond.toFixed(1)} fetches/s idle\n`);
  } finally {
    await consumer.stop();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

main(Number(process.argv[2] ?? 5)).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`idle-fetch-probe failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
