/**
 * `npx tsx bench/batch-turn-probe.ts [records]`: how long a record handed to the fan-out waits before the event
 * loop reaches its check phase, which is when uWS writes what `app.publish` queued (it drains its topics there).
 * The gateway's own consumer (gateway/kafka/consumer.ts) on a fresh 1-partition topic, fed one record per
 * millisecond by a producer in a child process; the handler stamps the first record of each turn and an
 * immediate reads the time. Run it at a commit before and after a consumer change to compare.
 */
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { logLevel } from 'kafkajs';
import { config } from '../core/config';
import { createKafka } from '../core/kafka';
import { createLogger } from '../core/logger';
import { createRecordConsumer } from '../gateway/kafka/consumer';

const cfg = config();
const kafka = createKafka(cfg.kafka, { logLevel: logLevel.NOTHING });
const [role, topicArg, countArg] = process.argv.slice(2);

async function produce(topic: string, count: number): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  for (let i = 0; i < count; i++) {
    await producer.send({ topic, messages: [{ key: 't', value: String(i) }] });
    await new Promise((r) => setTimeout(r, 1));
  }
  await producer.disconnect();
}

async function probe(count: number): Promise<void> {
  const topic = `bench-batch-turn-${Date.now().toString(36)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  const delays: number[] = [];
  let stamped: number | undefined;
  const consumer = createRecordConsumer({
    kafka: cfg.kafka,
    topic,
    groupId: topic,
    logger: createLogger('batch-turn-probe', {}),
    handle: () => {
      if (stamped !== undefined) return;
      stamped = performance.now();
      setImmediate(() => {
        delays.push(performance.now() - stamped!);
        stamped = undefined;
      });
    },
  });
  try {
    consumer.start();
    await consumer.waitReady(60_000);
    const child = fork(process.argv[1]!, ['produce', topic, String(count)], { execArgv: process.execArgv });
    await new Promise((r) => child.on('exit', r));
  } finally {
    await consumer.stop();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
  delays.sort((a, b) => a - b);
  const us = (q: number) => Math.round(1000 * (delays[Math.floor(q * (delays.length - 1))] ?? Number.NaN));
  console.log(
    `${count} records, ${delays.length} turns; handler -> check phase (us): p50 ${us(0.5)} p90 ${us(0.9)} ` +
      `p99 ${us(0.99)} max ${us(1)}`,
  );
}

const main = role === 'produce' ? produce(topicArg!, Number(countArg)) : probe(Number(role ?? 5_000));
main.then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
