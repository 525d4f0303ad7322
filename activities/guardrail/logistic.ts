/**
 * A binary logistic regression over sparse features (index, value pairs): the guardrail's meaning head has a
 * few thousand features (two embeddings and the word pairs of its training sentences) of which a sentence
 * sets a few hundred. Trained by full-batch Adam from zero weights for a fixed number of epochs, so a run is
 * deterministic; the fixed epochs and the L2 penalty are the regularisation cross-validation chose.
 */

export interface SparseVector {
  index: number[];
  value: number[];
}

export interface LogisticOptions {
  l2: number;
  epochs: number;
  /** Adam's step size. */
  rate: number;
}

/** dims weights and one bias, last. */
export type LogisticWeights = Float64Array;

export function logit(w: LogisticWeights, x: SparseVector): number {
  let s = w[w.length - 1]!;
  for (let j = 0; j < x.index.length; j++) s += w[x.index[j]!]! * x.value[j]!;
  return s;
}

export const probability = (w: LogisticWeights, x: SparseVector) => 1 / (1 + Math.exp(-logit(w, x)));

export function trainLogistic(xs: SparseVector[], ys: boolean[], dims: number, o: LogisticOptions): LogisticWeights {
  const w = new Float64Array(dims + 1);
  const m = new Float64Array(dims + 1);
  const v = new Float64Array(dims + 1);
  const n = xs.length || 1;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const g = new Float64Array(dims + 1);
    xs.forEach((x, k) => {
      const e = probability(w, x) - (ys[k] ? 1 : 0);
      for (let j = 0; j < x.index.length; j++) g[x.index[j]!]! += e * x.value[j]!;
      g[dims]! += e;
    });
    const c1 = 1 - 0.9 ** epoch;
    const c2 = 1 - 0.999 ** epoch;
    for (let j = 0; j <= dims; j++) {
      const gj = g[j]! / n + (j < dims ? o.l2 * w[j]! : 0);
      m[j] = 0.9 * m[j]! + 0.1 * gj;
      v[j] = 0.999 * v[j]! + 0.001 * gj * gj;
      w[j]! -= (o.rate * (m[j]! / c1)) / (Math.sqrt(v[j]! / c2) + 1e-8);
    }
  }
  return w;
}
