/**
 * The guardrail head's nearest-neighbour view: how close a sentence is to the labelled sentences it was
 * trained on, violating and benign apart (the mean similarity of the three nearest of each, and their
 * difference). The paraphrase sets are minimal pairs, so a sentence's own set always holds its mirror: while
 * training, a row is compared only with rows of OTHER sets, as a new sentence will be; otherwise the view
 * would learn to trust a near-copy that wording never seen does not have. Leave-one-set-out cross-validation
 * chose it (scripts/guardrail-train.ts). The pool is stored with the head as 8-bit integers (a unit vector's
 * parts fit [-1, 1]); training compares against the same rounded vectors, so serving sees what training saw.
 */
import { dot } from '../../core/embedding';

export interface PoolEntry {
  vector: Float32Array;
  violating: boolean;
  /** The set a training row came from; absent at serving time. */
  set?: string;
}

/** How many nearest neighbours of each label are averaged. */
export const NEIGHBOURS = 3;
/** Similarities span a few tenths; scaled so their weights train at the embeddings' pace. */
const SCALE = 5;
export const NEAR_FEATURES = 3;

function topMean(xs: number[]): number {
  xs.sort((a, b) => b - a);
  let s = 0;
  for (let i = 0; i < NEIGHBOURS; i++) s += xs[i] ?? 0;
  return s / NEIGHBOURS;
}

/** [nearest violating, nearest benign, their difference], each scaled; `ownSet`'s rows are skipped. */
export function nearFeatures(vector: Float32Array, pool: readonly PoolEntry[], ownSet?: string): number[] {
  const violating: number[] = [];
  const benign: number[] = [];
  for (const e of pool) {
    if (ownSet !== undefined && e.set === ownSet) continue;
    (e.violating ? violating : benign).push(dot(vector, e.vector));
  }
  const v = topMean(violating);
  const b = topMean(benign);
  return [v * SCALE, b * SCALE, (v - b) * SCALE];
}

/** A unit vector rounded to 8 bits a part, as the head stores it. */
export function rounded(vector: Float32Array): Float32Array {
  return Float32Array.from(vector, (x) => Math.round(x * 127) / 127);
}

export function packVectors(vectors: readonly Float32Array[]): string {
  const bytes = new Int8Array(vectors.length * (vectors[0]?.length ?? 0));
  vectors.forEach((v, i) => v.forEach((x, d) => (bytes[i * v.length + d] = Math.round(x * 127))));
  return Buffer.from(bytes.buffer).toString('base64');
}

export function unpackVectors(packed: string, dimensions: number): Float32Array[] {
  const bytes = new Int8Array(Buffer.from(packed, 'base64'));
  const out: Float32Array[] = [];
  for (let i = 0; i + dimensions <= bytes.length; i += dimensions)
    out.push(Float32Array.from(bytes.subarray(i, i + dimensions), (x) => x / 127));
  return out;
}
