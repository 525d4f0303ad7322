/**
 * The guardrail's labelled paraphrase sets (test/fixtures/guardrail): one violating and one benign file per
 * set, each written before anything was tuned on it. The meaning head is trained on SEEN_SETS (the nine
 * sets, its design chosen by leave-one-set-out cross-validation over them); the tenth was written blind by
 * another engineer while that design was chosen and is measured once, never trained or tuned on.
 */
import fs from 'node:fs';
import path from 'node:path';

export const FIXTURE_DIR = path.join(__dirname, '..', '..', 'test', 'fixtures', 'guardrail');
/** The sets the rules were tuned on and the meaning head is trained on, by file suffix. */
export const SEEN_SETS = [
  '',
  '-fresh',
  '-third',
  '-final',
  '-fifth',
  '-sixth',
  '-seventh',
  '-eighth',
  '-ninth',
] as const;
/** Measured only. */
export const UNSEEN_SETS = ['-tenth'] as const;

export function readGuardrailSet(suffix: string, violating: boolean): string[] {
  return fs
    .readFileSync(path.join(FIXTURE_DIR, `${violating ? 'violating' : 'benign'}${suffix}.txt`), 'utf8')
    .split('\n')
    .filter((l) => l.trim());
}
