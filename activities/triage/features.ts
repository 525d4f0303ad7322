/**
 * What the semantic model sees of a ticket: its embedding, the rules' evidence per team and per risk, and
 * its similarity to each security prototype. Scales put the three on comparable footing for the linear
 * heads (set by cross-validation on the train split).
 */
import { dot } from '../../core/embedding';
import { riskCategories, topics } from '../../core/domain';
import type { RulesVerdict } from './rules-model';

const TEAMS = topics.filter((t) => t !== 'unknown');
const RISKS = riskCategories.filter((r) => r !== 'none');
const EMBEDDING_SCALE = 3;
const EVIDENCE_SCALE = 0.5;
const PROTOTYPE_SCALE = 3;

/** Bump when the features change: cached heads trained on other features are then ignored. */
export const FEATURES_VERSION = 3; // 3: the cache also holds the neighbours' memory

export function featureVector(v: Float32Array, rules: RulesVerdict, prototypeVectors: Float32Array[]): Float64Array {
  const out = new Float64Array(v.length + TEAMS.length + RISKS.length + prototypeVectors.length);
  let i = 0;
  for (const x of v) out[i++] = x * EMBEDDING_SCALE;
  for (const t of TEAMS) out[i++] = (rules.evidence.topics[t] ?? 0) * EVIDENCE_SCALE;
  for (const r of RISKS) out[i++] = (rules.evidence.risks[r] ?? 0) * EVIDENCE_SCALE;
  for (const p of prototypeVectors) out[i++] = dot(p, v) * PROTOTYPE_SCALE;
  return out;
}
