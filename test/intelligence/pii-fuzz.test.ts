/**
 * Linear time on pathological input: every detector (and the whole pipeline) gets 100 KB adversarial
 * strings and must finish each in under 50 ms. Measured as CPU time of this process, best of three, so a
 * loaded machine that takes the CPU away from the test does not count as the detector's time; and a
 * four-fold longer text may take at most eight times as long, which a quadratic detector (sixteen) fails.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detect, detectors, type DetectOptions } from '../../core/pii';
import { adversarial } from './pii-cases/adversarial';

const options: DetectOptions = { region: 'US', names: true };
const BOUND_MS = 50;

function cpuMs(run: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const before = process.cpuUsage();
    run();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

const full = adversarial(100_000);
const quarter = adversarial(25_000);
const subjects = [...detectors.map((d) => ({ name: d.name, run: (t: string) => d.find(t, options) })), { name: 'detect (all, overlaps resolved)', run: (t: string) => detect(t, options) }];

/** Worst timing per subject, printed for docs/triage.md (npm test -- pii-fuzz). */
const worst = new Map<string, { ms: number; input: string }>();

describe(`detectors on ${full.length} adversarial 100 KB strings`, () => {
  for (const subject of subjects) {
    it(`${subject.name}: each under ${BOUND_MS} ms, linear in length`, () => {
      for (let k = 0; k < full.length; k++) {
        const big = cpuMs(() => subject.run(full[k]!.text));
        const small = cpuMs(() => subject.run(quarter[k]!.text));
        if (big > (worst.get(subject.name)?.ms ?? -1)) worst.set(subject.name, { ms: big, input: full[k]!.name });
        assert.ok(big < BOUND_MS, `${subject.name} on ${full[k]!.name}: ${big.toFixed(1)} ms for 100 KB`);
        assert.ok(big < 8 * small + 5, `${subject.name} on ${full[k]!.name}: 25 KB ${small.toFixed(1)} ms, 100 KB ${big.toFixed(1)} ms`);
      }
    });
  }

  it('reports the worst case per detector', (t) => {
    for (const [name, w] of worst) t.diagnostic(`fuzz worst: ${name} ${w.ms.toFixed(1)} ms on ${w.input}`);
    assert.equal(worst.size, subjects.length);
  });
});
