/**
 * npm run bench:embed -- --models <a.onnx,b.onnx> [--runs 100]
 * Model files side by side against the shipped one: the same word pieces, every round runs each file once in
 * turn (so a busy neighbour slows them all alike), CPU time per call and its ratio to the shipped file, the
 * tokenizer's share, and how well each file's vectors agree with the shipped file's on the learning tickets
 * (cosine of the two vectors of one ticket). Only the learning files' texts are embedded, never held-out.
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as OrtModule from 'onnxruntime-node';
import { modelIn, modelInputs, pool } from '../core/embedding';
import { readLabelled } from '../activities/triage/examples';
import { asSeen } from '../activities/triage/semantic-load';

type Ort = typeof OrtModule;
type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

/** The sentence vector as core/embedding pools it for the shipped model. */
async function vector(ort: Ort, session: Session, ids: number[], pooling: 'mean' | 'cls'): Promise<Float32Array> {
  const out = await session.run(modelInputs(ort, ids));
  return pool(out[session.outputNames[0]!]!.data as Float32Array, ids.length, pooling);
}

const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;

export async function compareModels(
  dir: string,
  files: string[],
  text: string,
  runs: number,
  learning: string[],
): Promise<string> {
  const ort = await import('onnxruntime-node');
  const { Tokenizer } = (await import('@huggingface/tokenizers')) as unknown as {
    Tokenizer: new (json: object, config: object) => { encode(text: string): { ids: number[] } };
  };
  const spec = modelIn(dir);
  if (!spec) throw new Error(`no embedding model in ${dir}`);
  const tokenizer = new Tokenizer(
    JSON.parse(fs.readFileSync(path.join(dir, spec.tokenizerFile), 'utf8')) as object,
    {},
  );
  const all = [path.join(dir, spec.modelFile), ...files];
  const options = { intraOpNumThreads: 1, interOpNumThreads: 1 };
  const sessions: Session[] = [];
  for (const f of all) sessions.push(await ort.InferenceSession.create(f, options));
  const ids = tokenizer.encode(spec.prefix + text).ids;
  const cpu = all.map(() => 0);
  const wall: number[][] = all.map(() => []);
  let tokenizerCpu = 0;
  for (let round = -5; round < runs; round++) {
    const t0 = process.cpuUsage();
    tokenizer.encode(spec.prefix + text);
    if (round >= 0) tokenizerCpu += cpuMs(process.cpuUsage(t0));
    for (let k = 0; k < all.length; k++) {
      const c0 = process.cpuUsage();
      const w0 = process.hrtime.bigint();
      await sessions[k]!.run(modelInputs(ort, ids));
      const ms = Number(process.hrtime.bigint() - w0) / 1e6;
      if (round < 0) continue; // warm-up: the first runs allocate the session's buffers
      cpu[k]! += cpuMs(process.cpuUsage(c0));
      wall[k]!.push(ms);
    }
  }
  const texts = learning.flatMap((f) => readLabelled(f)).map((r) => asSeen(r).seen);
  const cosines: number[][] = files.map(() => []);
  for (const t of texts) {
    const tIds = tokenizer.encode(spec.prefix + t).ids;
    const base = await vector(ort, sessions[0]!, tIds, spec.pooling);
    for (let k = 0; k < files.length; k++) {
      const v = await vector(ort, sessions[k + 1]!, tIds, spec.pooling);
      cosines[k]!.push(v.reduce((s, x, d) => s + x * base[d]!, 0));
    }
  }
  const base = cpu[0]! / runs;
  const lines = all.map((f, k) => {
    const per = cpu[k]! / runs;
    const sorted = wall[k]!.sort((a, b) => a - b);
    const agree = k === 0 ? '' : agreement(cosines[k - 1]!);
    return `${path.basename(f).padEnd(34)} cpu ${per.toFixed(2)} ms/call  ratio ${(per / base).toFixed(3)}  wall p50 ${sorted[Math.floor(runs / 2)]!.toFixed(2)} ms${agree}`;
  });
  const share = tokenizerCpu / runs;
  return [
    `side by side, ${ids.length} word pieces, ${runs} rounds, one intra-op thread:`,
    ...lines,
    `tokenizer: cpu ${share.toFixed(3)} ms/call (${((100 * share) / (share + base)).toFixed(1)} % of tokenize + shipped model)`,
    `agreement with ${spec.modelFile} on ${texts.length} learning tickets (cosine of each ticket's two vectors)`,
  ].join('\n');
}

function agreement(cos: number[]): string {
  const s = [...cos].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return `  cosine min ${s[0]!.toFixed(4)} p1 ${s[Math.floor(s.length / 100)]!.toFixed(4)} mean ${mean.toFixed(4)}`;
}
