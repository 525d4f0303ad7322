/**
 * The guardrail's reading of meaning: a logistic regression over sentence embeddings (bge-small, chosen over
 * MiniLM and e5 by cross-validation) of the sentence and of its clauses, polarity cues, the rules' verdict, the
 * nearest labelled sentences and the sentence's words (meaning-features.ts), trained on the nine paraphrase
 * sets by scripts/guardrail-train.ts (leave-one-set-out cross-validation for its penalty and threshold) and
 * stored in meaning-head.json with the id of the encoder it was trained on. A reply is read sentence by
 * sentence: one violating sentence is enough.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DIMENSIONS, type Embedder } from '../../core/embedding';
import { keptBatch, keptEmbeddings } from '../../core/embedding/kept';
import { probability } from './logistic';
import { sentenceFeatures } from './meaning-features';
import { unpackVectors, type PoolEntry } from './neighbours';

export const HEAD_FILE = 'meaning-head.json';

export interface MeaningHead {
  /** The embedding model the head was trained on. */
  model: string;
  vocabulary: ReadonlyMap<string, number>;
  /** The training sentences' embeddings (8-bit), for the nearest-neighbour view. */
  pool: readonly PoolEntry[];
  weights: Float64Array;
  /** A sentence whose violating probability is above this is flagged (chosen by cross-validation). */
  threshold: number;
}

/** What meaning-head.json holds. */
export interface StoredHead {
  model: string;
  trainedOn: readonly string[];
  l2: number;
  epochs: number;
  minCount: number;
  /** Leave-one-set-out figures at the chosen threshold: each set scored by a head trained on the others. */
  crossValidated: Record<string, { caught: number; violating: number; falseAlarms: number; benign: number }>;
  threshold: number;
  vocabulary: string[];
  /** The training sentences' embeddings by label, 8 bits a part, base64 (neighbours.ts packVectors). */
  pool: { violating: string; benign: string };
  weights: number[];
}

export const toHead = (
  s: Pick<StoredHead, 'model' | 'vocabulary' | 'pool' | 'weights' | 'threshold'>,
): MeaningHead => ({
  model: s.model,
  vocabulary: new Map(s.vocabulary.map((g, i) => [g, i])),
  pool: [true, false].flatMap((violating) =>
    unpackVectors(violating ? s.pool.violating : s.pool.benign, DIMENSIONS).map((vector) => ({ vector, violating })),
  ),
  weights: Float64Array.from(s.weights),
  threshold: s.threshold,
});

/** Sentences of a reply: the unit the head was trained on. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => /\w/.test(s));
}

/** Each sentence's violating probability. */
export async function scoreSentences(embedder: Embedder, head: MeaningHead, parts: string[]): Promise<number[]> {
  const xs = await sentenceFeatures(embedder, parts, head);
  return xs.map((x) => probability(head.weights, x));
}

export interface MeaningGuardrail {
  readonly id: string;
  /** The sentences the head reads as a violation, with their probability. */
  flagged(text: string): Promise<{ sentence: string; p: number }[]>;
}

export function readHead(file = path.join(__dirname, HEAD_FILE)): MeaningHead | undefined {
  if (!fs.existsSync(file)) return undefined;
  return toHead(JSON.parse(fs.readFileSync(file, 'utf8')) as StoredHead);
}

/** Sentences whose score a worker keeps (a few hundred KB of text at most). */
export const SCORED_SENTENCES_KEPT = 4_096;
/** Sentence and clause vectors a worker keeps (about 6 MB). */
export const EMBEDDED_TEXTS_KEPT = 4_096;

export function meaningGuardrail(
  embedder: Embedder,
  head: MeaningHead,
  kept = SCORED_SENTENCES_KEPT,
): MeaningGuardrail {
  // A reply is checked when drafted and again when sent, mostly unchanged, and replies share their opening and
  // closing lines: each sentence costs about three embeddings, so a score is kept rather than computed again.
  // The score depends on the sentence alone, so a kept one is exactly what scoring again would give. A sentence
  // that is one clause is embedded once, not as itself and as its clause, and clauses shared by different
  // sentences once a worker.
  const encoder = keptEmbeddings(embedder, EMBEDDED_TEXTS_KEPT);
  const scores = keptBatch(kept, (fresh) => scoreSentences(encoder, head, fresh));
  return {
    id: `guardrail-meaning:${embedder.id}`,
    async flagged(text) {
      const parts = sentences(text);
      if (!parts.length) return [];
      const ps = await scores(parts);
      return parts.map((sentence, i) => ({ sentence, p: ps[i]! })).filter((s) => s.p > head.threshold);
    },
  };
}
