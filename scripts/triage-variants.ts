/**
 * npx tsx scripts/triage-variants.ts
 * Ensemble variants of the semantic triage side by side, in 5-fold cross-validation on the learning files
 * only (TRIAGE_EXAMPLES; never the held-out split): the topic as a blend of the heads, the nearest examples
 * and the class centroids; the sensitivity threshold fixed (shipped) or chosen per outer fold by an inner
 * 4-fold cross-validation on that fold's training part alone (nested), as the lowest P among the sensitive
 * tickets the rules missed, so the inner folds have recall 1.0. Same folds as `eval:triage -- --cv`.
 */
import { config } from '../core/config';
import { loadEmbedder } from '../core/embedding';
import { topics } from '../core/domain';
import { readLabelled, type LabelledTicket } from '../activities/triage/examples';
import { predict, train } from '../activities/triage/linear-head';
import { neighbourVotes, type Memory } from '../activities/triage/neighbours';
import { prototypes } from '../activities/triage/prototypes';
import { classify } from '../activities/triage/rules-model';
import { asSeen, exampleFeatures, memoryOf } from '../activities/triage/semantic-load';
import { DESIGN } from '../activities/triage/design';
import { trainHeads } from '../activities/triage/semantic-model';

const { sensitiveThreshold: SENSITIVE_THRESHOLD, topicMinProbability: TOPIC_MIN_PROBABILITY } = DESIGN;

interface Data {
  rows: LabelledTicket[];
  xs: Float64Array[];
  vectors: Float32Array[];
  byRules: boolean[];
}

/** Softmax over the cosine to each class's mean vector, sharpened like the neighbours' vote. */
function centroidVote(memory: Memory, v: Float32Array, sharpness: number): number[] {
  const sums = topics.map(() => new Float64Array(v.length));
  memory.vectors.forEach((m, i) => {
    const s = sums[topics.indexOf(memory.topics[i]!)]!;
    for (let d = 0; d < v.length; d++) s[d]! += m[d]!;
  });
  const cos = sums.map((s) => {
    const norm = Math.sqrt(s.reduce((a, x) => a + x * x, 0)) || 1;
    return s.reduce((a, x, d) => a + (x / norm) * v[d]!, 0);
  });
  const max = Math.max(...cos);
  const e = cos.map((c) => Math.exp((c - max) * sharpness));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / total);
}

const SENS_OPTIONS = { l2: 0.001, epochs: 300, rate: 1, classWeight: { true: 3 } };

/** P(sensitive) of `test` rows from a head and a memory learnt on `learn` rows: half head, half neighbours. */
function pSensitive(d: Data, learn: number[], test: number[]): number[] {
  const head = train(
    learn.map((i) => d.xs[i]!),
    learn.map((i) => String(d.rows[i]!.is_sensitive)),
    ['true', 'false'],
    SENS_OPTIONS,
  );
  const memory = memoryOf(
    learn.map((i) => d.vectors[i]!),
    learn.map((i) => d.rows[i]!),
  );
  return test.map((i) => 0.5 * predict(head, d.xs[i]!)[0]! + 0.5 * neighbourVotes(memory, d.vectors[i]!).sensitive);
}

/** The threshold an inner 4-fold CV on `learn` alone needs for recall 1.0 on what the rules miss. */
function nestedThreshold(d: Data, learn: number[]): number {
  let threshold = 1;
  for (let inner = 0; inner < 4; inner++) {
    const fit = learn.filter((_, k) => k % 4 !== inner);
    const held = learn.filter((_, k) => k % 4 === inner);
    const ps = pSensitive(d, fit, held);
    held.forEach((i, k) => {
      if (d.rows[i]!.is_sensitive && !d.byRules[i]) threshold = Math.min(threshold, ps[k]!);
    });
  }
  return threshold;
}

const BLENDS: [string, number, number, number][] = [
  ['head 0.5 + nearest 0.5 (shipped)', 0.5, 0.5, 0],
  ['head 0.4 + nearest 0.4 + centroid 0.2', 0.4, 0.4, 0.2],
  ['head 0.34 + nearest 0.33 + centroid 0.33', 0.34, 0.33, 0.33],
  ['head 0.5 + nearest 0.3 + centroid 0.2', 0.5, 0.3, 0.2],
  ['head 0.4 + nearest 0.5 + centroid 0.1', 0.4, 0.5, 0.1],
];

async function main() {
  const embedder = (await loadEmbedder(config().triage.embeddingDir))!;
  const rows = config().triage.examples.flatMap((f) => readLabelled(f));
  const protos = await embedder.embed(prototypes);
  const { xs, vectors } = await exampleFeatures(embedder, protos, rows);
  const byRules = rows.map((r) => {
    const { seen, entities } = asSeen(r);
    return classify(seen, entities).risk !== 'none';
  });
  const d: Data = { rows, xs, vectors, byRules };
  const right = BLENDS.map(() => 0);
  // true positives, flagged, sensitive
  const sens: Record<'fixed' | 'nested', [number, number, number]> = { fixed: [0, 0, 0], nested: [0, 0, 0] };
  const thresholds: number[] = [];
  for (let fold = 0; fold < 5; fold++) {
    const learn = rows.map((_, i) => i).filter((i) => i % 5 !== fold);
    const test = rows.map((_, i) => i).filter((i) => i % 5 === fold);
    const heads = trainHeads(
      learn.map((i) => xs[i]!),
      learn.map((i) => rows[i]!),
    );
    const memory = memoryOf(
      learn.map((i) => vectors[i]!),
      learn.map((i) => rows[i]!),
    );
    for (const i of test) {
      const head = predict(heads.topic, xs[i]!);
      const near = neighbourVotes(memory, vectors[i]!).topic;
      const cent = centroidVote(memory, vectors[i]!, 20);
      BLENDS.forEach(([, h, n, c], b) => {
        const p = head.map((x, k) => h * x + n * near[k]! + c * cent[k]!);
        const best = p.indexOf(Math.max(...p));
        const topic = p[best]! < TOPIC_MIN_PROBABILITY ? 'unknown' : heads.topic.classes[best];
        if (topic === rows[i]!.topic) right[b]!++;
      });
    }
    const threshold = nestedThreshold(d, learn);
    thresholds.push(threshold);
    const ps = pSensitive(d, learn, test);
    test.forEach((i, k) => {
      for (const [name, t] of [
        ['fixed', SENSITIVE_THRESHOLD],
        ['nested', threshold],
      ] as const) {
        const flagged = byRules[i]! || ps[k]! >= t;
        const s = sens[name];
        if (flagged && rows[i]!.is_sensitive) s[0]++;
        if (flagged) s[1]++;
        if (rows[i]!.is_sensitive) s[2]++;
      }
    });
  }
  const out = [`5-fold CV on ${rows.length} learning tickets`];
  BLENDS.forEach(([name], b) => out.push(`topic ${name.padEnd(42)} ${(right[b]! / rows.length).toFixed(3)}`));
  for (const [name, [tp, flagged, pos]] of Object.entries(sens))
    out.push(`sensitive ${name.padEnd(7)} recall ${(tp / pos).toFixed(3)} precision ${(tp / flagged).toFixed(3)}`);
  out.push(`nested thresholds per fold: ${thresholds.map((t) => t.toFixed(3)).join(' ')}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`triage-variants: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
