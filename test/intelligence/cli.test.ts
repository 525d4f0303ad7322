import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.join(__dirname, '..', '..');
const run = (script: string, input: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', script)], {
    input,
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, OPENAI_API_KEY: '', LOG_LEVEL: 'info' },
    timeout: 30_000,
  });

describe('command lines', () => {
  it('triage: one JSON line per ticket, errors for bad lines, nothing else on stdout', () => {
    const input = [
      JSON.stringify({
        id: 't1',
        query: 'I leaked my token ghp_9Xk2LmQ7vR4tY8wZ1aB3cD5eF6gH0iJ2kL4m in a public repo',
      }),
      'not json',
      JSON.stringify({ id: 't3' }),
      '',
      JSON.stringify({ id: 't4', query: 'refund please, charged twice' }),
    ].join('\n');
    const r = run('triage-cli.ts', input);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 4);
    assert.deepEqual(Object.keys(lines[0]!).slice(0, 10), [
      'id',
      'intent',
      'urgency',
      'tone',
      'topic',
      'topics',
      'is_sensitive',
      'risk_category',
      'confidence_score',
      'extracted_entities',
    ]);
    assert.equal(lines[0]!.risk_category, 'TOKEN_EXPOSURE');
    assert.ok(!r.stdout.includes('ghp_9Xk2LmQ7'), 'raw token on stdout');
    assert.deepEqual(lines[1], { line: 2, error: 'not valid JSON' });
    assert.equal(lines[2]!.id, 't3');
    assert.match(String(lines[2]!.error), /query/);
    assert.equal(lines[3]!.topic, 'Billing');
  });

  it('redact: {"id","text"} in, redacted {"id","text"} out', () => {
    const r = run(
      'redact-cli.ts',
      `${JSON.stringify({ id: 'a', text: 'mail jane@example.com, v1.2.3, PR #12' })}\n{"id":"b","text":7}\n`,
    );
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines[0], { id: 'a', text: 'mail [REDACTED_EMAIL], v1.2.3, PR #12' });
    assert.equal(lines[1]!.id, 'b');
    assert.ok(lines[1]!.error);
  });
});
