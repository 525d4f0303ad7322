/**
 * Loads the semantic triage once per process: the embedding model, the prototypes' vectors and the heads.
 * Training the heads means embedding every train example (a few seconds), so the trained heads are cached
 * beside the model, keyed by a hash of everything they depend on; a changed example file, prototype or
 * feature set trains afresh.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadEmbedder, type Embedder } from '../../core/embedding';
import type { ExtractedEntity, Topic } from '../../core/domain';
import { intake } from '../../core/intake';
import { normalizeText } from '../../core/text-normalize';
import { centred, centredFold, centres } from './centre';
import { DESIGN } from './design';
import { readLabelled, type LabelledTicket } from './examples';
import { featureVector, FEATURES_VERSION } from './features';
import type { LinearHead } from './linear-head';
import { manipulationCues } from './manipulation';
import { neighbourVotes, type Memory } from './neighbours';
import { prototypes } from './prototypes';
import { classify, type RulesVerdict } from './rules-model';
import { semanticClassify, trainHeads, type SemanticHeads, type SemanticVerdict } from './semantic-model';

export interface SemanticTriage {
  /** Names the design and the embedding model, e.g. `semantic-v2:all-minilm-l6-v2-q` (v2: round five's design). */
  readonly id: string;
  /** `seen` is the redacted, normalised text; `rules` the rules model's verdict on it. */
  classify(seen: string, rules: RulesVerdict): Promise<SemanticVerdict>;
}

export interface SemanticOptions {
  modelDir: string;
  /** Labelled JSONL files, read in order. */
  examples: string[];
}

/** A labelled example as triage sees a ticket: redacted, normalised, with the rules' verdict. */
export function asSeen(row: Pick<LabelledTicket, 'query'>): { seen: string; entities: ExtractedEntity[] } {
  const scrubbed = intake(row.query);
  return { seen: normalizeText(scrubbed.redactedText), entities: scrubbed.entities };
}

interface SeenExample {
  seen: string;
  rules: RulesVerdict;
}

function seenExamples(rows: LabelledTicket[]): SeenExample[] {
  return rows.map((r) => {
    const { seen, entities } = asSeen(r);
    return { seen, rules: classify(seen, entities) };
  });
}

/** Feature vectors for labelled rows, and their embeddings (the neighbours' memory). */
export async function exampleFeatures(
  embedder: Embedder,
  protos: Float32Array[],
  rows: LabelledTicket[] | SeenExample[],
): Promise<{ xs: Float64Array[]; vectors: Float32Array[] }> {
  const seen =
    rows.length > 0 && 'query' in rows[0]! ? seenExamples(rows as LabelledTicket[]) : (rows as SeenExample[]);
  const vectors = await embedder.embed(seen.map((e) => e.seen));
  return { xs: seen.map((e, i) => featureVector(vectors[i]!, e.rules, protos)), vectors };
}

export function memoryOf(vectors: Float32Array[], rows: LabelledTicket[]): Memory {
  return { vectors, topics: rows.map((r) => r.topic), sensitive: rows.map((r) => r.is_sensitive) };
}

type StoredHead = { classes: string[]; weights: number[][] };
/** A head, or a list of them (the ordinal urgency's borders). */
type Stored = StoredHead | StoredHead[];

const revive = (h: StoredHead): LinearHead => ({
  classes: h.classes,
  weights: h.weights.map((w) => Float64Array.from(w)),
});
const plain = (h: LinearHead): StoredHead => ({
  classes: [...h.classes],
  weights: h.weights.map((w) => Array.from(w)),
});

/** Trained heads as JSON-ready values, and back: the load cache and the cross-validation tool keep them so. */
export function storedHeads(heads: SemanticHeads): Record<string, Stored> {
  return Object.fromEntries(
    Object.entries(heads)
      .filter(([, h]) => h !== undefined)
      .map(([k, h]: [string, LinearHead | LinearHead[]]) => [k, Array.isArray(h) ? h.map(plain) : plain(h)]),
  );
}

export function revivedHeads(stored: Record<string, Stored>): SemanticHeads {
  return Object.fromEntries(
    Object.entries(stored).map(([k, h]) => [k, Array.isArray(h) ? h.map(revive) : revive(h)]),
  ) as unknown as SemanticHeads;
}
type StoredMemory = { vectors: number[][]; topics: Topic[]; sensitive: boolean[]; mean?: number[] };
interface Trained {
  heads: SemanticHeads;
  memory: Memory;
  /** The learning vectors' mean when the design centres (centre.ts); the memory's vectors are centred. */
  mean?: Float32Array;
}

/** Keyed by all the heads learn from: the labels, the examples as triage sees them (redaction and the rules
 * change with the code, not only with the files), the prototypes and the features. */
function cacheFile(opts: SemanticOptions, embedder: Embedder, rows: LabelledTicket[], seen: SeenExample[]): string {
  const hash = crypto.createHash('sha256').update(JSON.stringify([embedder.id, FEATURES_VERSION, prototypes, DESIGN]));
  rows.forEach((r, i) =>
    hash.update(
      JSON.stringify([r, seen[i]!.seen, seen[i]!.rules.evidence, seen[i]!.rules.analysis, seen[i]!.rules.risk]),
    ),
  );
  const key = hash.digest('hex').slice(0, 16);
  return path.join(opts.modelDir, `triage-heads-${key}.json`);
}

function readCache(file: string): Trained | undefined {
  try {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      heads: Record<string, Stored>;
      memory: StoredMemory;
    };
    const heads = revivedHeads(stored.heads);
    const { vectors, topics, sensitive, mean } = stored.memory;
    const memory = { vectors: vectors.map((v) => Float32Array.from(v)), topics, sensitive };
    return { heads, memory, mean: mean && Float32Array.from(mean) };
  } catch {
    return undefined;
  }
}

function writeCache(file: string, trained: Trained): void {
  const heads = storedHeads(trained.heads);
  const { vectors, topics, sensitive } = trained.memory;
  const mean = trained.mean && Array.from(trained.mean);
  const memory: StoredMemory = { vectors: vectors.map((v) => Array.from(v)), topics, sensitive, mean };
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, JSON.stringify({ heads, memory }));
    fs.renameSync(tmp, file); // atomic: a concurrent reader sees the old file or the whole new one
  } catch {
    fs.rmSync(tmp, { force: true }); // a read-only tools cache only costs the next start its training time
  }
}

/** Trains the heads on the examples, centring every vector on their mean when the design says so. */
async function train(embedder: Embedder, rawProtos: Float32Array[], rows: LabelledTicket[], seen: SeenExample[]) {
  if (!centres(embedder.id)) {
    const { xs, vectors } = await exampleFeatures(embedder, rawProtos, seen);
    return { heads: trainHeads(xs, rows), memory: memoryOf(vectors, rows) };
  }
  const raw = await embedder.embed(seen.map((e) => e.seen));
  const all = raw.map((_, i) => i);
  const { xs, vectors, mean } = centredFold(
    raw,
    rawProtos,
    seen.map((e) => e.rules),
    all,
  );
  return { heads: trainHeads(xs, rows), memory: memoryOf(vectors, rows), mean };
}

async function create(opts: SemanticOptions, embedder: Embedder): Promise<SemanticTriage> {
  const rawProtos = await embedder.embed(prototypes);
  const rows = opts.examples.flatMap((f) => readLabelled(f));
  const seen = seenExamples(rows);
  const file = cacheFile(opts, embedder, rows, seen);
  let trained = readCache(file);
  if (!trained) {
    trained = await train(embedder, rawProtos, rows, seen);
    writeCache(file, trained);
  }
  const { heads, memory, mean } = trained;
  const view = (v: Float32Array) => (mean ? centred(v, mean) : v);
  const protos = rawProtos.map(view);
  return {
    id: `semantic-v2:${embedder.id}`,
    async classify(seen, rules) {
      const [raw] = await embedder.embed([seen]);
      const v = view(raw!);
      const x = featureVector(v, rules, protos);
      return semanticClassify(heads, x, rules, manipulationCues(seen), neighbourVotes(memory, v));
    },
  };
}

const loaded = new Map<string, Promise<SemanticTriage>>();

/** The semantic triage, loaded once per process; undefined when the model files are not installed. */
export async function loadSemanticTriage(opts: SemanticOptions): Promise<SemanticTriage | undefined> {
  const embedder = await loadEmbedder(opts.modelDir);
  if (!embedder) return undefined;
  const key = [opts.modelDir, ...opts.examples].map((f) => path.resolve(f)).join('|');
  let p = loaded.get(key);
  if (!p) {
    p = create(opts, embedder);
    loaded.set(key, p);
    p.catch(() => loaded.delete(key));
  }
  return p;
}
