/**
 * Issue 15: the uWS gateway's frames left only when the event loop reached its check phase (where uWS drains
 * its topics), and the consumer went straight on into kafkajs's own work after a batch, so a record's frames
 * waited for it (p50 0.2 ms, p90 5 ms on a loaded machine). The consumer now lets the loop turn once after
 * handing a batch over. Real broker, real consumer: an immediate the handler schedules (as uWS's drain is)
 * must have run before the consumer does anything after the batch, of which the lag report is the first.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createLogger } from '../../core/logger';
import { createRecordConsumer } from '../../gateway/kafka/consumer';
import { gatewayTestConfig, produceRaw, closeProducer, uniqueName, waitFor } from './harness';
import { createTopic, deleteTopic } from '../helpers/infra';

const topic = uniqueName('batch-turn');
after(async () => {
  await closeProducer();
  await deleteTopic(topic).catch(() => undefined);
});

test('the event loop turns between a batch handed over and the consumer going on', async () => {
  await createTopic(topic, 1);
  const seen: string[] = [];
  let turned = true;
  const lagReports: boolean[] = [];
  const consumer = createRecordConsumer({
    kafka: gatewayTestConfig().kafka,
    topic,
    groupId: uniqueName('batch-turn'),
    logger: createLogger('batch-turn-test', {}),
    handle: (_key, value) => {
      seen.push(value!.toString());
      turned = false;
      setImmediate(() => (turned = true));
    },
    onLag: () => lagReports.push(turned),
  });
  consumer.start();
  try {
    await consumer.waitReady(30_000);
    // One send per record: several batches, each of which must turn the loop.
    for (let i = 1; i <= 5; i++) await produceRaw(topic, [{ key: 't', value: `r${i}` }]);
    await waitFor(() => seen.length === 5, { timeoutMs: 30_000, message: 'five records' });
    // The last batch's lag report comes after its records.
    await waitFor(() => consumer.stats().records === 5 && lagReports.length >= consumer.stats().batches, {
      message: 'a lag report per batch',
    });
    assert.deepEqual(seen, ['r1', 'r2', 'r3', 'r4', 'r5']);
    assert.ok(!lagReports.includes(false), `lag reported before the loop turned: ${JSON.stringify(lagReports)}`);
  } finally {
    await consumer.stop();
  }
});
