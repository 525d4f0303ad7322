/**
 * The chaos run's settle (scripts/chaos/settle.ts): it waits as long as tickets move, and gives up on the open
 * ones only once the run has been quiet for longer than it ever was while they moved (and the floor).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Progress, settle } from '../../scripts/chaos/settle';

const limits = { minQuietMs: 2_000, quietFactor: 3, capMs: 60_000 };

/** A scenario's tickets, ended by the test or by settle's stop(). */
function tickets() {
  let end: () => void = () => undefined;
  const driven = new Promise<void>((resolve) => (end = resolve));
  let stopped = 0;
  return { driven, end, stop: () => void (stopped++, end()), stopped: () => stopped };
}

void describe('chaos settle', () => {
  void test('waits past the floor while tickets keep moving, and never stops them', async () => {
    const t = tickets();
    const progress = new Progress();
    const moving = setInterval(() => progress.note(), 100);
    setTimeout(() => t.end(), 3 * limits.minQuietMs);
    try {
      assert.equal(await settle(t.driven, progress, limits, t.stop), 'every ticket reached its end');
    } finally {
      clearInterval(moving);
    }
    assert.equal(t.stopped(), 0);
  });

  void test('stops the open tickets once nothing has moved for longer than the floor', async () => {
    const t = tickets();
    const progress = new Progress();
    progress.note();
    const why = await settle(t.driven, progress, limits, t.stop);
    assert.equal(t.stopped(), 1);
    assert.match(why, /no ticket moved for \d+s \(limit 2s\): the open ones are stuck/);
  });

  void test('a run that was once quiet for long (an outage) waits that long times the factor', async () => {
    const progress = new Progress();
    await new Promise((r) => setTimeout(r, 1_000));
    progress.note();
    assert.ok(progress.longestQuietMs >= 1_000);
    const t = tickets();
    const why = await settle(t.driven, progress, { ...limits, minQuietMs: 500 }, t.stop);
    assert.equal(t.stopped(), 1);
    const limit = Number(/limit (\d+)s/.exec(why)?.[1]);
    assert.ok(limit >= 3, why);
  });
});
