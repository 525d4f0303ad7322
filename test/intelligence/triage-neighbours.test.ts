/** The nearest-examples vote: the closest examples decide, weighted by similarity. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { topics } from '../../core/domain';
import { neighbourVotes, type Memory } from '../../activities/triage/neighbours';

const unit = (...xs: number[]) => {
  const n = Math.hypot(...xs);
  return Float32Array.from(xs.map((x) => x / n));
};

describe('triage neighbours', () => {
  it('weighs the closest examples most, shares sum to one, and many far examples do not outvote a near one', () => {
    const far = Array.from({ length: 20 }, () => unit(0, 1, 0.2));
    const memory: Memory = {
      vectors: [unit(1, 0, 0), unit(1, 0.3, 0), unit(0.2, 1, 0), ...far],
      topics: ['Workers', 'Workers', 'Billing', ...far.map(() => 'Discourse' as const)],
      sensitive: [true, true, false, ...far.map(() => false)],
    };
    const v = neighbourVotes(memory, unit(1, 0.05, 0));
    const share = (t: (typeof topics)[number]) => v.topic[topics.indexOf(t)]!;
    assert.ok(share('Workers') > 0.9, `Workers ${share('Workers')}`);
    assert.ok(Math.abs(v.topic.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    assert.ok(v.sensitive > 0.9 && v.sensitive < 1, `sensitive ${v.sensitive}`);
    // Twenty far examples all vote Discourse: they barely count for the first query, and decide the second.
    const onFar = neighbourVotes(memory, unit(0, 1, 0.2));
    assert.ok(share('Discourse') < 0.05 && onFar.topic[topics.indexOf('Discourse')]! > 0.9);
  });
});
