/**
 * The bench's lean producer (bench/lean-producer.ts, produce-encode.ts) writes Produce requests by hand, so
 * the real broker is the judge: every record it sends is stored with its key and value, a key's records stay
 * in one partition in send order, and a refused request fails the send instead of being lost silently.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import type { Consumer } from 'kafkajs';
import { crc32c } from '../../bench/produce-encode';
import { BrokerLink, createLeanProducer, type BenchProducer } from '../../bench/lean-producer';
import { createTopic, deleteTopic, testKafka, uniqueName } from '../helpers/infra';
import { waitFor } from '../helpers/wait';

const kafka = testKafka('lean-producer-test');
const topic = uniqueName('lean-producer');
let producer: BenchProducer | undefined;
let consumer: Consumer | undefined;

before(async () => {
  await createTopic(topic, 3);
  producer = await createLeanProducer(kafka, topic);
});

after(async () => {
  await producer?.close();
  await consumer?.disconnect();
  await deleteTopic(topic);
});

test('crc32c gives the Castagnoli check value', () => {
  // The standard check input for CRC catalogues: "123456789" -> 0xe3069283.
  const buf = Buffer.from('xx123456789yy');
  assert.equal(crc32c(buf, 2, 11), 0xe3069283);
});

test('every record reaches the broker with its key and value, in order per key', { timeout: 60_000 }, async () => {
  const keys = ['ticket-a', 'ticket-b', 'ticket-c', 'ticket-d', 'ticket-é'];
  const sent: { key: string; value: string }[] = [];
  for (let batch = 0; batch < 4; batch++) {
    const messages = Array.from({ length: 250 }, (_, i) => {
      const key = keys[i % keys.length]!;
      return { key, value: JSON.stringify({ key, n: batch * 250 + i, text: 'ünïcödé ✓'.repeat(i % 3) }) };
    });
    sent.push(...messages);
    await producer!.send(messages);
  }

  const got: { key: string; value: string; partition: number }[] = [];
  consumer = kafka.consumer({ groupId: uniqueName('lean-producer-read') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message, partition }) => {
      got.push({ key: message.key!.toString(), value: message.value!.toString(), partition });
      return Promise.resolve();
    },
  });
  await waitFor(() => got.length >= sent.length, { timeoutMs: 45_000, message: 'every produced record read back' });

  assert.equal(got.length, sent.length, 'no record doubled');
  for (const key of keys) {
    const mine = got.filter((r) => r.key === key);
    assert.deepEqual(
      mine.map((r) => r.value),
      sent.filter((m) => m.key === key).map((m) => m.value),
      `${key}: every value, in send order`,
    );
    assert.equal(new Set(mine.map((r) => r.partition)).size, 1, `${key}: one partition`);
  }
});

test('a request the broker refuses fails the send', { timeout: 30_000 }, async () => {
  // Larger than the broker's default message.max.bytes (1 MiB): Kafka answers MESSAGE_TOO_LARGE (10).
  const huge = 'x'.repeat(1_100_000);
  await assert.rejects(producer!.send([{ key: 'ticket-a', value: huge }]), /refused partitions .*"code":10/);
});

// Review of round seven: close() waited for a 'close' event that Node had already emitted when the broker
// dropped the link first (a restart, its idle timeout), so the bench's cleanup hung for ever.
test('closing a link the broker already dropped returns at once', async () => {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const link = new BrokerLink('127.0.0.1', (server.address() as net.AddressInfo).port);
    await waitFor(() => link.dropped, { message: 'the server drops the link' });
    const closed = await Promise.race([
      link.close().then(() => 'closed'),
      new Promise((resolve) => setTimeout(resolve, 5_000, 'hung')),
    ]);
    assert.equal(closed, 'closed');
  } finally {
    server.close();
  }
});
