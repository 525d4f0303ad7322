import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Breaker } from '../../gateway/kafka/breaker';
import { comparePositions, positionOf } from '../../gateway/stream/position';
import { ev } from './harness';

void test('backoff doubles from the initial delay to the cap; the breaker opens at the threshold and closes on success', () => {
  const b = new Breaker({ initialMs: 1000, maxMs: 30_000, threshold: 3, random: () => 0.5 });
  const waits = Array.from({ length: 7 }, () => b.fail());
  assert.deepEqual(waits, [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  assert.equal(b.open, true);
  b.succeed();
  assert.equal(b.open, false);
  assert.equal(b.fail(), 1000);
  assert.equal(b.open, false, 'one failure after a success does not open it');
});

void test('positions: token previews sit just before their draft, after the previous durable event', () => {
  const order = [
    ev('T', 1),
    ev('T', 2, 'token', {}, 0),
    ev('T', 2, 'token', {}, 1),
    ev('T', 2, 'draft'),
    ev('T', 3, 'token', {}, 0),
  ].map(positionOf);
  for (let i = 1; i < order.length; i++)
    assert.ok(comparePositions(order[i - 1]!, order[i]!) < 0, `position ${i - 1} before ${i}`);
  assert.equal(comparePositions(positionOf(ev('T', 2, 'draft')), positionOf(ev('T', 2, 'status'))), 0);
});
