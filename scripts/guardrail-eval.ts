/**
 * The guardrail on the paraphrase sets (test/fixtures/guardrail), per set: the rules (the default live
 * guardrail, and what serves without the embedding model) and the meaning head (activities/guardrail/live.ts,
 * live with GUARDRAIL_MODEL=meaning), and any other head named with --head, side by side in one run. On the
 * nine seen sets the head's figure is in-sample (its cross-validated figure per set is printed beside it, from
 * meaning-head.json); the unseen sets were never trained or tuned on.
 * Usage: `npx tsx scripts/guardrail-eval.ts [--unseen] [--head name=head.json@modelDir ...] [modelDir]`
 * (--unseen: only the unseen sets; --head: e.g. an earlier head, `git show <commit>:activities/guardrail/
 * meaning-head.json`, with the encoder it was trained on). Prints the milliseconds per sentence of each.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadPolicyGuardrail, rulesGuardrail, type PolicyGuardrail } from '../activities/guardrail/live';
import { HEAD_FILE, readHead, type StoredHead } from '../activities/guardrail/meaning';
import { FIXTURE_DIR, readGuardrailSet, SEEN_SETS, UNSEEN_SETS } from '../activities/guardrail/sets';
import { config } from '../core/config';

const pct = (n: number, d: number) => `${n}/${d} (${((100 * n) / d).toFixed(1)} %)`;

async function guardrails(args: string[]): Promise<[string, PolicyGuardrail][]> {
  const heads = args.filter((_, i) => args[i - 1] === '--head');
  const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--head');
  const out: [string, PolicyGuardrail][] = [
    ['rules', rulesGuardrail()],
    ['meaning', await loadPolicyGuardrail(dir ?? config().guardrail.embeddingDir)],
  ];
  for (const h of heads) {
    const m = /^([\w-]+)=(.+)@(.+)$/.exec(h);
    if (!m) throw new Error(`--head wants name=head.json@modelDir, got ${h}`);
    out.push([m[1]!, await loadPolicyGuardrail(m[3]!, readHead(m[2]))]);
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unseenOnly = args.includes('--unseen');
  const all = await guardrails(args);
  const stored = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', 'activities', 'guardrail', HEAD_FILE), 'utf8'),
  ) as StoredHead;
  const verbose = process.env.GUARDRAIL_EVAL_VERBOSE === '1';
  for (const [name, g] of all) console.log(`${name}: ${g.id}`);
  const ms = new Map<string, { total: number; n: number }>();
  for (const set of [...(unseenOnly ? [] : SEEN_SETS), ...UNSEEN_SETS]) {
    const seen = (SEEN_SETS as readonly string[]).includes(set);
    if (!fs.existsSync(path.join(FIXTURE_DIR, `violating${set}.txt`))) {
      console.log(`${set}: not written yet`);
      continue;
    }
    const rows: { text: string; violating: boolean; flagged: Map<string, boolean> }[] = [];
    for (const violating of [true, false])
      for (const text of readGuardrailSet(set, violating)) {
        const flagged = new Map<string, boolean>();
        for (const [name, g] of all) {
          const t0 = performance.now();
          flagged.set(name, Boolean(await g.check(text)));
          const m = ms.get(name) ?? { total: 0, n: 0 };
          ms.set(name, { total: m.total + performance.now() - t0, n: m.n + 1 });
        }
        rows.push({ text, violating, flagged });
      }
    const v = rows.filter((r) => r.violating);
    const b = rows.filter((r) => !r.violating);
    const setName = set || '-first';
    const cv = stored.crossValidated[setName];
    console.log(`${setName} ${seen ? '(seen: meaning head in-sample)' : '(unseen)'}`);
    for (const [name] of all) {
      const caught = v.filter((r) => r.flagged.get(name)).length;
      const fp = b.filter((r) => r.flagged.get(name)).length;
      console.log(`  ${name}: recall ${pct(caught, v.length)}, false positives ${pct(fp, b.length)}`);
    }
    if (cv)
      console.log(
        `  head, left out of training: recall ${pct(cv.caught, cv.violating)}, false positives ${pct(cv.falseAlarms, cv.benign)}`,
      );
    if (verbose && !seen)
      for (const r of rows)
        for (const [name] of all)
          if (r.violating !== r.flagged.get(name))
            console.log(`  ${name} ${r.violating ? 'missed' : 'false alarm'}: ${r.text}`);
  }
  for (const [name, m] of ms) console.log(`${name}: ${(m.total / m.n).toFixed(2)} ms per sentence`);
}

void main();
