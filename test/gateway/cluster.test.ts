/**
 * More than one gateway, and a broker that goes away: each instance has its own consumer group, so both
 * deliver every event to their own sockets; a stopped broker makes an instance not ready (the breaker), and a
 * restarted one makes it ready and delivering again, to the sockets that stayed connected.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import {
  agentToken,
  ev,
  MemorySnapshots,
  metricValue,
  produce,
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

void describe('cluster', () => {
  void test('two gateway instances on one topic both deliver every event to their own sockets', async () => {
    const snapshots = new MemorySnapshots();
    const a = await startGateway({ partitions: 3, snapshots });
    cleanup(() => a.stop());
    const b = await startGateway({ topic: a.topic, snapshots });
    cleanup(() => b.stop());
    const tickets = [uniqueName('T'), uniqueName('T'), uniqueName('T')];
    for (const t of tickets) snapshots.set(t, []);
    const clients = tickets.flatMap((t) =>
      [a, b].map((g) => ({ t, c: new StreamClient(streamUrl(g, t), { token: agentToken(g) }) })),
    );
    await Promise.all(clients.map(({ c }) => c.opened));
    await produce(
      a.topic,
      tickets.flatMap((t) => [1, 2, 3, 4].map((s) => ev(t, s))),
    );
    for (const { t, c } of clients) {
      await c.waitForSeqCount(4);
      assert.deepEqual(c.seqs(), [1, 2, 3, 4], t);
    }
    clients.forEach(({ c }) => c.close());
  });

  void test(
    'broker stopped: not ready; restarted: ready, then delivering to the same sockets',
    { timeout: 150_000 },
    async () => {
      const kafka: ThrowawayKafka = await createThrowawayKafka();
      cleanup(() => kafka.destroy());
      await kafka.start();
      const topic = kafka.config.kafka.ticketEventsTopic;
      const g: RunningGateway = await startGateway({
        topic,
        env: {
          KAFKA_BROKERS: kafka.brokers,
          KAFKA_BREAKER_THRESHOLD: '2',
          KAFKA_BACKOFF_INITIAL: '200ms',
          KAFKA_BACKOFF_MAX: '1s',
        },
      });
      cleanup(() => g.stop());
      const producerClient = new Kafka({
        clientId: 'throwaway-producer',
        brokers: [kafka.brokers],
        logLevel: logLevel.NOTHING,
        retry: { retries: 10, initialRetryTime: 200 },
      });
      let producer: Producer = producerClient.producer();
      await producer.connect();
      const send = (seq: number) => producer.send({ topic, messages: [{ key: t, value: JSON.stringify(ev(t, seq)) }] });

      const t = uniqueName('T');
      g.snapshots.set(t, []);
      const c = new StreamClient(streamUrl(g, t), { token: agentToken(g) });
      await c.opened;
      await send(1);
      await c.waitForSeqCount(1);

      await producer.disconnect();
      await kafka.stop();
      await waitFor(async () => (await fetch(`${g.url}/readyz`)).status === 503, {
        timeoutMs: 60_000,
        intervalMs: 250,
        message: '/readyz 503 after the broker stopped',
      });
      assert.ok((await metricValue(g, 'ticketflow_gateway_consumer_failures_total')) >= 2);
      assert.equal((await fetch(`${g.url}/healthz`)).status, 200, 'alive while not ready');
      assert.equal(c.closed, undefined, 'sockets stay connected through the outage');

      await kafka.start();
      await waitFor(async () => (await fetch(`${g.url}/readyz`)).status === 200, {
        timeoutMs: 60_000,
        intervalMs: 250,
        message: '/readyz 200 after the broker came back',
      });
      producer = producerClient.producer();
      await producer.connect();
      await send(2);
      await send(3);
      await c.waitForSeqCount(3, 30_000);
      assert.deepEqual(c.seqs(), [1, 2, 3]);
      await producer.disconnect();
      c.close();
    },
  );
});
