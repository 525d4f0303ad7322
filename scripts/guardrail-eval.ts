/**
 * The guardrail on the paraphrase sets (test/fixtures/guardrail), per set: the rules (the default live
 * guardrail, and what serves without the embedding model) and the meaning head (activities/guardrail/live.ts,
 * live with GUARDRAIL_MODEL=meaning). On the eight seen sets the head's figure is in-sample (its
 * cross-validated figure per set is printed beside it, from meaning-head.json); the unseen sets were never
 * trained or tuned on.
 * Usage: `npx tsx scripts/guardrail-eval.ts [--unseen] [modelDir]` (--unseen: only the unseen sets).
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkDraftPolicy } from '../activities/guardrail';
import { loadPolicyGuardrail } from '../activities/guardrail/live';
import { HEAD_FILE, type StoredHead } from '../activities/guardrail/meaning';
import { FIXTURE_DIR, readGuardrailSet, SEEN_SETS, UNSEEN_SETS } from '../activities/guardrail/sets';
import { config } from '../core/config';

const pct = (n: number, d: number) => `${n}/${d} (${((100 * n) / d).toFixed(1)} %)`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unseenOnly = args.includes('--unseen');
  const live = await loadPolicyGuardrail(args.find((a) => !a.startsWith('--')) ?? config().triage.embeddingDir);
  const stored = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', 'activities', 'guardrail', HEAD_FILE), 'utf8'),
  ) as StoredHead;
  const verbose = process.env.GUARDRAIL_EVAL_VERBOSE === '1';
  console.log(`meaning guardrail: ${live.id}`);
  for (const set of [...(unseenOnly ? [] : SEEN_SETS), ...UNSEEN_SETS]) {
    const seen = (SEEN_SETS as readonly string[]).includes(set);
    if (!fs.existsSync(path.join(FIXTURE_DIR, `violating${set}.txt`))) {
      console.log(`${set}: not written yet`);
      continue;
    }
    const rows: { text: string; violating: boolean; rules: boolean; meaning: boolean }[] = [];
    for (const violating of [true, false])
      for (const text of readGuardrailSet(set, violating))
        rows.push({
          text,
          violating,
          rules: Boolean(checkDraftPolicy(text)),
          meaning: Boolean(await live.check(text)),
        });
    const v = rows.filter((r) => r.violating);
    const b = rows.filter((r) => !r.violating);
    const name = set || '-first';
    const cv = stored.crossValidated[name];
    console.log(`${name} ${seen ? '(seen: meaning head in-sample)' : '(unseen)'}`);
    for (const key of ['rules', 'meaning'] as const) {
      const caught = v.filter((r) => r[key]).length;
      const fp = b.filter((r) => r[key]).length;
      console.log(`  ${key}: recall ${pct(caught, v.length)}, false positives ${pct(fp, b.length)}`);
    }
    if (cv)
      console.log(
        `  head, left out of training: recall ${pct(cv.caught, cv.violating)}, false positives ${pct(cv.falseAlarms, cv.benign)}`,
      );
    if (verbose && !seen)
      for (const r of rows)
        if (r.violating !== r.meaning) console.log(`  ${r.violating ? 'missed' : 'false alarm'}: ${r.text}`);
  }
}

void main();
