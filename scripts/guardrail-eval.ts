/**
 * The guardrail on the paraphrase sets (test/fixtures/guardrail): the rules alone, the meaning head alone
 * (activities/guardrail/meaning-head.json, trained on the five seen sets only by scripts/guardrail-train.ts)
 * and both together, as the guardrail runs them. On the seen sets the head's figure is in-sample; the sixth
 * and seventh sets were never trained or tuned on. Usage: `npx tsx scripts/guardrail-eval.ts [modelDir]`.
 */
import { checkDraftPolicy } from '../activities/guardrail';
import { meaningGuardrail, readHead } from '../activities/guardrail/meaning';
import { readGuardrailSet, SEEN_SETS, UNSEEN_SETS } from '../activities/guardrail/sets';
import { config } from '../core/config';
import { loadEmbedder } from '../core/embedding';

const pct = (n: number, d: number) => `${n}/${d} (${((100 * n) / d).toFixed(1)} %)`;

async function main(): Promise<void> {
  const embedder = await loadEmbedder(process.argv[2] ?? config().triage.embeddingDir);
  const head = readHead();
  if (!embedder || !head) throw new Error('the embedding model or the trained head is missing');
  const meaning = meaningGuardrail(embedder, head);
  const verbose = process.env.GUARDRAIL_EVAL_VERBOSE === '1';
  for (const set of [...SEEN_SETS, ...UNSEEN_SETS]) {
    const rows: { text: string; violating: boolean; rules: boolean; head: boolean }[] = [];
    for (const violating of [true, false])
      for (const text of readGuardrailSet(set, violating))
        rows.push({
          text,
          violating,
          rules: Boolean(checkDraftPolicy(text)),
          head: (await meaning.flagged(text)).length > 0,
        });
    const v = rows.filter((r) => r.violating);
    const b = rows.filter((r) => !r.violating);
    const count = (xs: typeof rows, f: (r: (typeof rows)[number]) => boolean) => xs.filter(f).length;
    const name = set || '-first';
    const seen = (SEEN_SETS as readonly string[]).includes(set) ? ' (seen: head in-sample)' : ' (unseen)';
    console.log(`${name}${seen}`);
    for (const [label, f] of [
      ['rules', (r: (typeof rows)[number]) => r.rules],
      ['head', (r: (typeof rows)[number]) => r.head],
      ['rules or head', (r: (typeof rows)[number]) => r.rules || r.head],
    ] as const)
      console.log(`  ${label}: recall ${pct(count(v, f), v.length)}, false positives ${pct(count(b, f), b.length)}`);
    if (verbose && !seen.includes('seen:'))
      for (const r of rows)
        if (r.violating !== (r.rules || r.head)) console.log(`  ${r.violating ? 'missed' : 'false alarm'}: ${r.text}`);
  }
}

void main();
