/**
 * Sentence embeddings (384 dimensions) from a quantized ONNX model of `models.ts` (all-MiniLM-L6-v2 by
 * default), run on the CPU with onnxruntime-node and tokenized by @huggingface/tokenizers from the model's own
 * tokenizer.json. The files come from a Maven artifact the infra scripts unpack into the tools cache; nothing
 * is fetched at run time. One model per process: loading costs ~100 ms and ~30 MB, so every caller shares it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as OrtModule from 'onnxruntime-node';
import { modelIn, type EmbeddingModelSpec } from './models';

export { EMBEDDING_MODELS, EMBEDDING_MODEL_NAMES, modelIn, type EmbeddingModelName } from './models';
export type { EmbeddingModelSpec } from './models';
export const DIMENSIONS = 384;

/** MiniLM was trained on 256 word pieces at most (the others on 512); longer input only costs time. */
const MAX_TOKENS = 256;

/** The model's three inputs for one sequence of word-piece ids (one segment, every token attended). */
export function modelInputs(ort: typeof OrtModule, ids: readonly number[]) {
  const dims = [1, ids.length];
  return {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), dims),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(ids.length).fill(1n), dims),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(ids.length), dims),
  };
}

export interface Embedder {
  readonly id: string;
  /** Unit-length vectors, one per text, so a dot product is the cosine similarity. */
  embed(texts: string[]): Promise<Float32Array[]>;
}

export function modelFilesPresent(dir: string): boolean {
  return modelIn(dir) !== undefined;
}

/** The sentence's vector from the model's last hidden state (`tokens` x DIMENSIONS), at unit length. */
export function pool(hidden: Float32Array, tokens: number, pooling: EmbeddingModelSpec['pooling']): Float32Array {
  const v = new Float32Array(DIMENSIONS);
  const n = pooling === 'cls' ? 1 : tokens;
  for (let j = 0; j < n; j++) for (let d = 0; d < DIMENSIONS; d++) v[d]! += hidden[j * DIMENSIONS + d]!;
  return toUnitLength(v);
}

/** Scales `v` in place to unit length (a zero vector stays zero) and returns it. */
export function toUnitLength(v: Float32Array): Float32Array {
  let norm = 0;
  for (let d = 0; d < v.length; d++) norm += v[d]! * v[d]!;
  norm = Math.sqrt(norm) || 1;
  for (let d = 0; d < v.length; d++) v[d]! /= norm;
  return v;
}

interface Encoded {
  ids: number[];
}

export interface EmbedderOptions {
  /** onnxruntime intra-op threads. 1 (the default) suits a worker running several activities at once; the
   * benchmark also measures 2, the latency one ticket gets on an otherwise idle 2-core machine. */
  threads?: number;
}

async function create(dir: string, spec: EmbeddingModelSpec, threads: number): Promise<Embedder> {
  // Loaded lazily so a process without the model never pays for the native runtime.
  const ort = await import('onnxruntime-node');
  // The package's types resolve only under ESM conditions: its constructor is typed here, at the boundary.
  const { Tokenizer } = (await import('@huggingface/tokenizers')) as unknown as {
    Tokenizer: new (json: object, config: object) => { encode(text: string): unknown };
  };
  const tokenizer = new Tokenizer(
    JSON.parse(fs.readFileSync(path.join(dir, spec.tokenizerFile), 'utf8')) as object,
    {},
  );
  // One intra-op thread by default: a worker runs several activities at once, and each embedding is a few ms.
  const session = await ort.InferenceSession.create(path.join(dir, spec.modelFile), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
  });

  function encode(text: string): Encoded {
    const e = tokenizer.encode(spec.prefix + text) as Encoded;
    if (e.ids.length <= MAX_TOKENS) return e;
    // Keep [CLS] ... and the closing [SEP].
    const ids = [...e.ids.slice(0, MAX_TOKENS - 1), e.ids[e.ids.length - 1]!];
    return { ids };
  }

  async function embedOne(text: string): Promise<Float32Array> {
    const e = encode(text);
    const n = e.ids.length;
    const out = await session.run(modelInputs(ort, e.ids));
    return pool(out.last_hidden_state!.data as Float32Array, n, spec.pooling);
  }

  return {
    id: spec.id,
    async embed(texts) {
      // One text per run, never a padded batch: the quantized model scales activations per tensor, so
      // padding shifts a text's vector (cosine 0.99 to itself alone), and training and serving would differ.
      const out: Float32Array[] = [];
      for (const t of texts) out.push(await embedOne(t));
      return out;
    },
  };
}

const loaded = new Map<string, Promise<Embedder>>();

/** The embedder for the model in `dir`, loaded once per process; undefined when the files are not there. */
export async function loadEmbedder(dir: string, opts: EmbedderOptions = {}): Promise<Embedder | undefined> {
  const resolved = path.resolve(dir);
  const spec = modelIn(resolved);
  if (!spec) return undefined;
  const threads = opts.threads ?? 1;
  const key = `${resolved}|${threads}`;
  let p = loaded.get(key);
  if (!p) {
    p = create(resolved, spec, threads);
    loaded.set(key, p);
    p.catch(() => loaded.delete(key));
  }
  return p;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
