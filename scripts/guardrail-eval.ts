/**
 * The guardrail on the paraphrase sets (test/fixtures/guardrail): the rules alone, and the rules OR nearest
 * neighbours in MiniLM space. The neighbours and their threshold come from the five seen sets only
 * (leave-one-out, false positives <= 2 % there); the sixth set is only measured. Usage:
 * `npx tsx scripts/guardrail-eval.ts [modelDir]` (default: the configured embedding directory).
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkDraftPolicy } from '../activities/guardrail';
import { config } from '../core/config';
import { dot, loadEmbedder } from '../core/embedding';

const dir = path.join(__dirname, '..', 'test', 'fixtures', 'guardrail');
const read = (f: string) =>
  fs
    .readFileSync(path.join(dir, f), 'utf8')
    .split('\n')
    .filter((l) => l.trim());
const sets = ['', '-fresh', '-third', '-final', '-fifth'];
const trainV = sets.flatMap((s) => read(`violating${s}.txt`));
const trainB = sets.flatMap((s) => read(`benign${s}.txt`));
const testV = read('violating-sixth.txt');
const testB = read('benign-sixth.txt');
const flagged = (t: string) => Boolean(checkDraftPolicy(t));

/** Mean similarity to the k nearest violating examples minus to the k nearest benign ones. */
function margin(x: Float32Array, v: Float32Array[], b: Float32Array[], k: number, skip?: Float32Array): number {
  const top = (m: Float32Array[]) =>
    m
      .filter((y) => y !== skip)
      .map((y) => dot(x, y))
      .sort((p, q) => q - p)
      .slice(0, k)
      .reduce((sum, y) => sum + y, 0) / k;
  return top(v) - top(b);
}

async function main(): Promise<void> {
  const rulesV = testV.filter(flagged).length;
  const rulesB = testB.filter(flagged).length;
  console.log(`rules: sixth set recall ${rulesV}/${testV.length}, false positives ${rulesB}/${testB.length}`);
  const embedder = await loadEmbedder(process.argv[2] ?? config().triage.embeddingDir);
  if (!embedder) {
    console.log('no embedding model installed: only the rules were measured');
    return;
  }
  const [tv, tb, xv, xb] = await Promise.all([trainV, trainB, testV, testB].map((s) => embedder.embed(s)));
  for (const k of [3, 5]) {
    const looB = tb!.map((x, i) => (flagged(trainB[i]!) ? Infinity : margin(x, tv!, tb!, k, x)));
    // The lowest threshold that keeps the five seen sets' false positives at 2 % or less.
    const allowed = Math.floor(0.02 * looB.length);
    const threshold = [...looB].sort((p, q) => q - p)[allowed] ?? 1;
    const hitV = xv!.filter((x, i) => flagged(testV[i]!) || margin(x, tv!, tb!, k) > threshold).length;
    const hitB = xb!.filter((x, i) => flagged(testB[i]!) || margin(x, tv!, tb!, k) > threshold).length;
    console.log(
      `rules or ${k}-nn (threshold ${threshold.toFixed(3)}): sixth set recall ${hitV}/${testV.length}, false positives ${hitB}/${testB.length}`,
    );
  }
}

void main();
