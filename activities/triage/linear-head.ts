/**
 * A softmax (multinomial logistic) regression over the ticket's features: its embedding and the rules'
 * evidence. Trained at load time on the train split by full-batch gradient descent from zero weights, so
 * the result is deterministic and takes a fraction of a second. It learns which directions of the
 * embedding separate "I lost my 2FA phone" from "someone changed my 2FA", which raw nearest neighbours
 * cannot: both sound alike.
 */

export interface LinearHead {
  classes: readonly string[];
  /** classes.length rows of (features + 1 bias) weights. */
  weights: Float64Array[];
}

export interface TrainOptions {
  /** L2 penalty: larger keeps the head simple (and its probabilities modest). */
  l2: number;
  epochs: number;
  rate: number;
  /** Per-class weight of the loss, e.g. to make a missed sensitive ticket cost more than a false alarm. */
  classWeight?: Record<string, number>;
}

export function predict(head: LinearHead, x: ArrayLike<number>): number[] {
  const logits = head.weights.map((w) => {
    let s = w[x.length]!;
    for (let i = 0; i < x.length; i++) s += w[i]! * x[i]!;
    return s;
  });
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

export function train(xs: ArrayLike<number>[], ys: string[], classes: readonly string[], o: TrainOptions): LinearHead {
  const d = xs[0]?.length ?? 0;
  const k = classes.length;
  const head: LinearHead = { classes, weights: classes.map(() => new Float64Array(d + 1)) };
  const target = ys.map((y) => classes.indexOf(y));
  const cw = target.map((t) => o.classWeight?.[classes[t]!] ?? 1);
  const n = xs.length || 1;
  // Scratch buffers reused across the epochs: training runs at every load without a cache, and in every
  // fold of the cross-validation, so the inner loop allocates nothing.
  const grads = classes.map(() => new Float64Array(d + 1));
  const p = new Float64Array(k);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (const g of grads) g.fill(0);
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      softmaxInto(head.weights, x, p);
      for (let c = 0; c < k; c++) {
        const g = (p[c]! - (c === target[i] ? 1 : 0)) * cw[i]!;
        if (g === 0) continue;
        const gc = grads[c]!;
        for (let j = 0; j < d; j++) gc[j]! += g * x[j]!;
        gc[d]! += g;
      }
    }
    for (let c = 0; c < k; c++) {
      const w = head.weights[c]!;
      const g = grads[c]!;
      for (let j = 0; j <= d; j++) w[j]! -= o.rate * (g[j]! / n + (j < d ? o.l2 * w[j]! : 0));
    }
  }
  return head;
}

/** The softmax of the head's logits for x, written into out (the same arithmetic as predict). */
function softmaxInto(weights: Float64Array[], x: ArrayLike<number>, out: Float64Array): void {
  const d = x.length;
  let max = -Infinity;
  for (let c = 0; c < weights.length; c++) {
    const w = weights[c]!;
    let s = w[d]!;
    for (let j = 0; j < d; j++) s += w[j]! * x[j]!;
    out[c] = s;
    if (s > max) max = s;
  }
  let sum = 0;
  for (let c = 0; c < weights.length; c++) sum += out[c] = Math.exp(out[c]! - max);
  for (let c = 0; c < weights.length; c++) out[c]! /= sum;
}
