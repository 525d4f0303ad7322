/**
 * `npx tsx bench/batch-turn-probe.ts [records]`: how long a record handed to the fan-out waits for its write.
 * The gateway's own consumer (gateway/kafka/consumer.ts) on a fresh 1-partition topic, fed one record per
 * millisecond by a producer in a child process. The handler stamps the first record of each turn and
 * measures two waits:
 * - to Node's check phase (an immediate reads the time): when the consumer's turn lets the loop move on;
 * - to the wire: the handler publishes the stamp on a uWS topic whose one subscriber, a client in another
 *   child process, reads the shared monotonic clock (clock.ts) when the frame arrives. uWS writes what
 *   `app.publish` queued from its own check-phase handler, which libuv runs after Node's, so whatever the
 *   consumer's continuation does in Node's immediates (kafkajs's next fetch) comes before the write.
 * Run it at a commit before and after a consumer change to compare.
 */
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { logLevel } from 'kafkajs';
import * as uWS from 'uWebSockets.js';
import { WebSocket } from 'ws';
import { config } from '../core/config';
import { createKafka } from '../core/kafka';
import { createLogger } from '../core/logger';
import { createRecordConsumer } from '../gateway/kafka/consumer';
import { nowUs } from './clock';

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

/** The subscriber: each frame is a stamp; the wait is now minus it. Sent to the parent on 'done'. */
function listen(port: string): void {
  const waits: number[] = [];
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
  ws.on('message', (data) => waits.push(nowUs() - Number((data as Buffer).toString())));
  ws.on('open', () => process.send?.('open'));
  process.on('message', () => process.send?.(waits, () => process.exit(0)));
}

function quantiles(name: string, values: number[]): string {
  values.sort((a, b) => a - b);
  const q = (p: number) => Math.round(values[Math.floor(p * (values.length - 1))] ?? Number.NaN);
  return `${name} (us): p50 ${q(0.5)} p90 ${q(0.9)} p99 ${q(0.99)} max ${q(1)}`;
}

async function probe(count: number): Promise<void> {
  const topic = `bench-batch-turn-${Date.now().toString(36)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  const app = uWS.App().ws('/*', { open: (ws) => void ws.subscribe('probe') });
  const listening = await new Promise<uWS.us_listen_socket>((resolve, reject) =>
    app.listen('127.0.0.1', 0, (s) => (s ? resolve(s) : reject(new Error('probe: uWS could not listen')))),
  );
  const port = uWS.us_socket_local_port(listening);
  const client = fork(process.argv[1]!, ['listen', String(port)], { execArgv: process.execArgv });
  await new Promise((r) => client.once('message', r));
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
      app.publish('probe', String(nowUs()));
      setImmediate(() => {
        delays.push(performance.now() - stamped!);
        stamped = undefined;
      });
    },
  });
  let wire: number[] = [];
  try {
    consumer.start();
    await consumer.waitReady(60_000);
    const child = fork(process.argv[1]!, ['produce', topic, String(count)], { execArgv: process.execArgv });
    await new Promise((r) => child.on('exit', r));
    client.send('done');
    wire = await new Promise<number[]>((r) => client.once('message', (m) => r(m as number[])));
  } finally {
    await consumer.stop();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    uWS.us_listen_socket_close(listening);
    client.kill();
  }
  console.log(
    `${count} records, ${delays.length} turns; ${quantiles(
      'handler -> check phase',
      delays.map((d) => 1000 * d),
    )}; ` + quantiles('handler -> the subscriber', wire),
  );
}

const main =
  role === 'produce'
    ? produce(topicArg!, Number(countArg))
    : role === 'listen'
      ? Promise.resolve(listen(topicArg!))
      : probe(Number(role ?? 5_000));
main.then(
  () => role === 'listen' || process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
