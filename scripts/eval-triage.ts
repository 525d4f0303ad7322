/**
 * npm run eval:triage -- [--model rules|semantic|llm] [--file labelled.jsonl] [--cv] [--misses]
 * Scores a triage model on a labelled JSONL file and prints the figures and a
 * confusion matrix per field. Without --model it scores what the process would run (an LLM when
 * OPENAI_API_KEY is set, else the semantic model when installed, else the rules). --model llm uses
 * OPENAI_API_KEY, OPENAI_BASE_URL and OPENAI_MODEL, so any OpenAI-compatible server can be measured.
 * --cv is the calibration tool: 5-fold cross-validation of the semantic heads on the files the model
 * learns from (TRIAGE_EXAMPLES: the train split, the older development set and the two spent held-out sets),
 * never the held-out set in use; scripts/triage-cv.ts compares design variants the same way.
 * The default file is heldout3.jsonl, the shipped MiniLM's blind set (round five); heldout4.jsonl was spent in
 * round six on e5-small's look. heldout.jsonl and heldout2.jsonl are learnt from (see docs/triage.md, "The
 * labelled data"): scoring them measures the training fit.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { config } from '../core/config';
import { loadEmbedder } from '../core/embedding';
import { modelFromConfig } from '../core/llm';
import { createTriage } from '../activities/triage';
import { triageFromConfig } from '../activities/triage/configured';
import {
  formatCalibration,
  formatConfusion,
  formatScores,
  fullRecallThreshold,
  scoreTriage,
  type Prediction,
  type SensitivityPoint,
  type Scores,
} from '../activities/triage/evaluation';
import { readLabelled, type LabelledTicket } from '../activities/triage/examples';
import { manipulationCues } from '../activities/triage/manipulation';
import { prototypes } from '../activities/triage/prototypes';
import { classify } from '../activities/triage/rules-model';
import { neighbourVotes } from '../activities/triage/neighbours';
import { asSeen, exampleFeatures, memoryOf } from '../activities/triage/semantic-load';
import { centredFold, centres } from '../activities/triage/centre';
import { DESIGN } from '../activities/triage/design';
import { semanticClassify, trainHeads } from '../activities/triage/semantic-model';
import type { Triage } from '../activities/ports';

const fixtures = path.join(__dirname, '..', 'test', 'fixtures', 'triage');

async function triageFor(model: string | undefined): Promise<Triage> {
  const cfg = config();
  if (model === 'rules') return createTriage();
  if (model === 'llm') {
    const llm = modelFromConfig(cfg);
    if (!llm) throw new Error('--model llm needs OPENAI_API_KEY (and OPENAI_BASE_URL for a server other than OpenAI)');
    return createTriage(llm);
  }
  if (model === 'semantic') return triageFromConfig({ ...cfg, triage: { ...cfg.triage, model: 'semantic' } });
  if (model !== undefined) throw new Error(`--model must be rules, semantic or llm, not ${model}`);
  return triageFromConfig(cfg, modelFromConfig(cfg));
}

async function predictAll(
  triage: Triage,
  rows: LabelledTicket[],
): Promise<{ predictions: Prediction[]; model: string }> {
  const predictions: Prediction[] = [];
  let model = '';
  for (const r of rows) {
    const out = await triage.triage({ ticketId: `eval-${r.id}`, userId: 'eval', orgId: 'eval' }, r.query);
    model = out.model;
    const confidence = out.confidence && { topic: out.confidence.topic, risk: out.security.confidence_score };
    predictions.push({ ...out.analysis, risk_category: out.security.risk_category, confidence });
  }
  return { predictions, model };
}

/** 5-fold cross-validation on the train split: the only figures the thresholds were chosen from. */
async function crossValidate(
  rows: LabelledTicket[],
): Promise<{ predictions: Prediction[]; model: string; note: string }> {
  const embedder = await loadEmbedder(config().triage.embeddingDir);
  if (!embedder) throw new Error('--cv needs the embedding model (npm run infra -- start installs it)');
  const rawProtos = await embedder.embed(prototypes);
  const raw = await exampleFeatures(embedder, rawProtos, rows);
  const seen = rows.map((r) => asSeen(r));
  const rulesOf = seen.map((s) => classify(s.seen, s.entities));
  const predictions = new Array<Prediction>(rows.length);
  const points = new Array<SensitivityPoint>(rows.length);
  for (let fold = 0; fold < 5; fold++) {
    const trainIdx = rows.map((_, i) => i).filter((i) => i % 5 !== fold);
    // A centring design centres on this fold's learning rows only (centre.ts).
    const { xs, vectors } = centres(embedder.id) ? centredFold(raw.vectors, rawProtos, rulesOf, trainIdx) : raw;
    const learnt = trainIdx.map((i) => rows[i]!);
    const heads = trainHeads(
      trainIdx.map((i) => xs[i]!),
      learnt,
    );
    const memory = memoryOf(
      trainIdx.map((i) => vectors[i]!),
      learnt,
    );
    for (let i = fold; i < rows.length; i += 5) {
      const { seen: text } = seen[i]!;
      const votes = neighbourVotes(memory, vectors[i]!);
      const rules = rulesOf[i]!;
      const v = semanticClassify(heads, xs[i]!, rules, manipulationCues(text), votes);
      const confidence = { topic: v.confidence.topic, risk: v.confidence.risk };
      predictions[i] = { ...v.analysis, manipulation: v.manipulation, risk_category: v.risk, confidence };
      points[i] = { p: v.pSensitive, sensitive: rows[i]!.is_sensitive, byRules: rules.risk !== 'none' };
    }
  }
  const full = fullRecallThreshold(points);
  const note = `sensitive threshold for recall 1.0 in this cross-validation: ${full.threshold.toFixed(3)} (precision ${full.precision.toFixed(3)}); in use ${DESIGN.sensitiveThreshold}`;
  return { predictions, model: `semantic-v2:${embedder.id} (5-fold cross-validation)`, note };
}

export function report(title: string, s: Scores, misses: boolean): string {
  const parts = [formatScores(title, s), ''];
  for (const [name, m] of Object.entries(s.confusion)) parts.push(formatConfusion(name, m), '');
  if (s.calibration)
    parts.push(
      formatCalibration('topic', s.calibration.topic),
      formatCalibration('risk (flagged)', s.calibration.risk),
      '',
    );
  if (misses && s.misses.length) parts.push('misses:', ...s.misses.map((m) => `  ${m}`));
  return parts.join('\n');
}

async function main() {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      file: { type: 'string' },
      cv: { type: 'boolean', default: false },
      misses: { type: 'boolean', default: false },
    },
  });
  const files = values.file
    ? [values.file]
    : values.cv
      ? config().triage.examples
      : [path.join(fixtures, 'heldout3.jsonl')];
  const rows = files.flatMap((f) => readLabelled(f));
  const file = files.map((f) => path.relative(process.cwd(), f)).join(' + ');
  const { predictions, model, note } = values.cv
    ? await crossValidate(rows)
    : { ...(await predictAll(await triageFor(values.model), rows)), note: '' };
  process.stdout.write(`${report(`${model} on ${file}`, scoreTriage(rows, predictions), values.misses)}\n`);
  if (note) process.stdout.write(`${note}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`eval-triage: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
