/**
 * Accuracy of the rules model on the labeled tickets, per field, with floors. tickets.jsonl is the
 * development set; tickets-holdout.jsonl was written later and first scored before any tuning on it
 * (topic 0.917, sensitive recall 0.875, risk 0.875 at that first look).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createTriage } from '../../activities/triage';
import type { TriageResult } from '../../core/domain';

interface Labeled {
  id: string;
  query: string;
  topic: string;
  topics: string[];
  is_sensitive: boolean;
  risk_category: string;
  urgency: string;
  tone: string;
}

const load = (name: string): Labeled[] =>
  fs
    .readFileSync(path.join(__dirname, '..', 'fixtures', name), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Labeled);

interface Report {
  n: number;
  fields: Record<string, number>;
  sensitiveRecall: number;
  sensitivePrecision: number;
  misses: string[];
}

async function evaluate(rows: Labeled[]): Promise<Report> {
  const triage = createTriage();
  const hits: Record<string, number> = { topic: 0, topics: 0, is_sensitive: 0, risk_category: 0, urgency: 0, tone: 0 };
  let tp = 0;
  let fn = 0;
  let fp = 0;
  const misses: string[] = [];
  for (const r of rows) {
    const out: TriageResult = await triage.triage({ ticketId: `acc-${r.id}`, userId: 'u', orgId: 'o' }, r.query);
    const a = out.analysis;
    const got: Record<string, unknown> = {
      topic: a.topic,
      topics: [...a.topics].sort().join('+'),
      is_sensitive: a.is_sensitive,
      risk_category: out.security.risk_category,
      urgency: a.urgency,
      tone: a.tone,
    };
    const want: Record<string, unknown> = { ...r, topics: [...r.topics].sort().join('+') };
    for (const k of Object.keys(hits)) {
      if (got[k] === want[k]) hits[k]!++;
      else if (k === 'topic' || k === 'risk_category' || k === 'is_sensitive')
        misses.push(`${r.id} ${k}: got ${String(got[k])}, want ${String(want[k])}`);
    }
    if (r.is_sensitive && a.is_sensitive) tp++;
    if (r.is_sensitive && !a.is_sensitive) fn++;
    if (!r.is_sensitive && a.is_sensitive) fp++;
  }
  const fields = Object.fromEntries(Object.entries(hits).map(([k, v]) => [k, v / rows.length]));
  return {
    n: rows.length,
    fields,
    sensitiveRecall: tp / Math.max(1, tp + fn),
    sensitivePrecision: tp / Math.max(1, tp + fp),
    misses,
  };
}

function table(name: string, r: Report): string {
  const lines = [`rules-v1 on ${name} (${r.n} tickets)`, 'field            accuracy'];
  for (const [k, v] of Object.entries(r.fields)) lines.push(`${k.padEnd(16)} ${v.toFixed(3)}`);
  lines.push(
    `${'sensitive recall'.padEnd(16)} ${r.sensitiveRecall.toFixed(3)}`,
    `${'sensitive prec.'.padEnd(16)} ${r.sensitivePrecision.toFixed(3)}`,
  );
  if (r.misses.length) lines.push(`misses: ${r.misses.join(' | ')}`);
  return lines.join('\n');
}

describe('triage accuracy (rules model)', () => {
  const dev = load('tickets.jsonl');
  const holdout = load('tickets-holdout.jsonl');

  it('the labeled set covers every team, unknown and every risk category, with at least 60 tickets', () => {
    assert.ok(dev.length >= 60, `${dev.length} tickets`);
    for (const t of ['A&S', 'Billing', 'Enterprise', 'DevSupport', 'Workers', 'ShotGun', 'Discourse', 'unknown'])
      assert.ok(
        dev.some((r) => r.topic === t),
        t,
      );
    for (const c of ['none', 'ATO', 'PII_LEAK', 'TOKEN_EXPOSURE', 'LEGAL_THREAT'])
      assert.ok(
        dev.some((r) => r.risk_category === c),
        c,
      );
    assert.ok(
      dev.some((r) => r.topics.length > 0),
      'multi-topic',
    );
  });

  it('meets the floors on the labeled set: topic >= 0.9, sensitive recall 1.0, risk >= 0.9', async (t) => {
    const r = await evaluate(dev);
    const text = table('tickets.jsonl', r);
    for (const line of text.split('\n')) t.diagnostic(line);
    console.log(text);
    assert.ok(r.fields.topic! >= 0.9, `topic ${r.fields.topic}`);
    assert.equal(r.sensitiveRecall, 1, 'every sensitive ticket must be flagged');
    assert.ok(r.fields.risk_category! >= 0.9, `risk ${r.fields.risk_category}`);
  });

  it('holds up on the held-out tickets (floors: topic >= 0.85, sensitive recall >= 0.85, risk >= 0.85)', async (t) => {
    const r = await evaluate(holdout);
    const text = table('tickets-holdout.jsonl', r);
    for (const line of text.split('\n')) t.diagnostic(line);
    console.log(text);
    assert.ok(r.fields.topic! >= 0.85, `topic ${r.fields.topic}`);
    assert.ok(r.sensitiveRecall >= 0.85, `sensitive recall ${r.sensitiveRecall}`);
    assert.ok(r.fields.risk_category! >= 0.85, `risk ${r.fields.risk_category}`);
  });
});
