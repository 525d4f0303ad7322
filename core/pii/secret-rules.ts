/**
 * Secrets from secretlint's recommended rule set (maintained upstream: cloud keys, VCS and package-registry
 * tokens, chat and AI API keys, private keys, connection strings, basic auth in URLs), driven directly
 * through the rule interface so it stays synchronous, plus the few shapes the set lacks (JWTs, Stripe-style
 * keys, a value announced as a password, long random tokens). Every hit is widened to the whole token: a
 * rule that matches a token's core must not leave its prefix or its tail readable.
 */
import { rules as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import { eachMatch, type Detector, type PiiKind, type Span } from './types';
import { announcedSecrets } from './announced-secrets';
import { looksLikeSecret } from './entropy';

interface RuleHandlers {
  file?: (source: unknown) => unknown;
}
interface RuleCreator {
  meta: { id: string; type?: string };
  create(context: unknown, options: unknown): RuleHandlers | void;
}

let reports: { start: number; end: number; ruleId: string }[] = [];

/** Each rule is created once against a context that collects its reports for the text being scanned. */
const scanners = (recommended as unknown as RuleCreator[])
  .filter((rule) => rule.meta.type === 'scanner')
  .map((rule) => {
    const context = {
      createTranslator: () => (id: string) => ({ message: id, data: {} }),
      report: (d: { range: [number, number] }) =>
        reports.push({ start: d.range[0], end: d.range[1], ruleId: rule.meta.id }),
      ignore: () => undefined,
    };
    return (
      rule.create(context, rule.meta.id.endsWith('-aws') ? { allows: [], enableIDScanRule: true } : { allows: [] }) ??
      {}
    );
  });

function kindOf(ruleId: string, value: string): PiiKind {
  if (ruleId.endsWith('-github')) return 'github_token';
  if (ruleId.endsWith('-aws')) return /^(?:AKIA|ASIA|AGPA|AIDA|AROA)/.test(value) ? 'aws_access_key' : 'aws_secret_key';
  return 'secret';
}

const STOP_LEFT = /[\s"'`<>()[\]{},;=:]/;
const STOP_RIGHT = /[\s"'`<>()[\]{},;&]/;

/** The whole token around a hit, less sentence punctuation at its end. Multi-line hits (private keys) stay as found. */
export function wholeToken(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  while (s > 0 && !STOP_LEFT.test(text[s - 1]!) && start - s < 512) s--;
  while (e < text.length && !STOP_RIGHT.test(text[e]!) && e - end < 512) e++;
  while (e > end && /[.!?:]/.test(text[e - 1]!)) e--;
  return [s, e];
}

function fromRuleSet(text: string): Span[] {
  reports = [];
  const source = { content: text, contentType: 'text', filePath: undefined, ext: '' };
  for (const handlers of scanners) handlers.file?.(source);
  const found = reports;
  reports = [];
  return found.map((r) => {
    const [start, end] = wholeToken(text, r.start, r.end);
    return { kind: kindOf(r.ruleId, text.slice(start, end)), start, end };
  });
}

export interface OwnRule {
  kind: PiiKind;
  pattern: RegExp;
  /** The capture group that is the secret (the whole match widened to its token when absent). */
  group?: number;
  accept?: (value: string) => boolean;
}

/** Looser vendor shapes than the rule set's (which checks exact lengths and skips documented example keys). */
const own: OwnRule[] = [
  {
    kind: 'github_token',
    pattern: /(?<![\w-])(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})(?!\w)/g,
  },
  { kind: 'aws_access_key', pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{16}(?![A-Za-z0-9])/g },
  { kind: 'secret', pattern: /(?<![\w-])(?:sk-(?:proj-)?[A-Za-z0-9_-]{20,300}|xox[abposr]-[A-Za-z0-9-]{10,300})/g },
  { kind: 'jwt', pattern: /(?<![\w-])eyJ[A-Za-z0-9_-]{8,2000}\.eyJ[A-Za-z0-9_-]{8,4000}\.[A-Za-z0-9_-]{8,2000}/g },
  { kind: 'secret', pattern: /(?<![\w-])(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,200}/g },
  ...announcedSecrets,
  // 40 characters of base64 with a slash or plus: an AWS secret access key pasted without its label.
  {
    kind: 'aws_secret_key',
    pattern: /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    accept: (v) => (/[/+]/.test(v) && /[A-Z]/.test(v) && /[a-z]/.test(v)) || looksLikeSecret(v),
  },
  {
    kind: 'secret',
    pattern: /(?<![A-Za-z0-9_+=-])[A-Za-z0-9_+=-]{24,}/g,
    accept: (v) => looksLikeSecret(v.replace(/[_+=-]/g, '')),
  },
];

function fromOwnRules(text: string): Span[] {
  const spans: Span[] = [];
  for (const rule of own) {
    eachMatch(text, rule.pattern, (m) => {
      const value = rule.group ? m[rule.group]! : m[0];
      if (rule.accept && !rule.accept(value)) return true;
      const at = m.index + (rule.group ? m[0].lastIndexOf(value) : 0);
      const [start, end] = rule.group ? [at, at + value.length] : wholeToken(text, at, at + value.length);
      spans.push({ kind: rule.kind, start, end });
      return true;
    });
  }
  return spans;
}

const SECRET_KINDS: readonly PiiKind[] = ['github_token', 'aws_access_key', 'aws_secret_key', 'jwt', 'secret'];
export const secretRuleSetDetector: Detector = {
  name: 'secret_rule_set',
  kinds: SECRET_KINDS,
  priority: 90,
  find: fromRuleSet,
};
export const secretOwnDetector: Detector = {
  name: 'secret_own',
  kinds: SECRET_KINDS,
  priority: 70,
  find: fromOwnRules,
};
