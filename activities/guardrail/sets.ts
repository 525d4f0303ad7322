/**
 * The guardrail's labelled paraphrase sets (test/fixtures/guardrail): one violating and one benign file per
 * set, each written before anything was tuned on it. The meaning head is trained on SEEN_SETS only; the later
 * sets are measured, never trained on.
 */
import fs from 'node:fs';
import path from 'node:path';

export const FIXTURE_DIR = path.join(__dirname, '..', '..', 'test', 'fixtures', 'guardrail');
/** The five sets the rules were tuned on and the meaning head is trained on, by file suffix. */
export const SEEN_SETS = ['', '-fresh', '-third', '-final', '-fifth'] as const;
/** Measured only: the sixth was run once against the rules before the head existed; the seventh never before. */
export const UNSEEN_SETS = ['-sixth', '-seventh'] as const;

export function readGuardrailSet(suffix: string, violating: boolean): string[] {
  return fs
    .readFileSync(path.join(FIXTURE_DIR, `${violating ? 'violating' : 'benign'}${suffix}.txt`), 'utf8')
    .split('\n')
    .filter((l) => l.trim());
}
