/**
 * Trains the guardrail's meaning head (activities/guardrail/meaning.ts) on the seven seen paraphrase sets and
 * picks its L2 penalty and threshold by leave-one-set-out cross-validation: each set is scored by a head
 * trained on the other six (its vocabulary too), so the figures printed are how the head does on wording it
 * has not seen. The threshold is the lowest at which the pooled held-out benign sentences flagged stay
 * within FP_BUDGET. The unseen sets (sets.ts UNSEEN_SETS) are never read here.
 * Writes activities/guardrail/meaning-head.json.
 * Usage: `npx tsx scripts/guardrail-train.ts [modelDir]` (default: the configured embedding directory).
 */
import fs from 'node:fs';
import path from 'node:path';
import { probability, trainLogistic } from '../activities/guardrail/logistic';
import { HEAD_FILE, type StoredHead } from '../activities/guardrail/meaning';
import {
  buildVocabulary,
  featureCount,
  sentenceViews,
  withGrams,
  type SentenceView,
} from '../activities/guardrail/meaning-features';
import { readGuardrailSet, SEEN_SETS } from '../activities/guardrail/sets';
import { createKnowledgeBase } from '../activities/knowledge';
import { productSentences } from './guardrail-replies';
import { config } from '../core/config';
import { loadEmbedder } from '../core/embedding';

const L2S = [5e-4, 1e-3];
const EPOCHS = 600;
const RATE = 0.005;
const MIN_COUNT = 2;
/** The product's own reply sentences (guardrail-replies.ts): benign rows in every fold, never held out. */
const PRODUCT = '-product';
/** The cross-validated false-positive rate the threshold may cost, below the 5 % limit to leave a margin. */
const FP_BUDGET = 0.04;

interface Row {
  view: SentenceView;
  violating: boolean;
  set: string;
}

function fit(rows: Row[], l2: number) {
  const vocabulary = buildVocabulary(
    rows.map((r) => r.view.grams),
    MIN_COUNT,
  );
  const index = new Map(vocabulary.map((g, i) => [g, i]));
  const weights = trainLogistic(
    rows.map((r) => withGrams(r.view, index)),
    rows.map((r) => r.violating),
    featureCount(vocabulary),
    { l2, epochs: EPOCHS, rate: RATE },
  );
  return { vocabulary, weights, score: (v: SentenceView) => probability(weights, withGrams(v, index)) };
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

async function main(): Promise<void> {
  const embedder = await loadEmbedder(process.argv[2] ?? config().triage.embeddingDir);
  if (!embedder) throw new Error('no embedding model installed: run `npm run infra -- model` first');
  const rows: Row[] = [];
  for (const set of SEEN_SETS)
    for (const violating of [true, false])
      for (const view of await sentenceViews(embedder, readGuardrailSet(set, violating)))
        rows.push({ view, violating, set });
  const cfg = config();
  const kb = createKnowledgeBase({ sopsDir: cfg.knowledge.sopsDir, scoreFloor: cfg.knowledge.scoreFloor });
  const product = productSentences(kb.all());
  for (const view of await sentenceViews(embedder, product)) rows.push({ view, violating: false, set: PRODUCT });
  console.log(`${rows.length} rows, ${product.length} of them the product's own reply sentences`);
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
  const head = fit(rows, best!.l2);
  const stored: StoredHead = {
    model: embedder.id,
    trainedOn: SEEN_SETS,
    l2: best!.l2,
    epochs: EPOCHS,
    minCount: MIN_COUNT,
    crossValidated: best!.cv,
    threshold: Number(best!.threshold.toPrecision(6)),
    vocabulary: head.vocabulary,
    weights: Array.from(head.weights, (x) => Number(x.toPrecision(6))),
  };
  const file = path.join(__dirname, '..', 'activities', 'guardrail', HEAD_FILE);
  fs.writeFileSync(file, JSON.stringify(stored) + '\n');
  console.log(`chose l2 ${best!.l2}, threshold ${best!.threshold.toFixed(3)}; wrote ${file}`);
}

void main();
