import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runLanes, splitLanes } from '../../scripts/test-lanes';
import { findTestFiles } from '../../scripts/test-tiers';

const root = path.resolve(__dirname, '../..');

describe('test lanes', () => {
  it('every file runs once, and the browser files share one lane in their order', () => {
    const all = findTestFiles(path.join(root, 'test'), []);
    const lanes = splitLanes(all);
    assert.equal(lanes.length, 2);
    assert.deepEqual(lanes.flat().sort(), [...all].sort());
    const browser = all.filter((f) => f.startsWith('test/e2e/'));
    assert.ok(browser.length > 3);
    const lane = lanes.find((l) => l.includes(browser[0]!))!;
    assert.deepEqual(
      lane.filter((f) => browser.includes(f)),
      browser,
    );
    // A filtered run of browser files alone is one lane.
    assert.deepEqual(splitLanes(browser), [browser]);
  });

  it('two lanes run at once: counts summed, failures named, reports whole, files timed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-lanes-'));
    const write = (name: string, body: string) => {
      fs.writeFileSync(path.join(dir, name), `const { test } = require('node:test');\n${body}\n`);
      return path.join(dir, name);
    };
    try {
      const passing = write('a.test.cjs', "test('lane one passes', () => new Promise((r) => setTimeout(r, 300)));");
      const failing = write(
        'b.test.cjs',
        "test('lane two fails', () => { throw new Error('the reason'); });\ntest('lane two passes', () => {});",
      );
      const report: Buffer[] = [];
      const logged: string[] = [];
      // The runner marks its own children (NODE_TEST_CONTEXT); a run inside one would report to it instead.
      const { NODE_TEST_CONTEXT: _child, ...env } = process.env;
      const result = await runLanes(
        [[passing], [failing]],
        env,
        (l) => logged.push(l),
        (c) => report.push(c),
      );
      assert.deepEqual(
        { pass: result.counts.pass, fail: result.counts.fail, code: result.code },
        { pass: 2, fail: 1, code: 1 },
      );
      assert.match(result.failures.join('\n'), /lane two fails[\s\S]*the reason/);
      const text = Buffer.concat(report).toString('utf8');
      // The second lane's report comes after the first's, not interleaved with it.
      assert.ok(text.indexOf('lane one passes') < text.indexOf('lane two fails'), text);
      assert.equal(logged.length, 2);
      assert.deepEqual(result.slowest.map((s) => path.basename(s.file)).sort(), ['a.test.cjs', 'b.test.cjs']);
      assert.ok(result.slowest.find((s) => s.file.endsWith('a.test.cjs'))!.seconds >= 0.25);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
