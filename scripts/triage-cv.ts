/**
 * npx tsx scripts/triage-cv.ts [--files a.jsonl,b.jsonl] [--variants name,name] [--misses]
 * Design variants of the semantic triage side by side, each scored two ways over every labelled file it may
 * learn from: 5-fold cross-validation (every fifth ticket of the pooled files), and leave-one-file-out (learn
 * from the other files, score the one left out: a file written by another hand is the nearest thing to
 * fresh tickets). The same code serves (semanticClassify with a TriageDesign), so a variant's figures are
 * the design's, not a re-implementation's. Never give it a blind set: scoring one here spends it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { config } from '../core/config';
import { loadEmbedder } from '../core/embedding';
import { formatScores, scoreTriage, type Prediction } from '../activities/triage/evaluation';
import { readLabelled, type LabelledTicket } from '../activities/triage/examples';
import { manipulationCues } from '../activities/triage/manipulation';
import { neighbourVotes, type Memory } from '../activities/triage/neighbours';
import { prototypes } from '../activities/triage/prototypes';
import { classify, type RulesVerdict } from '../activities/triage/rules-model';
import { asSeen, exampleFeatures, memoryOf, revivedHeads, storedHeads } from '../activities/triage/semantic-load';
import { centredFold } from '../activities/triage/centre';
import { semanticClassify, trainHeads, type SemanticHeads } from '../activities/triage/semantic-model';
import { VARIANTS } from './triage-cv-variants';
import type { TriageDesign } from '../activities/triage/design';

const CREDENTIAL_KINDS = new Set(['token', 'aws_key', 'jwt', 'secret']);

interface Pool {
  rows: LabelledTicket[];
  file: string[];
  xs: Float64Array[];
  vectors: Float32Array[];
  rules: RulesVerdict[];
  seen: string[];
  credential: boolean[];
  protos: Float32Array[];
}

async function loadPool(files: string[]): Promise<Pool> {
  const embedder = await loadEmbedder(config().triage.embeddingDir);
  if (!embedder) throw new Error('needs the embedding model (npm run infra -- start installs it)');
  const perFile = files.map((f) => readLabelled(f).map((r) => [r, path.basename(f)] as const));
  const all = perFile.flat();
  const rows = all.map(([r]) => r);
  const protos = await embedder.embed(prototypes);
  const { xs, vectors } = await exampleFeatures(embedder, protos, rows);
  const seen: string[] = [];
  const rules: RulesVerdict[] = [];
  const credential: boolean[] = [];
  for (const r of rows) {
    const s = asSeen(r);
    seen.push(s.seen);
    rules.push(classify(s.seen, s.entities));
    credential.push(s.entities.some((e) => CREDENTIAL_KINDS.has(e.kind)));
  }
  return { rows, file: all.map(([, f]) => f), xs, vectors, rules, seen, credential, protos };
}

/** The pool as a centring design sees it in one fold: every vector centred on the learning rows' mean only. */
function centredPool(p: Pool, learn: number[]): Pool {
  return { ...p, ...centredFold(p.vectors, p.protos, p.rules, learn) };
}

/** Heads per fold and per training choice: variants that differ only after training share them. */
const trained = new Map<string, { heads: SemanticHeads; memory: Memory }>();

/** Trained heads kept on disk between runs (keyed by the learning rows' texts and labels and the training
 * choices), so a run that adds a variant trains only what is new. */
function headsOnDisk(p: Pool, learn: number[], design: TriageDesign): SemanticHeads {
  const hash = crypto.createHash('sha256');
  hash.update(JSON.stringify([design.l2, design.epochs, design.sensitiveWeight, design.urgency, design.centre]));
  for (const i of learn) hash.update(JSON.stringify([p.rows[i], p.xs[i]!.length, p.xs[i]![0]]));
  const file = path.join(os.tmpdir(), `triage-cv-heads-${hash.digest('hex').slice(0, 20)}.json`);
  if (fs.existsSync(file))
    return revivedHeads(JSON.parse(fs.readFileSync(file, 'utf8')) as Parameters<typeof revivedHeads>[0]);
  const heads = trainHeads(
    learn.map((i) => p.xs[i]!),
    learn.map((i) => p.rows[i]!),
    design,
  );
  fs.writeFileSync(file, JSON.stringify(storedHeads(heads)));
  return heads;
}

function learnFold(p: Pool, learn: number[], design: TriageDesign) {
  const key = JSON.stringify([learn, design.l2, design.epochs, design.sensitiveWeight, design.urgency, design.centre]);
  let got = trained.get(key);
  if (!got) {
    got = {
      heads: headsOnDisk(p, learn, design),
      memory: memoryOf(
        learn.map((i) => p.vectors[i]!),
        learn.map((i) => p.rows[i]!),
      ),
    };
    trained.set(key, got);
  }
  return got;
}

/** Predictions for `test` from heads and a memory learnt on `learn` only, as the served triage gives them. */
function predictFold(pool: Pool, learn: number[], test: number[], design: TriageDesign): Map<number, Prediction> {
  const p = design.centre ? centredPool(pool, learn) : pool;
  const { heads, memory } = learnFold(p, learn, design);
  const out = new Map<number, Prediction>();
  for (const i of test) {
    const votes = neighbourVotes(memory, p.vectors[i]!);
    const v = semanticClassify(heads, p.xs[i]!, p.rules[i]!, manipulationCues(p.seen[i]!), votes, design);
    const credential = p.credential[i]!;
    out.set(i, {
      ...v.analysis,
      is_sensitive: v.analysis.is_sensitive || credential,
      manipulation: v.manipulation,
      risk_category: credential ? 'TOKEN_EXPOSURE' : v.risk,
    });
  }
  return out;
}

function kFold(p: Pool, design: TriageDesign, k = 5): Prediction[] {
  const preds = new Array<Prediction>(p.rows.length);
  const idx = p.rows.map((_, i) => i);
  for (let fold = 0; fold < k; fold++) {
    const got = predictFold(
      p,
      idx.filter((i) => i % k !== fold),
      idx.filter((i) => i % k === fold),
      design,
    );
    for (const [i, pred] of got) preds[i] = pred;
  }
  return preds;
}

function leaveOneFileOut(
  p: Pool,
  design: TriageDesign,
  only?: string[],
): Map<string, [LabelledTicket[], Prediction[]]> {
  const out = new Map<string, [LabelledTicket[], Prediction[]]>();
  const idx = p.rows.map((_, i) => i);
  for (const f of new Set(p.file)) {
    if (only && !only.includes(f)) continue;
    const test = idx.filter((i) => p.file[i] === f);
    const got = predictFold(
      p,
      idx.filter((i) => p.file[i] !== f),
      test,
      design,
    );
    out.set(f, [test.map((i) => p.rows[i]!), test.map((i) => got.get(i)!)]);
  }
  return out;
}

async function main() {
  const { values } = parseArgs({
    options: {
      files: { type: 'string' },
      variants: { type: 'string' },
      'left-out': { type: 'string' },
      misses: { type: 'boolean', default: false },
    },
  });
  const files = values.files ? values.files.split(',') : config().triage.examples;
  const wanted = values.variants?.split(',');
  const pool = await loadPool(files);
  process.stdout.write(`${pool.rows.length} tickets from ${files.map((f) => path.basename(f)).join(', ')}\n`);
  for (const [name, design] of Object.entries(VARIANTS)) {
    if (wanted && !wanted.includes(name)) continue;
    const s = scoreTriage(pool.rows, kFold(pool, design));
    process.stdout.write(`\n== ${name}\n${formatScores('5-fold', s)}\n`);
    if (values.misses) process.stdout.write(`${s.misses.map((m) => `  ${m}`).join('\n')}\n`);
    for (const [f, [rows, preds]] of leaveOneFileOut(pool, design, values['left-out']?.split(','))) {
      const left = scoreTriage(rows, preds);
      process.stdout.write(`${formatScores(`left out ${f}`, left)}\n`);
      if (values.misses) process.stdout.write(`${left.misses.map((m) => `  ${m}`).join('\n')}\n`);
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`triage-cv: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
