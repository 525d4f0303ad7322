import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runLanes, splitLanes } from '../../scripts/test-lanes';
import { findTestFiles } from '../../scripts/test-tiers';
import { waitFor } from '../helpers/wait';

const root = path.resolve(__dirname, '../..');

/** Test files in a folder of their own, removed after `fn`; each a CommonJS file on node:test. */
async function withFiles(
  fn: (write: (name: string, body: string) => string, dir: string) => Promise<void>,
): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-lanes-'));
  try {
    await fn((name, body) => {
      fs.writeFileSync(path.join(dir, name), `const { test } = require('node:test');\n${body}\n`);
      return path.join(dir, name);
    }, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// The runner marks its own children (NODE_TEST_CONTEXT); a run inside one would report to it instead.
const { NODE_TEST_CONTEXT: _child, ...laneEnv } = process.env;
/** A test body that ends its file's process once the lane's runner is gone (killed), not a minute later. */
const UNTIL_RUNNER_GONE =
  'const p = process.ppid; setInterval(() => process.ppid !== p && process.exit(1), 50); return new Promise(() => {});';

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

  it('the lanes run at the same time: each file waits for the other', async () => {
    await withFiles(async (write, dir) => {
      // Each writes its mark, then waits for the other's: one lane after the other, the first would time out.
      const file = (me: string, other: string) =>
        write(
          `${me}.test.cjs`,
          `const fs = require('node:fs'); test('${me} meets ${other}', async () => { fs.writeFileSync('${dir}/${me}.mark', ''); ` +
            `for (let i = 0; i < 100 && !fs.existsSync('${dir}/${other}.mark'); i++) await new Promise((r) => setTimeout(r, 50)); ` +
            `if (!fs.existsSync('${dir}/${other}.mark')) throw new Error('alone'); });`,
        );
      const result = await runLanes(
        [[file('a', 'b')], [file('b', 'a')]],
        laneEnv,
        () => undefined,
        () => undefined,
      );
      assert.deepEqual(
        { pass: result.counts.pass, fail: result.counts.fail },
        { pass: 2, fail: 0 },
        result.failures.join('\n'),
      );
    });
  });

  it("a lane's report is shown once the lane before it ends, not when the last one does", async () => {
    await withFiles(async (write) => {
      const quick = write('a.test.cjs', "test('lane one passes', () => {});");
      const slow = write(
        'b.test.cjs',
        "test('lane two first', () => {});\ntest('lane two later', () => new Promise((r) => setTimeout(r, 1500)));",
      );
      const seen: string[] = [];
      await runLanes(
        [[quick], [slow]],
        laneEnv,
        (l) => seen.push(`log: ${l}`),
        (c) => seen.push(c.toString('utf8')),
      );
      const first = seen.findIndex((x) => x.includes('lane two first'));
      const laneTwoEnded = seen.findIndex((x) => x.startsWith('log: lane 2:'));
      assert.ok(first !== -1 && first < laneTwoEnded, seen.join(''));
    });
  });

  it('a signal shows the held report at once; a lane killed before its counts fails the run, named', async () => {
    await withFiles(async (write) => {
      const hung = write('a.test.cjs', `test('lane one hangs', () => { ${UNTIL_RUNNER_GONE} });`);
      const quick = write('b.test.cjs', "test('lane two passes', () => {});");
      const signals = new EventEmitter();
      const text: string[] = [];
      const logged: string[] = [];
      const running = runLanes(
        [[hung], [quick]],
        laneEnv,
        (l) => logged.push(l),
        (c) => text.push(c.toString('utf8')),
        signals,
      );
      await waitFor(() => logged.some((l) => l.startsWith('lane 2:')), { message: 'lane 2 done' });
      assert.ok(!text.join('').includes('lane two passes'), 'held while lane 1 runs');
      // CI's SIGTERM, relayed to the lanes as SIGKILL: the runner dies before it can print its counts.
      signals.emit('SIGTERM', 'SIGKILL');
      assert.ok(text.join('').includes('lane two passes'), 'shown at the signal, before the lanes end');
      const result = await running;
      assert.equal(result.code, 1);
      assert.equal(result.counts.pass, 1);
      assert.equal(result.counts.fail, 1, 'the lane killed before its counts');
      assert.match(result.failures.join('\n'), /lane 1 \(1 file\(s\)\) ended by SIGKILL/);
    });
  });
});
