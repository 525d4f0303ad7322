/**
 * Round five's design on a hand-built one-feature model: a low-P sensitivity finding still flags the ticket
 * (recall first) but no longer lifts its urgency two levels; a sure finding, or the rules', still does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CANDIDATE_DESIGN, SHIPPED_DESIGN } from '../../activities/triage/design';
import type { LinearHead } from '../../activities/triage/linear-head';
import type { RulesVerdict } from '../../activities/triage/rules-model';
import { semanticClassify, type SemanticHeads } from '../../activities/triage/semantic-model';
import { riskCategories, tones, topics, urgencies } from '../../core/domain';

/** A head that ignores the ticket: its classes' logits are fixed. */
const fixed = (classes: readonly string[], logits: number[]): LinearHead => ({
  classes,
  weights: logits.map((b) => Float64Array.from([0, b])),
});
const logit = (p: number) => Math.log(p / (1 - p));

/** Heads whose P(sensitive) is p, whose risk is ATO and whose urgency is surely low. */
function heads(p: number): SemanticHeads {
  return {
    topic: fixed(
      topics,
      topics.map((t) => (t === 'A&S' ? 5 : 0)),
    ),
    sensitive: fixed(['true', 'false'], [logit(p), 0]),
    risk: fixed(
      riskCategories.filter((r) => r !== 'none'),
      [5, 0, 0, 0],
    ),
    urgency: fixed(urgencies, [9, 0, 0, 0]),
    tone: fixed(tones, [0, 0, 0, 0]),
    manipulation: fixed(['true', 'false'], [-9, 0]),
    urgencyBorders: [0, 1, 2].map(() => fixed(['true', 'false'], [-9, 0])),
  };
}

function rules(risk: RulesVerdict['risk']): RulesVerdict {
  return {
    analysis: { intent: 'question', urgency: 'low', tone: 'neutral', topic: 'A&S', topics: [], is_sensitive: false },
    risk,
    confidence: 0.9,
    evidence: { topics: {}, risks: {} },
  };
}

const x = Float64Array.from([0]);

describe('triage design (round five)', () => {
  it('flags a P(sensitive) of 0.3 as ATO, and leaves its urgency low', () => {
    const v = semanticClassify(heads(0.3), x, rules('none'), [], undefined, CANDIDATE_DESIGN);
    assert.equal(v.risk, 'ATO');
    assert.equal(v.analysis.is_sensitive, true);
    assert.equal(v.analysis.urgency, 'low');
    // The shipped design lifted the same uncertain alarm to high.
    assert.equal(
      semanticClassify(heads(0.35), x, rules('none'), [], undefined, SHIPPED_DESIGN).analysis.urgency,
      'high',
    );
  });

  it('lifts urgency to high when the finding is sure or the rules made it', () => {
    assert.equal(
      semanticClassify(heads(0.6), x, rules('none'), [], undefined, CANDIDATE_DESIGN).analysis.urgency,
      'high',
    );
    assert.equal(
      semanticClassify(heads(0.1), x, rules('ATO'), [], undefined, CANDIDATE_DESIGN).analysis.urgency,
      'high',
    );
  });

  it('flags at 0.25 (recall first) and not below', () => {
    assert.equal(semanticClassify(heads(0.26), x, rules('none'), [], undefined, CANDIDATE_DESIGN).risk, 'ATO');
    assert.equal(semanticClassify(heads(0.24), x, rules('none'), [], undefined, CANDIDATE_DESIGN).risk, 'none');
  });
});
