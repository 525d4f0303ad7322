/** The ordinal urgency: one border per step of the scale, level shares that are never negative, and heads
 * (a list of borders among them) that survive the load cache's JSON round trip. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { predict, type LinearHead } from '../../activities/triage/linear-head';
import { expectedLevel, ordinalProbabilities, trainOrdinal } from '../../activities/triage/ordinal';
import { revivedHeads, storedHeads } from '../../activities/triage/semantic-load';
import type { SemanticHeads } from '../../activities/triage/semantic-model';

/** A border whose P(above) is sigmoid(w x + b) for a one-feature ticket. */
const border = (w: number, b: number): LinearHead => ({
  classes: ['true', 'false'],
  weights: [Float64Array.from([w, b]), Float64Array.from([0, 0])],
});

describe('triage ordinal urgency', () => {
  it('learns the borders of a scale: the expected level rises with the feature and stays within it', () => {
    // Four levels laid along one feature: level = how many of -1, 0, 1 the feature exceeds.
    const xs = Array.from({ length: 80 }, (_, i) => [(i - 40) / 10]);
    const levels = xs.map(([x]) => [-1, 0, 1].filter((t) => x! > t).length);
    const borders = trainOrdinal(xs, levels, 4, { l2: 0.001, epochs: 400, rate: 1 });
    assert.equal(borders.length, 3);
    const at = (x: number) => expectedLevel(ordinalProbabilities(borders, [x]));
    assert.ok(at(-3) < 0.5, `far below every border: ${at(-3)}`);
    assert.ok(at(3) > 2.5, `far above every border: ${at(3)}`);
    assert.ok(at(-0.5) > at(-3) && at(0.5) > at(-0.5) && at(3) > at(0.5), 'rises with the feature');
  });

  it('gives shares that sum to one and are never negative, even when a later border outruns an earlier one', () => {
    // The second border says "above medium" more surely than the first says "above low": impossible as it
    // stands, so the first caps it.
    const borders = [border(0, -2), border(0, 2), border(0, -5)];
    assert.ok(predict(borders[1]!, [1])[0]! > predict(borders[0]!, [1])[0]!);
    const p = ordinalProbabilities(borders, [1]);
    assert.equal(p.length, 4);
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12, p.join(' '));
    assert.ok(
      p.every((x) => x >= 0),
      p.join(' '),
    );
  });

  it('keeps a list of borders through the heads cache (JSON round trip)', () => {
    const one = border(1, 0);
    const borders = [border(1, 0), border(2, -1)];
    const heads = { topic: one, urgencyBorders: borders } as unknown as SemanticHeads;
    const back = revivedHeads(JSON.parse(JSON.stringify(storedHeads(heads))) as Parameters<typeof revivedHeads>[0]);
    assert.deepEqual(predict(back.topic, [0.3]), predict(one, [0.3]));
    assert.equal(back.urgencyBorders?.length, 2);
    assert.deepEqual(ordinalProbabilities(back.urgencyBorders, [0.7]), ordinalProbabilities(borders, [0.7]));
  });
});
