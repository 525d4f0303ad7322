/**
 * `npm run eval:triage`: the scoring itself on a hand-checked case, and the command scoring an LLM reached
 * by URL (the local OpenAI-compatible server), printing figures and confusion matrices.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  calibration,
  formatConfusion,
  fullRecallThreshold,
  scoreTriage,
  type Prediction,
} from '../../activities/triage/evaluation';
import type { LabelledTicket } from '../../activities/triage/examples';
import { startFakeOpenAi } from './fake-openai';

const row = (
  id: string,
  topic: LabelledTicket['topic'],
  urgency: LabelledTicket['urgency'],
  risk: LabelledTicket['risk_category'],
  manipulation = false,
): LabelledTicket => ({
  id,
  query: `ticket ${id}`,
  topic,
  topics: [],
  urgency,
  tone: 'neutral',
  is_sensitive: risk !== 'none',
  risk_category: risk,
  manipulation,
});
const pred = (
  topic: Prediction['topic'],
  urgency: Prediction['urgency'],
  risk: Prediction['risk_category'],
  manipulation = false,
): Prediction => ({
  topic,
  topics: [],
  urgency,
  tone: 'neutral',
  is_sensitive: risk !== 'none',
  risk_category: risk,
  manipulation,
});

describe('triage evaluation', () => {
  it('scores per field: urgency within one level, sensitive recall and precision, manipulation, confusions', () => {
    const rows = [
      row('a', 'A&S', 'critical', 'ATO'),
      row('b', 'Billing', 'low', 'none', true),
      row('c', 'Workers', 'medium', 'none'),
      row('d', 'A&S', 'high', 'TOKEN_EXPOSURE'),
    ];
    const preds = [
      pred('A&S', 'high', 'ATO'),
      pred('Billing', 'high', 'ATO', true),
      pred('DevSupport', 'medium', 'none'),
      pred('A&S', 'low', 'none'),
    ];
    const s = scoreTriage(rows, preds);
    assert.equal(s.topic, 0.75);
    assert.equal(s.urgency, 0.25);
    assert.equal(s.urgencyWithinOne, 0.5, 'high for low and low for high are two levels off');
    assert.equal(s.sensitiveRecall, 0.5);
    assert.equal(s.sensitivePrecision, 0.5);
    assert.equal(s.manipulationRecall, 1);
    assert.equal(s.confusion.topic.Workers?.DevSupport, 1);
    assert.equal(s.confusion.risk.TOKEN_EXPOSURE?.none, 1);
    assert.match(formatConfusion('risk', s.confusion.risk), /^TOKEN_EXPOSURE\s+\.\s+\.\s+1\s*$/m);
  });

  it('the recall-1.0 threshold: the lowest P among sensitive tickets the rules missed, and its precision', () => {
    const points = [
      { p: 0.9, sensitive: true, byRules: false },
      { p: 0.35, sensitive: true, byRules: false },
      { p: 0.05, sensitive: true, byRules: true }, // the rules flag it: it does not pull the threshold down
      { p: 0.5, sensitive: false, byRules: false },
      { p: 0.34, sensitive: false, byRules: false },
      { p: 0.1, sensitive: false, byRules: false },
    ];
    const { threshold, precision } = fullRecallThreshold(points);
    assert.equal(threshold, 0.35);
    assert.equal(precision, 3 / 4, 'flagged: 0.9, 0.35, the rules one, and the 0.5 false alarm');
    assert.deepEqual(fullRecallThreshold([{ p: 0.2, sensitive: false, byRules: false }]), {
      threshold: 1,
      precision: 1,
    });
  });

  it('calibration: confidence per bin against the share right, and the expected error', () => {
    const points = [
      { confidence: 0.9, correct: true },
      { confidence: 0.9, correct: true },
      { confidence: 0.9, correct: false },
      { confidence: 0.3, correct: true },
    ];
    const c = calibration(points);
    const high = c.bins.find((b) => b.from === 0.85)!;
    assert.equal(high.n, 3);
    assert.ok(Math.abs(high.accuracy - 2 / 3) < 1e-9 && Math.abs(high.confidence - 0.9) < 1e-9);
    // 3/4 of the points off by 0.9 - 2/3, 1/4 off by 1 - 0.3.
    assert.ok(Math.abs(c.ece - (0.75 * (0.9 - 2 / 3) + 0.25 * 0.7)) < 1e-9, `ece ${c.ece}`);
    assert.equal(calibration([{ confidence: 1, correct: true }]).bins.at(-1)!.n, 1, 'confidence 1 is in the last bin');
  });

  it('npm run eval:triage -- --model llm scores a model served by URL and prints the confusions', async () => {
    const fake = await startFakeOpenAi();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-eval-'));
    const file = path.join(dir, 'two.jsonl');
    fs.writeFileSync(
      file,
      `${JSON.stringify(row('x1', 'Billing', 'medium', 'none'))}\n${JSON.stringify(row('x2', 'A&S', 'critical', 'ATO'))}\n`,
    );
    const answer = (topic: string, risk: string) => ({
      content: JSON.stringify({
        analysis: { intent: 'x', urgency: 'medium', tone: 'neutral', topic, topics: [], is_sensitive: risk !== 'none' },
        risk_category: risk,
        confidence_score: 0.9,
      }),
    });
    fake.reply(answer('Billing', 'none'));
    fake.reply(answer('Billing', 'none'));
    try {
      const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            '--import',
            'tsx',
            path.join(__dirname, '..', '..', 'scripts', 'eval-triage.ts'),
            '--model',
            'llm',
            '--file',
            file,
          ],
          {
            env: {
              ...process.env,
              OPENAI_API_KEY: 'sk-test-key-1234567890',
              OPENAI_BASE_URL: fake.baseUrl,
              OPENAI_MODEL: 'judge-model',
              LOG_LEVEL: 'error',
            },
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stdout, /^openai:judge-model on .*two\.jsonl \(2 tickets\)$/m);
      assert.match(out.stdout, /^topic 0\.500 /m);
      assert.match(out.stdout, /sensitive recall 0\.000/);
      assert.match(out.stdout, /^topic \(label \\ model\)/m);
      assert.equal(fake.requests.length, 2);
    } finally {
      await fake.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
