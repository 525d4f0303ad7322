/**
 * npm run bench:embed -- --variants [--runs 100]
 * The embedding's cost under each candidate setting, side by side in one run: every round runs each variant
 * once, in turn, so a busy neighbour slows them all alike. Reported as CPU time per call (the model's cost on
 * a shared machine) and as a ratio to the shipped setting; wall-clock p50 only means something when idle.
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as OrtModule from 'onnxruntime-node';
import { MODEL_FILE, modelInputs, TOKENIZER_FILE } from '../core/embedding';

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
];

/** Keeps [CLS], the first pieces and the closing [SEP], as the embedder does past its limit. */
const trim = (ids: number[], n?: number) => (n && ids.length > n ? [...ids.slice(0, n - 1), ids.at(-1)!] : ids);

export async function compareVariants(dir: string, text: string, runs: number): Promise<string> {
  const ort = await import('onnxruntime-node');
  const { Tokenizer } = (await import('@huggingface/tokenizers')) as unknown as {
    Tokenizer: new (json: object, config: object) => { encode(text: string): { ids: number[] } };
  };
  const tokenizer = new Tokenizer(JSON.parse(fs.readFileSync(path.join(dir, TOKENIZER_FILE), 'utf8')) as object, {});
  const ids = tokenizer.encode(text).ids;
  const sessions: Session[] = [];
  for (const v of VARIANTS) sessions.push(await ort.InferenceSession.create(path.join(dir, MODEL_FILE), v.options));
  const reused = VARIANTS.map((v) => modelInputs(ort, trim(ids, v.tokens)));
  const cpu = VARIANTS.map(() => 0);
  const wall: number[][] = VARIANTS.map(() => []);
  for (let round = -5; round < runs; round++) {
    for (let k = 0; k < VARIANTS.length; k++) {
      const v = VARIANTS[k]!;
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      await sessions[k]!.run(v.reuseInputs ? reused[k]! : modelInputs(ort, trim(ids, v.tokens)));
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const c = process.cpuUsage(c0);
      if (round < 0) continue; // warm-up: the first runs allocate the session's buffers
      cpu[k]! += (c.user + c.system) / 1000;
      wall[k]!.push(ms);
    }
  }
  const base = cpu[0]! / runs;
  const lines = VARIANTS.map((v, k) => {
    const sorted = wall[k]!.sort((a, b) => a - b);
    const per = cpu[k]! / runs;
    return `${v.name.padEnd(38)} cpu ${per.toFixed(2)} ms/call  ratio ${(per / base).toFixed(3)}  wall p50 ${sorted[Math.floor(runs / 2)]!.toFixed(2)} ms`;
  });
  return [`side by side, ${ids.length} word pieces, ${runs} rounds:`, ...lines].join('\n');
}
