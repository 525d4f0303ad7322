/**
 * Trains the guardrail's meaning head (activities/guardrail/meaning.ts) on the nine seen paraphrase sets and
 * picks its L2 penalty and threshold by leave-one-set-out cross-validation: each set is scored by a head
 * trained on the other eight (its vocabulary and neighbour pool too), so the figures printed are how the head
 * does on wording it has not seen. The threshold is the lowest at which the pooled held-out benign sentences
 * flagged stay within FP_BUDGET. The unseen sets (sets.ts UNSEEN_SETS) are never read here.
 * Writes activities/guardrail/meaning-head.json.
 * Usage: `npx tsx scripts/guardrail-train.ts [--cv-only] [modelDir]` (default: the guardrail's encoder,
 * GUARDRAIL_EMBEDDING_DIR; --cv-only prints the cross-validation and writes nothing, to compare encoders).
 */
import fs from 'node:fs';
import path from 'node:path';
import { probability, trainLogistic } from '../activities/guardrail/logistic';
import { HEAD_FILE, type StoredHead } from '../activities/guardrail/meaning';
import {
  buildVocabulary,
  featureCount,
  featuresOf,
  sentenceViews,
  type SentenceView,
} from '../activities/guardrail/meaning-features';
import { packVectors, rounded, type PoolEntry } from '../activities/guardrail/neighbours';
import { readGuardrailSet, SEEN_SETS } from '../activities/guardrail/sets';
import { createKnowledgeBase } from '../activities/knowledge';
import { productSentences } from './guardrail-replies';
import { config } from '../core/config';
import { loadEmbedder } from '../core/embedding';

const L2S = [5e-4, 1e-3, 2e-3];
const EPOCHS = 600;
const RATE = 0.005;
const MIN_COUNT = 2;
/** The product's own reply sentences (guardrail-replies.ts): benign rows in every fold, never held out. */
const PRODUCT = '-product';
/**
 * The cross-validated false-positive rate the threshold may cost. Both sets written blind by someone else came
 * out at about twice their cross-validated rate (eighth 4.0 -> 7.2 %, ninth 2.8 -> 5.7 %), so the budget is
 * half the 5 % limit's room: 1.5 %. At 2 % the ninth fold alone flagged 4 of 70 (docs/guardrail.md).
 */
const FP_BUDGET = 0.015;
const cvOnly = process.argv.includes('--cv-only');
const dirArg = process.argv.slice(2).find((a) => !a.startsWith('--'));

interface Row {
  view: SentenceView;
  violating: boolean;
  set: string;
  /** The embedding as the head stores it, for other rows' neighbours. */
  pooled: PoolEntry;
}

function fit(rows: Row[], l2: number) {
  const vocabulary = buildVocabulary(
    rows.map((r) => r.view.grams),
    MIN_COUNT,
  );
  const data = { vocabulary: new Map(vocabulary.map((g, i) => [g, i])), pool: rows.map((r) => r.pooled) };
  const weights = trainLogistic(
    rows.map((r) => featuresOf(r.view, data, r.set)),
    rows.map((r) => r.violating),
    featureCount(vocabulary),
    { l2, epochs: EPOCHS, rate: RATE },
  );
  return { vocabulary, weights, score: (v: SentenceView) => probability(weights, featuresOf(v, data)) };
}

/** The lowest threshold at which the pooled benign scores flagged stay within the budget. */
function pickThreshold(scored: { p: number; row: Row }[]): number {
  const benign = scored.filter((s) => !s.row.violating).map((s) => s.p);
  const allowed = Math.floor(FP_BUDGET * benign.length);
  return [...benign].sort((a, b) => b - a)[allowed] ?? 0.5;
}

function perSet(scored: { p: number; row: Row }[], threshold: number): StoredHead['crossValidated'] {
  const out: StoredHead['crossValidated'] = {};
  for (const set of SEEN_SETS) {
    const mine = scored.filter((s) => s.row.set === set);
    const v = mine.filter((s) => s.row.violating);
    const b = mine.filter((s) => !s.row.violating);
    out[set || '-first'] = {
      caught: v.filter((s) => s.p > threshold).length,
      violating: v.length,
      falseAlarms: b.filter((s) => s.p > threshold).length,
      benign: b.length,
    };
  }
  return out;
}

async function readRows(): Promise<{ rows: Row[]; model: string }> {
  const embedder = await loadEmbedder(dirArg ?? config().guardrail.embeddingDir);
  if (!embedder) throw new Error('no embedding model installed: run `npm run infra -- start` first');
  const labelled: { texts: string[]; violating: boolean; set: string }[] = [];
  for (const set of SEEN_SETS)
    for (const violating of [true, false]) labelled.push({ texts: readGuardrailSet(set, violating), violating, set });
  const cfg = config();
  const kb = createKnowledgeBase({ sopsDir: cfg.knowledge.sopsDir, scoreFloor: cfg.knowledge.scoreFloor });
  labelled.push({ texts: productSentences(kb.all()), violating: false, set: PRODUCT });
  const rows: Row[] = [];
  for (const { texts, violating, set } of labelled)
    for (const view of await sentenceViews(embedder, texts))
      rows.push({ view, violating, set, pooled: { vector: rounded(view.whole), violating, set } });
  console.log(
    `${embedder.id}: ${rows.length} rows, ${labelled.at(-1)!.texts.length} of them the product's own reply sentences`,
  );
  return { rows, model: embedder.id };
}

async function main(): Promise<void> {
  const { rows, model } = await readRows();
  let best: { l2: number; threshold: number; caught: number; cv: StoredHead['crossValidated'] } | undefined;
  for (const l2 of L2S) {
    const scored: { p: number; row: Row }[] = [];
    for (const held of SEEN_SETS) {
      const head = fit(
        rows.filter((r) => r.set !== held),
        l2,
      );
      for (const row of rows.filter((r) => r.set === held)) scored.push({ p: head.score(row.view), row });
    }
    const threshold = pickThreshold(scored);
    const cv = perSet(scored, threshold);
    const caught = Object.values(cv).reduce((n, s) => n + s.caught, 0);
    const fp = Object.values(cv).reduce((n, s) => n + s.falseAlarms, 0);
    console.log(
      `l2 ${l2}: leave-one-set-out ${caught} caught, ${fp} false alarms at threshold ${threshold.toFixed(3)}; ` +
        Object.entries(cv)
          .map(([s, m]) => `${s} ${m.caught}/${m.violating} fp ${m.falseAlarms}/${m.benign}`)
          .join(', '),
    );
    if (!best || caught > best.caught) best = { l2, threshold, caught, cv };
  }
  if (cvOnly) return;
  const head = fit(rows, best!.l2);
  const pool = (violating: boolean) =>
    packVectors(rows.filter((r) => r.violating === violating).map((r) => r.view.whole));
  const stored: StoredHead = {
    model,
    trainedOn: SEEN_SETS,
    l2: best!.l2,
    epochs: EPOCHS,
    minCount: MIN_COUNT,
    crossValidated: best!.cv,
    threshold: Number(best!.threshold.toPrecision(6)),
    vocabulary: head.vocabulary,
    pool: { violating: pool(true), benign: pool(false) },
    weights: Array.from(head.weights, (x) => Number(x.toPrecision(6))),
  };
  const file = path.join(__dirname, '..', 'activities', 'guardrail', HEAD_FILE);
  fs.writeFileSync(file, JSON.stringify(stored) + '\n');
  console.log(`chose l2 ${best!.l2}, threshold ${best!.threshold.toFixed(3)}; wrote ${file}`);
}

void main();
