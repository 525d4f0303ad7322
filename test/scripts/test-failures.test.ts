/**
 * The failure digest `npm test` prints last, read from a real `node --test` TAP report: a hook's error (not
 * only "cancelled"), a multi-line assertion, and no TODO or passing case.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FailureCollector } from '../../scripts/test-failures';

const SAMPLE = `
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
describe('with a broken hook', () => {
  before(() => { throw new Error('the broker did not start: port taken'); });
  it('first', () => {});
  it('second', () => {});
});
describe('plain', () => {
  it('passes', () => {});
  it('compares', () => assert.deepEqual({ a: 1, b: [1, 2] }, { a: 1, b: [1, 3] }));
  it('is a known gap', { todo: 'issue 11 open' }, () => assert.fail('34 of 69'));
});
`;

function tapOf(source: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-tap-'));
  try {
    const file = path.join(dir, 'sample.test.mjs');
    fs.writeFileSync(file, source);
    // Without the runner's own marker, which would make the child report to this runner instead of printing TAP.
    const env = { ...process.env, NODE_TEST_CONTEXT: undefined };
    const out = spawnSync(process.execPath, ['--test', '--test-reporter=tap', file], { encoding: 'utf8', env });
    return out.stdout.split('\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the failure digest of npm test', () => {
  it("names each failure with its error, a hook's included, and folds the cases it cancelled", () => {
    const collector = new FailureCollector();
    for (const line of tapOf(SAMPLE)) collector.line(line);
    const digest = collector.digest().join('\n');
    assert.match(digest, /✖ with a broken hook\n\s+the broker did not start: port taken/);
    assert.match(digest, /✖ compares\n[\s\S]*Expected values to be strictly deep-equal/);
    assert.match(digest, /\(2 more cancelled because a hook or parent above failed\)/);
    assert.doesNotMatch(digest, /passes|known gap|✖ first|✖ second|✖ plain/);
  });

  it('is empty for a clean report', () => {
    const collector = new FailureCollector();
    for (const line of tapOf("import { it } from 'node:test'; it('fine', () => {});")) collector.line(line);
    assert.deepEqual(collector.digest(), []);
  });
});
