/**
 * Trains the guardrail's meaning head (activities/guardrail/meaning.ts) on the five seen paraphrase sets ONLY
 * and picks its L2 penalty and threshold by leave-one-set-out cross-validation on them: each set is scored by
 * a head trained on the other four, so the figure printed is how the head does on wording it has not seen.
 * The sixth and seventh sets are never read here. Writes activities/guardrail/meaning-head.json.
 * Usage: `npx tsx scripts/guardrail-train.ts [modelDir]` (default: the configured embedding directory).
 */
import fs from 'node:fs';
import path from 'node:path';
import { HEAD_FILE, meaningFeatures, score, type MeaningHead } from '../activities/guardrail/meaning';
import { config } from '../core/config';
import { loadEmbedder } from '../core/embedding';
import { train } from '../activities/triage/linear-head';
import { readGuardrailSet, SEEN_SETS } from '../activities/guardrail/sets';

const L2S = [0, 1e-4, 1e-3];
/** The cross-validated false-positive rate the threshold may cost, below the 5 % limit to leave a margin. */
const FP_BUDGET = 0.03;
const OPTS = { epochs: 1000, rate: 2 } as const;

interface Row {
  x: Float64Array;
  violating: boolean;
  set: string;
}

function fit(rows: Row[], l2: number): MeaningHead {
  const head = train(
    rows.map((r) => r.x),
    rows.map((r) => (r.violating ? 'violating' : 'benign')),
    ['benign', 'violating'],
    { l2, ...OPTS },
  );
  return { ...head, threshold: 0.5 };
}

/** The lowest threshold whose benign scores stay within the budget, and the recall it buys. */
function pick(scored: { p: number; violating: boolean }[]) {
  const benign = scored.filter((s) => !s.violating).map((s) => s.p);
  const allowed = Math.floor(FP_BUDGET * benign.length);
  const threshold = [...benign].sort((a, b) => b - a)[allowed] ?? 0.5;
  const v = scored.filter((s) => s.violating);
  const fp = benign.filter((p) => p > threshold).length;
  return { threshold, recall: v.filter((s) => s.p > threshold).length / v.length, fp, nb: benign.length };
}

async function main(): Promise<void> {
  const embedder = await loadEmbedder(process.argv[2] ?? config().triage.embeddingDir);
  if (!embedder) throw new Error('no embedding model installed: run `npm run infra -- model` first');
  const rows: Row[] = [];
  for (const set of SEEN_SETS) {
    for (const violating of [true, false]) {
      const texts = readGuardrailSet(set, violating);
      const xs = await meaningFeatures(embedder, texts);
      xs.forEach((x) => rows.push({ x, violating, set }));
    }
  }
  let best: { l2: number; threshold: number; recall: number; fp: number; nb: number } | undefined;
  for (const l2 of L2S) {
    const scored: { p: number; violating: boolean }[] = [];
    for (const held of SEEN_SETS) {
      const head = fit(
        rows.filter((r) => r.set !== held),
        l2,
      );
      for (const r of rows.filter((x) => x.set === held)) scored.push({ p: score(head, r.x), violating: r.violating });
    }
    const m = pick(scored);
    console.log(
      `l2 ${l2}: leave-one-set-out recall ${(100 * m.recall).toFixed(1)} % at threshold ${m.threshold.toFixed(3)}, false positives ${m.fp}/${m.nb}`,
    );
    if (!best || m.recall > best.recall) best = { l2, ...m };
  }
  const head = { ...fit(rows, best!.l2), threshold: best!.threshold };
  const file = path.join(__dirname, '..', 'activities', 'guardrail', HEAD_FILE);
  const stored = {
    model: embedder.id,
    trainedOn: SEEN_SETS,
    l2: best!.l2,
    crossValidated: { recall: best!.recall, falsePositives: best!.fp, benign: best!.nb },
    threshold: head.threshold,
    weights: head.weights.map((w) => Array.from(w, (x) => Number(x.toPrecision(6)))),
  };
  fs.writeFileSync(file, JSON.stringify(stored) + '\n');
  console.log(`chose l2 ${best!.l2}, threshold ${best!.threshold.toFixed(3)}; wrote ${file}`);
}

void main();
