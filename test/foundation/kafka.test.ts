/** The Kafka side is real: records produced to a fresh topic come back to a fresh consumer group, in order per key. */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import type { Consumer, Producer } from 'kafkajs';
import { createTopic, deleteTopic, testKafka, uniqueName } from '../helpers/infra';
import { waitFor } from '../helpers/wait';

const topic = uniqueName('foundation-roundtrip');
let producer: Producer | undefined;
let consumer: Consumer | undefined;

after(async () => {
  await consumer?.disconnect();
  await producer?.disconnect();
  await deleteTopic(topic).catch(() => undefined);
});

it('a produced batch is consumed by a new group, each key in order', async () => {
  await createTopic(topic, 3);
  const kafka = testKafka();
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  const sent = ['t-1', 't-2', 't-3'].flatMap((key) =>
    [1, 2, 3].map((seq) => ({ key, value: JSON.stringify({ key, seq }) })),
  );
  await producer.send({ topic, messages: sent });

  consumer = kafka.consumer({ groupId: uniqueName('foundation-group') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const received: { key: string; seq: number; partition: number }[] = [];
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      const body = JSON.parse(String(message.value)) as { key: string; seq: number };
      assert.equal(String(message.key), body.key);
      received.push({ ...body, partition });
    },
  });

  await waitFor(() => received.length >= sent.length, {
    timeoutMs: 20_000,
    message: `${sent.length} records on ${topic}`,
  });
  assert.equal(received.length, sent.length);
  for (const key of ['t-1', 't-2', 't-3']) {
    const mine = received.filter((r) => r.key === key);
    assert.deepEqual(
      mine.map((r) => r.seq),
      [1, 2, 3],
      `records of ${key} out of order`,
    );
    assert.equal(new Set(mine.map((r) => r.partition)).size, 1, `records of ${key} spread over partitions`);
  }
});
