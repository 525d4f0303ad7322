/** The topic's confidence, Platt-scaled: in cross-validation the raw blend was under-confident. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calibratedTopicConfidence } from '../../activities/triage/semantic-model';

describe('topic confidence calibration', () => {
  it('keeps the order, and lifts a raw 0.34 towards the 78 % such tickets were right in cross-validation', () => {
    const raw = [0.05, 0.2, 0.34, 0.5, 0.61, 0.77, 0.9, 0.98];
    const out = raw.map(calibratedTopicConfidence);
    out.slice(1).forEach((c, i) => assert.ok(c > out[i]!, `not increasing at ${raw[i + 1]}: ${out.join(', ')}`));
    const at034 = calibratedTopicConfidence(0.34);
    assert.ok(at034 > 0.65 && at034 < 0.85, `0.34 -> ${at034}`);
    assert.ok(calibratedTopicConfidence(0.98) > 0.95 && calibratedTopicConfidence(1) < 1);
  });
});
