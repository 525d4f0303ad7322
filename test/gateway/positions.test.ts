/** The consumer's own positions (no broker): where each partition resumes, and which gaps Kafka cannot fill. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PartitionPositions } from '../../gateway/kafka/positions';

void test('first placement starts every partition at its end; later ones keep positions and report lost ranges', () => {
  const p = new PartitionPositions();
  assert.deepEqual(
    p.place([
      { partition: 0, low: '0', high: '5' },
      { partition: 1, low: '0', high: '0' },
    ]),
    [],
  );
  assert.equal(p.offsetOf(0), '5');
  assert.equal(p.offsetOf(1), '0', 'a partition that delivered nothing still has a position');
  p.delivered(0, '7');
  // Partition 1's records below 3 were removed before the consumer read them; partition 2 is new.
  assert.deepEqual(
    p.place([
      { partition: 0, low: '0', high: '9' },
      { partition: 1, low: '3', high: '4' },
      { partition: 2, low: '0', high: '2' },
    ]),
    [1],
  );
  assert.equal(p.offsetOf(0), '8');
  assert.equal(p.offsetOf(1), '3');
  assert.equal(p.offsetOf(2), '0', 'a partition that appeared later is read from its start');
  // A log behind the position (a broker that lost its data) is a gap too.
  assert.deepEqual(
    p.place([
      { partition: 0, low: '0', high: '2' },
      { partition: 1, low: '3', high: '4' },
      { partition: 2, low: '0', high: '2' },
    ]),
    [0],
  );
  assert.equal(p.offsetOf(0), '0');
});

void test('dirty positions are taken once and restored after a failed commit', () => {
  const p = new PartitionPositions();
  p.place([{ partition: 0, low: '0', high: '1' }]);
  assert.deepEqual(p.takeDirty(), [{ partition: 0, offset: '1' }]);
  assert.deepEqual(p.takeDirty(), []);
  p.restore([0]);
  assert.deepEqual(p.takeDirty(), [{ partition: 0, offset: '1' }]);
});
