/**
 * npm run bench:embed -- --variants [--against <model folder>] [--runs 100]
 * The embedding's cost under each candidate setting, side by side in one run: every round runs each variant
 * once, in turn, so a busy neighbour slows them all alike. Reported as CPU time per call (the model's cost on
 * a shared machine) and as a ratio to the first line; wall-clock p50 only means something when idle.
 * With --against, the first line is that folder's model at the shipped setting (e.g. MiniLM) and the
 * variants run the configured model, so a candidate model's settings are read against today's cost.
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as OrtModule from 'onnxruntime-node';
import { modelIn, modelInputs, type EmbeddingModelSpec } from '../core/embedding';

type Ort = typeof OrtModule;
type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;
type Options = Parameters<Ort['InferenceSession']['create']>[1];

interface Variant {
  name: string;
  options: Options;
  /** Word pieces kept (the text's own length when absent). */
  tokens?: number;
  /** Build the input tensors once and pass the same ones every call. */
  reuseInputs?: boolean;
}

const SHIPPED: Options = { intraOpNumThreads: 1, interOpNumThreads: 1 };
const VARIANTS: Variant[] = [
  { name: 'shipped (1 thread, graph level all)', options: SHIPPED },
  { name: 'graph level basic', options: { ...SHIPPED, graphOptimizationLevel: 'basic' } },
  { name: 'graph level extended', options: { ...SHIPPED, graphOptimizationLevel: 'extended' } },
  { name: 'denormals as zero', options: { ...SHIPPED, extra: { session: { set_denormal_as_zero: '1' } } } },
  { name: 'no memory arena / pattern', options: { ...SHIPPED, enableCpuMemArena: false, enableMemPattern: false } },
  { name: 'input tensors reused', options: SHIPPED, reuseInputs: true },
  // Without spinning: a spinning pool burns CPU after its run, which would be charged to the next variant.
  {
    name: '2 intra-op threads, no spinning',
    options: { ...SHIPPED, intraOpNumThreads: 2, extra: { session: { intra_op: { allow_spinning: '0' } } } },
  },
  { name: 'trimmed to 96 word pieces', options: SHIPPED, tokens: 96 },
  { name: 'trimmed to 64 word pieces', options: SHIPPED, tokens: 64 },
  { name: 'trimmed to 48 word pieces', options: SHIPPED, tokens: 48 },
];

/** Keeps [CLS], the first pieces and the closing [SEP], as the embedder does past its limit. */
const trim = (ids: number[], n?: number) => (n && ids.length > n ? [...ids.slice(0, n - 1), ids.at(-1)!] : ids);

interface Loaded {
  spec: EmbeddingModelSpec;
  file: string;
  ids: number[];
}

async function loadModel(dir: string, text: string): Promise<Loaded> {
  const spec = modelIn(dir);
  if (!spec) throw new Error(`no embedding model in ${dir}`);
  const { Tokenizer } = (await import('@huggingface/tokenizers')) as unknown as {
    Tokenizer: new (json: object, config: object) => { encode(text: string): { ids: number[] } };
  };
  const json = JSON.parse(fs.readFileSync(path.join(dir, spec.tokenizerFile), 'utf8')) as object;
  const ids = new Tokenizer(json, {}).encode(spec.prefix + text).ids;
  return { spec, file: path.join(dir, spec.modelFile), ids };
}

export async function compareVariants(dir: string, text: string, runs: number, against?: string): Promise<string> {
  const ort = await import('onnxruntime-node');
  const model = await loadModel(dir, text);
  const base = against ? await loadModel(against, text) : undefined;
  const rows = [
    ...(base ? [{ name: `${base.spec.id}, shipped setting`, options: SHIPPED, model: base } as const] : []),
    ...VARIANTS.map((v) => ({ ...v, name: base ? `${model.spec.id}, ${v.name}` : v.name, model })),
  ];
  const sessions: Session[] = [];
  for (const v of rows) sessions.push(await ort.InferenceSession.create(v.model.file, v.options));
  const inputs = (v: (typeof rows)[number]) =>
    modelInputs(ort, trim(v.model.ids, 'tokens' in v ? v.tokens : undefined));
  const reused = rows.map(inputs);
  const cpu = rows.map(() => 0);
  const wall: number[][] = rows.map(() => []);
  for (let round = -5; round < runs; round++) {
    for (let k = 0; k < rows.length; k++) {
      const v = rows[k]!;
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      await sessions[k]!.run('reuseInputs' in v && v.reuseInputs ? reused[k]! : inputs(v));
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const c = process.cpuUsage(c0);
      if (round < 0) continue; // warm-up: the first runs allocate the session's buffers
      cpu[k]! += (c.user + c.system) / 1000;
      wall[k]!.push(ms);
    }
  }
  const first = cpu[0]! / runs;
  const lines = rows.map((v, k) => {
    const sorted = wall[k]!.sort((a, b) => a - b);
    const per = cpu[k]! / runs;
    return `${v.name.padEnd(base ? 56 : 38)} cpu ${per.toFixed(2)} ms/call  ratio ${(per / first).toFixed(3)}  wall p50 ${sorted[Math.floor(runs / 2)]!.toFixed(2)} ms`;
  });
  const pieces = [base, model].filter((m) => m !== undefined).map((m) => `${m.spec.id} ${m.ids.length}`);
  return [`side by side, word pieces: ${pieces.join(', ')}; ${runs} rounds:`, ...lines].join('\n');
}
