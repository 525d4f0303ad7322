/** The consumer's wait between attempts (gateway/kafka/reconnect.ts), on a fake clock: no broker needed. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { looksUnreachable, ReconnectWait } from '../../gateway/kafka/reconnect';

function fakeClock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

const never = new Promise<void>(() => undefined);

void describe('ReconnectWait', () => {
  test('ends at the first answer after the broker was seen down', async () => {
    const clock = fakeClock();
    const answers = [false, false, true];
    const probes: number[] = [];
    const w = new ReconnectWait({
      probeMs: 1_000,
      probe: async () => (probes.push(clock.now()), answers.shift() ?? true),
      ...clock,
    });
    assert.equal(await w.wait(600_000, never), 'broker back');
    assert.deepEqual(probes, [1_000, 2_000, 3_000]);
  });

  test('a failure that said the broker was unreachable ends the wait at the first answer', async () => {
    const clock = fakeClock();
    const w = new ReconnectWait({ probeMs: 1_000, probe: async () => true, ...clock });
    w.noteFailure(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'));
    assert.equal(await w.wait(600_000, never), 'broker back');
    assert.equal(clock.now(), 1_000);
  });

  test('a failure while the broker answers waits the whole backoff (no tight loop)', async () => {
    const clock = fakeClock();
    const w = new ReconnectWait({ probeMs: 1_000, probe: async () => true, ...clock });
    w.noteFailure(new Error('The group is rebalancing, so a rejoin is needed'));
    assert.equal(await w.wait(8_000, never), 'elapsed');
    assert.equal(clock.now(), 8_000);
  });

  test('a broker back but still refusing the join gets a few early retries, then the backoff again', async () => {
    const clock = fakeClock();
    const w = new ReconnectWait({ probeMs: 1_000, probe: async () => true, maxEarlyRetries: 2, ...clock });
    w.noteFailure(new Error('connect ECONNREFUSED'));
    assert.equal(await w.wait(60_000, never), 'broker back');
    w.noteFailure(new Error('The coordinator is loading and hence cannot process requests'));
    assert.equal(await w.wait(60_000, never), 'broker back');
    assert.equal(await w.wait(60_000, never), 'elapsed');
    // Fetching again ends the outage: the next one gets its early retries afresh.
    w.noteSuccess();
    w.noteFailure(new Error('connect ECONNREFUSED'));
    assert.equal(await w.wait(60_000, never), 'broker back');
  });

  test('probing off (0) is the plain backoff; stop ends the wait', async () => {
    const clock = fakeClock();
    let probed = 0;
    const w = new ReconnectWait({ probeMs: 0, probe: async () => (probed++, true), ...clock });
    w.noteFailure(new Error('connect ECONNREFUSED'));
    assert.equal(await w.wait(5_000, never), 'elapsed');
    assert.equal(probed, 0);
    const real = new ReconnectWait({ probeMs: 60_000, probe: async () => true });
    assert.equal(await real.wait(600_000, Promise.resolve()), 'stopped');
  });

  test('looksUnreachable reads through kafkajs wrappers', () => {
    const inner = Object.assign(new Error('Connection timeout'), { name: 'KafkaJSConnectionError' });
    const outer = Object.assign(new Error('retries exceeded'), {
      name: 'KafkaJSNumberOfRetriesExceeded',
      cause: inner,
    });
    assert.equal(looksUnreachable(outer), true);
    assert.equal(looksUnreachable(new Error('Not authorized to access group')), false);
    assert.equal(looksUnreachable('ECONNREFUSED'), false);
  });
});
