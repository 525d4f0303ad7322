/**
 * The consumer's hand-over of a fetched partition (gateway/kafka/hand-over.ts): the broker answers whole
 * batches, so records before the position are skipped, a transaction-marker batch moves the position without
 * a record, and a record's offset (kept as base + delta, no BigInt per record) reads and spreads as a field.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHandOver, type FetchedBatch } from '../../gateway/kafka/hand-over';
import type { RecordLocation } from '../../gateway/kafka/record';

function batch(firstOffset: bigint, values: string[], attributes = 0): FetchedBatch {
  return {
    firstOffset,
    lastOffsetDelta: values.length - 1,
    attributes,
    records: values.map((v, i) => ({ key: Buffer.from('k'), value: Buffer.from(v), offsetDelta: i, headers: [] })),
  };
}

void test('records before the position are skipped; the position moves past the last batch', () => {
  const seen: { value: string; where: RecordLocation }[] = [];
  const handOver = createHandOver('events', (_k, value, where) =>
    seen.push({ value: String(value), where: { ...where } }),
  );
  const handed = handOver(3, [batch(10n, ['a', 'b', 'c']), batch(13n, ['d'])], 12n);
  assert.deepEqual(handed, { last: 13n, count: 2 });
  assert.deepEqual(seen, [
    { value: 'c', where: { topic: 'events', partition: 3, offset: '12' } },
    { value: 'd', where: { topic: 'events', partition: 3, offset: '13' } },
  ]);
});

void test('a batch wholly before the position hands nothing over and moves nothing', () => {
  let calls = 0;
  const handOver = createHandOver('events', () => calls++);
  assert.equal(handOver(0, [batch(0n, ['a', 'b'])], 2n), undefined);
  assert.equal(calls, 0);
});

void test('a transaction-marker batch moves the position without a record', () => {
  let calls = 0;
  const handOver = createHandOver('events', () => calls++);
  assert.deepEqual(handOver(0, [batch(5n, ['marker'], 0x20)], 5n), { last: 5n, count: 0 });
  assert.equal(calls, 0);
});

void test("a record's headers reach the handler by name; none is undefined", () => {
  const got: unknown[] = [];
  const handOver = createHandOver('events', (_k, _v, _w, headers) => got.push(headers));
  const withHeader = batch(0n, ['a', 'b']);
  withHeader.records[0]!.headers = [[Buffer.from('traceparent'), Buffer.from('00-abc-01')]];
  handOver(0, [withHeader], 0n);
  assert.deepEqual(got, [{ traceparent: Buffer.from('00-abc-01') }, undefined]);
});
