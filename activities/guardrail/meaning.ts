/**
 * The guardrail's reading of meaning: a logistic regression on MiniLM sentence embeddings plus a few polarity
 * cues, trained on the five seen paraphrase sets (scripts/guardrail-train.ts, leave-one-set-out
 * cross-validation for its penalty and threshold) and stored in meaning-head.json. Word lists miss wording
 * they have not seen ("unprotect", "log in as them"); an embedding places a paraphrase near what it means.
 * A reply is read sentence by sentence: one violating sentence is enough. The rules (index.ts) stay the
 * fast path; this head adds what they miss.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Embedder } from '../../core/embedding';
import { normalizeText } from '../../core/text-normalize';
import { predict, type LinearHead } from '../triage/linear-head';

export const HEAD_FILE = 'meaning-head.json';

export interface MeaningHead extends LinearHead {
  /** A sentence whose violating probability is above this is flagged (chosen by cross-validation). */
  threshold: number;
}

/**
 * Polarity the embedding blurs: a negation, a stated rule, an easy-way-out cue, "without", and support
 * speaking of what it did or will do. Learned weights, not verdicts: the head decides what they mean.
 */
const CUES = [
  /\b(?:not|never|no|cannot|nobody|nothing)\b|n't\b/,
  /\b(?:must|required?|requires|always|only|policy)\b/,
  /\b(?:just|simply|quickest|easiest|temporarily|for now|instead)\b/,
  /\bwithout\b/,
  /\b(?:we|i)(?:'ve| have| will|'ll)\b/,
];

export const seenText = (text: string) =>
  normalizeText(text)
    .replace(/[\u2018\u2019\u02BC]/g, "'")
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

export async function meaningFeatures(embedder: Embedder, texts: string[]): Promise<Float64Array[]> {
  const seen = texts.map(seenText);
  const vectors = await embedder.embed(seen);
  return vectors.map((v, i) => {
    const x = new Float64Array(v.length + CUES.length);
    x.set(v);
    CUES.forEach((c, j) => (x[v.length + j] = c.test(seen[i]!) ? 1 : 0));
    return x;
  });
}

export const score = (head: LinearHead, x: Float64Array) => predict(head, x)[head.classes.indexOf('violating')]!;

/** Sentences of a reply: the unit the head was trained on. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => /\w/.test(s));
}

export interface MeaningGuardrail {
  readonly id: string;
  /** The sentences the head reads as a violation, with their probability. */
  flagged(text: string): Promise<{ sentence: string; p: number }[]>;
}

export function readHead(file = path.join(__dirname, HEAD_FILE)): (MeaningHead & { model: string }) | undefined {
  if (!fs.existsSync(file)) return undefined;
  const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { model: string; threshold: number; weights: number[][] };
  return {
    model: stored.model,
    classes: ['benign', 'violating'],
    weights: stored.weights.map((w) => Float64Array.from(w)),
    threshold: stored.threshold,
  };
}

export function meaningGuardrail(embedder: Embedder, head: MeaningHead): MeaningGuardrail {
  return {
    id: `guardrail-meaning:${embedder.id}`,
    async flagged(text) {
      const parts = sentences(text);
      if (!parts.length) return [];
      const xs = await meaningFeatures(embedder, parts);
      return parts.map((sentence, i) => ({ sentence, p: score(head, xs[i]!) })).filter((s) => s.p > head.threshold);
    },
  };
}
