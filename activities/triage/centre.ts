/**
 * Centring the embeddings on the learning tickets' mean vector. Each model puts every text in a narrow cone
 * of its own (two unrelated tickets at cosine about 0.15 with MiniLM, 0.6 with bge-small, 0.85 with
 * e5-small), while the heads' feature scales and the neighbours' sharpness were set on MiniLM; taking the
 * shared direction away and returning to unit length opens the cone alike for every model.
 */
import { DIMENSIONS, EMBEDDING_MODELS, toUnitLength, type EmbeddingModelName } from '../../core/embedding';
import { DESIGN } from './design';
import { featureVector } from './features';
import type { RulesVerdict } from './rules-model';

/** Whether triage centres the vectors of the model named `id`: when the design says so or the model needs it. */
export function centres(id: string, design = DESIGN): boolean {
  return design.centre === true || (EMBEDDING_MODELS[id as EmbeddingModelName]?.centre ?? false);
}

export function meanVector(vectors: readonly Float32Array[]): Float32Array {
  const mean = new Float32Array(DIMENSIONS);
  for (const v of vectors) for (let d = 0; d < DIMENSIONS; d++) mean[d]! += v[d]! / vectors.length;
  return mean;
}

/** v minus the mean, at unit length. */
export function centred(v: Float32Array, mean: Float32Array): Float32Array {
  const out = new Float32Array(DIMENSIONS);
  for (let d = 0; d < DIMENSIONS; d++) out[d] = v[d]! - mean[d]!;
  return toUnitLength(out);
}

/** Vectors, prototypes and feature vectors centred on the mean of the `learn` rows' vectors only, as a
 * cross-validation fold must see them (the rows it scores take no part in the mean). */
export function centredFold(
  vectors: readonly Float32Array[],
  protos: readonly Float32Array[],
  rules: readonly RulesVerdict[],
  learn: readonly number[],
): { vectors: Float32Array[]; protos: Float32Array[]; xs: Float64Array[]; mean: Float32Array } {
  const mean = meanVector(learn.map((i) => vectors[i]!));
  const vs = vectors.map((v) => centred(v, mean));
  const ps = protos.map((v) => centred(v, mean));
  return { vectors: vs, protos: ps, xs: vs.map((v, i) => featureVector(v, rules[i]!, ps)), mean };
}
