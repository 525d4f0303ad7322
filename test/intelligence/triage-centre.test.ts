/** Centring the embeddings: two texts that share a model's common direction and differ elsewhere end up as far
 * apart as their difference says, at unit length, whatever that common direction's weight was. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIMENSIONS, dot } from '../../core/embedding';
import { centred, centres, meanVector } from '../../activities/triage/centre';
import { CANDIDATE_DESIGN, CENTRED_DESIGN } from '../../activities/triage/design';

/** A unit vector: `common` along dimension 0, the rest along dimension 1 (signed). */
function vector(common: number, sign: 1 | -1): Float32Array {
  const v = new Float32Array(DIMENSIONS);
  v[0] = common;
  v[1] = sign * Math.sqrt(1 - common * common);
  return v;
}

describe('centring on the learning mean', () => {
  it('opens a narrow cone: texts at cosine 0.9 become opposite, at unit length', () => {
    const a = vector(Math.sqrt(0.95), 1);
    const b = vector(Math.sqrt(0.95), -1);
    assert.ok(Math.abs(dot(a, b) - 0.9) < 1e-6);
    const mean = meanVector([a, b]);
    const [ca, cb] = [centred(a, mean), centred(b, mean)];
    assert.ok(Math.abs(dot(ca, ca) - 1) < 1e-6);
    assert.ok(Math.abs(dot(ca, cb) + 1) < 1e-6, `cosine after centring ${dot(ca, cb)}`);
  });

  it('leaves a zero difference at zero rather than dividing by it', () => {
    const a = vector(0.5, 1);
    assert.deepEqual(
      Array.from(centred(a, meanVector([a]))).filter((x) => x !== 0),
      [],
    );
  });

  it('is on for the narrow-cone models and for a centring design, off for MiniLM under the design in use', () => {
    assert.equal(centres('e5-small-v2-q', CANDIDATE_DESIGN), true);
    assert.equal(centres('bge-small-en-v15-q', CANDIDATE_DESIGN), true);
    assert.equal(centres('all-minilm-l6-v2-q', CANDIDATE_DESIGN), false);
    assert.equal(centres('all-minilm-l6-v2-q', CENTRED_DESIGN), true);
  });
});
