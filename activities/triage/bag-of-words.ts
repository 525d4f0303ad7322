/**
 * A bag of words beside the embedding: the ticket's words and word pairs, weighted by tf-idf, and a logistic
 * head over them. The small embedding model blurs a few telling words ("payroll", "leaked", "former") into the
 * sentence's gist; a linear model over the words keeps them. Cross-validation on the learning files showed it
 * lifts the sensitivity decision most where recall must be total (docs/triage.md).
 */

export interface Vocabulary {
  /** term -> column */
  terms: Record<string, number>;
  idf: number[];
}

/** A sparse row: the columns present and their values. */
export interface SparseRow {
  index: number[];
  value: number[];
}

/** Terms seen in fewer training tickets than this are noise for a few hundred examples. */
const MIN_DOCUMENTS = 2;

export function terms(text: string): string[] {
  const words = text.toLowerCase().match(/[a-z0-9][a-z0-9'_-]*/g) ?? [];
  const out = [...words];
  for (let i = 0; i + 1 < words.length; i++) out.push(`${words[i]} ${words[i + 1]}`);
  return out;
}

export function fitVocabulary(texts: string[]): Vocabulary {
  const df = new Map<string, number>();
  for (const t of texts) for (const term of new Set(terms(t))) df.set(term, (df.get(term) ?? 0) + 1);
  const vocabulary: Vocabulary = { terms: {}, idf: [] };
  // Sorted, so the columns do not depend on the order of the examples.
  for (const [term, n] of [...df].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (n < MIN_DOCUMENTS) continue;
    vocabulary.terms[term] = vocabulary.idf.length;
    vocabulary.idf.push(Math.log((1 + texts.length) / (1 + n)) + 1);
  }
  return vocabulary;
}

/** Sublinear tf-idf, unit length: a long ticket does not outweigh a short one by its length. */
export function vectorize(vocabulary: Vocabulary, text: string): SparseRow {
  const tf = new Map<number, number>();
  for (const term of terms(text)) {
    const j = vocabulary.terms[term];
    if (j !== undefined) tf.set(j, (tf.get(j) ?? 0) + 1);
  }
  const index = [...tf.keys()].sort((a, b) => a - b);
  const value = index.map((j) => (1 + Math.log(tf.get(j)!)) * vocabulary.idf[j]!);
  const norm = Math.hypot(...value) || 1;
  return { index, value: value.map((v) => v / norm) };
}

/** A binary logistic head over sparse rows: weights per column, and a bias. */
export interface SparseHead {
  weights: number[];
  bias: number;
}

export interface SparseTrainOptions {
  l2: number;
  epochs: number;
  rate: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function predictSparse(head: SparseHead, row: SparseRow): number {
  let z = head.bias;
  row.index.forEach((j, k) => (z += head.weights[j]! * row.value[k]!));
  return sigmoid(z);
}

/**
 * Full-batch gradient descent from zero (deterministic), each column's step scaled by its curvature: a word
 * in five tickets learns as fast as one in five hundred, which plain steps would need thousands of epochs for.
 */
export function trainSparse(rows: SparseRow[], ys: boolean[], dims: number, o: SparseTrainOptions): SparseHead {
  const n = rows.length || 1;
  const curvature = new Float64Array(dims);
  rows.forEach((r) => r.index.forEach((j, k) => (curvature[j]! += (r.value[k]! * r.value[k]!) / n)));
  const step = Float64Array.from(curvature, (c) => o.rate / (c / 4 + o.l2));
  const w = new Float64Array(dims);
  let bias = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const g = new Float64Array(dims);
    let gb = 0;
    const head = { weights: w as unknown as number[], bias };
    rows.forEach((r, i) => {
      const d = predictSparse(head, r) - (ys[i] ? 1 : 0);
      r.index.forEach((j, k) => (g[j]! += d * r.value[k]!));
      gb += d;
    });
    for (let j = 0; j < dims; j++) w[j]! -= step[j]! * (g[j]! / n + o.l2 * w[j]!);
    bias -= 4 * o.rate * (gb / n);
  }
  return { weights: Array.from(w), bias };
}

/** The words' opinion on sensitivity: the vocabulary learnt from the examples, and the head over it. */
export interface WordsModel {
  vocabulary: Vocabulary;
  sensitive: SparseHead;
}

/** Chosen by cross-validation on the learning files (`npm run eval:triage -- --cv`). */
const WORDS_OPTIONS: SparseTrainOptions = { l2: 0.0005, epochs: 200, rate: 0.5 };

export function trainWords(texts: string[], sensitive: boolean[]): WordsModel {
  const vocabulary = fitVocabulary(texts);
  const rows = texts.map((t) => vectorize(vocabulary, t));
  return { vocabulary, sensitive: trainSparse(rows, sensitive, vocabulary.idf.length, WORDS_OPTIONS) };
}

export function wordsSensitive(model: WordsModel, text: string): number {
  return predictSparse(model.sensitive, vectorize(model.vocabulary, text));
}
