/**
 * What the meaning head sees of one sentence. The paraphrase sets are minimal pairs (a violating sentence and
 * a benign one about the same control), so the mean embedding of the whole sentence places both near each
 * other: the topic dominates it. Three more views carry the polarity, each chosen by leave-one-set-out
 * cross-validation over the seven sets (scripts/guardrail-train.ts):
 * - the largest value per dimension over the embeddings of the sentence's clauses ("install the certificate"
 *   and "rather than turning verification off" apart, not averaged into one vector);
 * - a few polarity cues (negation, contrast, a stated rule, an easy way out, support speaking of its own act);
 * - the words and word pairs the training sentences share ("never publish", "so you will"), binary.
 * Token-level max pooling and character n-grams were tried and generalised worse. The fifth round added two
 * views, each worth recall on the sets the rules were never tuned on (docs/guardrail.md):
 * - whether the rules (index.ts) flag the sentence: the head learns how far to trust them, where OR-ing them
 *   in took their false alarms whole;
 * - the sentence's similarity to the nearest violating and benign training sentences (neighbours.ts).
 */
import { DIMENSIONS, type Embedder } from '../../core/embedding';
import { checkDraftPolicy } from './index';
import type { SparseVector } from './logistic';
import { NEAR_FEATURES, nearFeatures, type PoolEntry } from './neighbours';
import { seenText } from './seen-text';

const CUES = [
  /\b(?:not|never|no|cannot|nobody|nothing)\b|n't\b/,
  /\b(?:rather than|instead of)\b/,
  /\b(?:must|should|required?|requires|always|only|policy|stays?|remains?|keep|kept)\b/,
  /\b(?:just|simply|quickest|easiest|temporarily|for now|go ahead|went ahead|before anyone|the fastest|quick fix)\b/,
  /\b(?:we|i)(?:'ve| have| will|'ll| went| already)\b|\bour (?:agent|team) (?:has|have|signed|turned|disabled|removed)\b/,
  /\bwithout\b/,
  /\b(?:please|recommend|make sure|ensure|we suggest)\b/,
];

/** Where each view starts in the feature vector; the word pairs come last. */
const CLAUSE_MAX = DIMENSIONS;
const CUE_BASE = 2 * DIMENSIONS;
const RULES = CUE_BASE + CUES.length;
const NEAR_BASE = RULES + 1;
export const GRAM_BASE = NEAR_BASE + NEAR_FEATURES;

/** A clause ends at a semicolon or colon, or before a contrast, a reason or a sequel. */
export function clausesOf(seen: string): string[] {
  return seen
    .split(
      /[;:]|,\s*(?=(?:but|so|and then|then|which|while|because)\b)|\s(?=(?:rather than|instead of|so that|because|but|before|while|unless)\b)/,
    )
    .map((c) => c.trim())
    .filter((c) => /\w/.test(c));
}

/** Words and adjacent word pairs, each once. */
export function gramsOf(seen: string): string[] {
  const words = seen
    .replace(/[^a-z0-9' -]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const out = new Set(words.map((w) => `u:${w}`));
  for (let k = 0; k + 1 < words.length; k++) out.add(`b:${words[k]} ${words[k + 1]}`);
  return [...out];
}

/** The grams that occur in at least `minCount` training sentences, numbered. */
export function buildVocabulary(grams: string[][], minCount: number): string[] {
  const counts = new Map<string, number>();
  for (const gs of grams) for (const g of gs) counts.set(g, (counts.get(g) ?? 0) + 1);
  return [...counts].filter(([, c]) => c >= minCount).map(([g]) => g);
}

export const featureCount = (vocabulary: readonly string[]) => GRAM_BASE + vocabulary.length;

/** A sentence before the head's vocabulary and pool are applied: its embeddings, cues and rules, its grams. */
export interface SentenceView {
  /** The sentence's own embedding: what the neighbours are measured from. */
  whole: Float32Array;
  dense: SparseVector;
  grams: string[];
  seen: string;
}

export async function sentenceViews(embedder: Embedder, sentences: string[]): Promise<SentenceView[]> {
  const out: SentenceView[] = [];
  for (const sentence of sentences) {
    const seen = seenText(sentence);
    const clauses = clausesOf(seen);
    const [whole, ...parts] = await embedder.embed([seen, ...clauses]);
    const index: number[] = [];
    const value: number[] = [];
    whole!.forEach((x, d) => {
      index.push(d);
      value.push(x);
    });
    for (let d = 0; d < DIMENSIONS; d++) {
      let max = -Infinity;
      for (const p of parts) max = Math.max(max, p[d]!);
      index.push(CLAUSE_MAX + d);
      value.push(parts.length ? max : whole![d]!);
    }
    CUES.forEach((c, k) => {
      if (!c.test(seen)) return;
      index.push(CUE_BASE + k);
      value.push(1);
    });
    if (checkDraftPolicy(sentence)) {
      index.push(RULES);
      value.push(1);
    }
    out.push({ whole: whole!, dense: { index, value }, grams: gramsOf(seen), seen });
  }
  return out;
}

/** The head's own training data: its vocabulary (a gram's number is its offset after the other views) and
 * the sentences its neighbours are drawn from. */
export interface HeadData {
  vocabulary: ReadonlyMap<string, number>;
  pool: readonly PoolEntry[];
}

/** The feature vector under a head's data; `ownSet` (training only) keeps a row's own set out of its pool. */
export function featuresOf(view: SentenceView, data: HeadData, ownSet?: string): SparseVector {
  const index = [...view.dense.index];
  const value = [...view.dense.value];
  nearFeatures(view.whole, data.pool, ownSet).forEach((x, k) => {
    index.push(NEAR_BASE + k);
    value.push(x);
  });
  const { vocabulary } = data;
  for (const g of view.grams) {
    const k = vocabulary.get(g);
    if (k === undefined) continue;
    index.push(GRAM_BASE + k);
    value.push(1);
  }
  return { index, value };
}

export async function sentenceFeatures(
  embedder: Embedder,
  sentences: string[],
  data: HeadData,
): Promise<SparseVector[]> {
  return (await sentenceViews(embedder, sentences)).map((v) => featuresOf(v, data));
}
