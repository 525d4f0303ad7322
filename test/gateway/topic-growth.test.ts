/**
 * A topic given more partitions while the gateway reads it: the consumer joins no group (so no rebalance
 * tells it), and a partition it does not fetch is a silent loss for its tickets' subscribers. It reads the
 * topic's layout again (`topologyCheckMs`) and a new session fetches the new partition from its beginning,
 * so a record produced there before the consumer noticed is still delivered. Real broker, real consumer.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createLogger } from '../../core/logger';
import { createRecordConsumer } from '../../gateway/kafka/consumer';
import { gatewayTestConfig, uniqueName, waitFor } from './harness';
import { createTopic, deleteTopic, testKafka } from '../helpers/infra';

const topic = uniqueName('topic-growth');
const producer = testKafka().producer({ allowAutoTopicCreation: false });
after(async () => {
  await producer.disconnect().catch(() => undefined);
  await deleteTopic(topic).catch(() => undefined);
});

test('a partition added to the topic is read from its beginning', async () => {
  await createTopic(topic, 1);
  await producer.connect();
  const seen: string[] = [];
  const consumer = createRecordConsumer({
    kafka: gatewayTestConfig().kafka,
    topic,
    groupId: uniqueName('topic-growth'),
    logger: createLogger('topic-growth-test', {}),
    topologyCheckMs: 200,
    handle: (_key, value, where) => seen.push(`${where.partition}:${value!.toString()}`),
  });
  consumer.start();
  try {
    await consumer.waitReady(30_000);
    await producer.send({ topic, messages: [{ key: 'a', value: 'before', partition: 0 }] });
    await waitFor(() => seen.length === 1, { timeoutMs: 30_000, message: 'the record before the growth' });
    const admin = testKafka().admin();
    await admin.connect();
    try {
      await admin.createPartitions({ topicPartitions: [{ topic, count: 2 }] });
    } finally {
      await admin.disconnect();
    }
    // At once, before the consumer can have read the new layout; by a producer that has (kafkajs answers a
    // send to a partition its metadata does not know with nothing written).
    const grown = testKafka().producer({ allowAutoTopicCreation: false });
    await grown.connect();
    try {
      for (const [partition, value] of [
        [1, 'new-1'],
        [1, 'new-2'],
        [0, 'after'],
      ] as const) {
        const [written] = await grown.send({ topic, messages: [{ key: 'k', value, partition }] });
        assert.equal(written?.partition, partition, `${value} was written`);
      }
    } finally {
      await grown.disconnect();
    }
    await waitFor(
      () => {
        if (seen.length < 4) throw new Error(`seen ${seen.join(' ')}`);
        return true;
      },
      { timeoutMs: 30_000, message: 'four records' },
    );
    assert.deepEqual(
      [...seen].sort(),
      ['0:after', '0:before', '1:new-1', '1:new-2'],
      'each record once, the new partition from its beginning',
    );
    assert.ok(seen.indexOf('1:new-1') < seen.indexOf('1:new-2'), 'in order');
    assert.equal(consumer.ready, true);
  } finally {
    await consumer.stop();
  }
});
