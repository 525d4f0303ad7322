/**
 * The PII set (pii-cases/cases.ts): every value must be removed whole, wherever it stands and whatever
 * punctuation follows it, and every ordinary number must stay. The scores print as diagnostics.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redact } from '../../core/pii';
import { keepCases, removeCases, type RemoveCase } from './pii-cases/cases';

/** The value, and each run of four or more letters or digits in it: no such piece may survive. */
function pieces(value: string): string[] {
  return [value, ...(value.match(/[A-Za-z0-9]{4,}/g) ?? [])];
}

function leaked(c: RemoveCase): string | undefined {
  const out = redact(c.text, 'redact', undefined, { region: c.region ?? 'US', names: c.names ?? false });
  const left = pieces(c.value).filter((p) => out.includes(p));
  return left.length > 0 ? `${c.kind} ${JSON.stringify(c.text)} -> ${JSON.stringify(out)}` : undefined;
}

describe('PII set', () => {
  it(`removes all of ${removeCases.length} values (every kind x position x punctuation x locale)`, (t) => {
    const failures = removeCases.map(leaked).filter((f): f is string => f !== undefined);
    t.diagnostic(`removed: ${removeCases.length - failures.length}/${removeCases.length}`);
    assert.deepEqual(failures, []);
  });

  it(`keeps all of ${keepCases.length} ordinary texts (versions, dates, ids, amounts, issue numbers)`, (t) => {
    const changed = keepCases.filter(
      (text) => redact(text, 'redact', undefined, { region: 'US', names: true }) !== text,
    );
    t.diagnostic(`kept: ${keepCases.length - changed.length}/${keepCases.length}`);
    assert.deepEqual(
      changed.map((text) => `${text} -> ${redact(text, 'redact', undefined, { region: 'US', names: true })}`),
      [],
    );
  });

  it('has at least 200 cases', () => {
    assert.ok(removeCases.length + keepCases.length >= 200);
  });
});
