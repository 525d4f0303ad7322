/**
 * `npx tsx bench/kafka-commit-probe.ts`: Kafka alone (no gateway), produce -> consume latency at 1,000
 * records/s over 6 partitions, with a kafkajs consumer configured like gateway/kafka/consumer.ts
 * (eachBatch, heartbeat per batch) three ways: autoCommit on (what the gateway does today), a commit at most
 * once a second that the fetch loop does not wait for (the proposed fix), and no commits at all.
 *
 * Why it exists: kafkajs 2.2 commits offsets after *every* batch whenever autoCommit is on (runner.js,
 * `await this.autoCommitOffsets()` at the end of each batch, whatever autoCommitInterval says), and the
 * next fetch waits for that commit's round trip. At a steady rate each fetch brings one small batch per
 * partition, so the commits serialise and set the latency floor of both Kafka gateways in the benchmark.
 */
import { logLevel } from 'kafkajs';
import { config } from '../core/config';
import { createKafka } from '../core/kafka';
import { nowUs } from './clock';
import { LatencyHistogram } from './histogram';
import { laneTickets, paced } from './pace';

type CommitMode = 'every-batch' | 'background-1s' | 'none';

async function probe(mode: CommitMode): Promise<string> {
  const cfg = config();
  const kafka = createKafka(cfg.kafka, { logLevel: logLevel.NOTHING });
  const topic = `bench-commit-probe-${Date.now().toString(36)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6, replicationFactor: 1 }], waitForLeaders: true });
  const consumer = kafka.consumer({ groupId: topic, maxWaitTimeInMs: 500 });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const hist = new LatencyHistogram();
  try {
    await Promise.all([consumer.connect(), producer.connect()]);
    await consumer.subscribe({ topic, fromBeginning: true });
    let fetched = false;
    consumer.on(consumer.events.FETCH, () => (fetched = true));
    await consumer.run({
      autoCommit: mode === 'every-batch',
      autoCommitInterval: 1_000,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary }) => {
        const t = nowUs();
        for (const m of batch.messages) {
          hist.record(t - Number(m.value?.toString() ?? t));
          resolveOffset(m.offset);
        }
        // Not awaited: the commit (at most once per autoCommitInterval) does not hold the next fetch back.
        if (mode === 'background-1s') void commitOffsetsIfNecessary().catch(() => undefined);
        await heartbeat();
      },
    });
    while (!fetched) await new Promise((r) => setTimeout(r, 50));
    const tickets = Array.from({ length: 1000 }, (_, i) => `probe-${i}`);
    const lanes = [0, 1, 2, 3].map((l) => ({ tickets: laneTickets(tickets, 4, l), i: 0 }));
    const sent = await paced({ mode: 'rate', ratePerSec: 1_000, durationMs: 5_000, lanes: 4 }, (lane, count) => {
      const l = lanes[lane]!;
      const t = String(nowUs());
      const messages = Array.from({ length: count }, () => ({ key: l.tickets[l.i++ % l.tickets.length]!, value: t }));
      return producer.send({ topic, messages }).then(() => undefined);
    });
    const deadline = Date.now() + 10_000;
    while (hist.total < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const ms = (us: number | undefined) => `${((us ?? 0) / 1000).toFixed(2)} ms`;
    // Wait one commit interval, then see how far the group's committed offsets got.
    await new Promise((r) => setTimeout(r, 1_200));
    const offsets = await admin.fetchOffsets({ groupId: topic, topics: [topic] });
    const committed = offsets.flatMap((t) => t.partitions).reduce((s, p) => s + Math.max(0, Number(p.offset)), 0);
    return `commits ${mode.padEnd(13)}: ${hist.total}/${sent} records, p50 ${ms(hist.quantileUs(0.5))}, p99 ${ms(hist.quantileUs(0.99))}, committed ${committed}`;
  } finally {
    await Promise.all([consumer.disconnect(), producer.disconnect()]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

void (async () => {
  for (const mode of ['every-batch', 'background-1s', 'none'] as const) process.stdout.write(`${await probe(mode)}\n`);
})().catch((err: unknown) => {
  process.stderr.write(`probe failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
