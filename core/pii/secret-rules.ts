/**
 * Secrets from secretlint's recommended rule set (maintained upstream: cloud keys, VCS and package-registry
 * tokens, chat and AI API keys, private keys, connection strings, basic auth in URLs), driven directly
 * through the rule interface so it stays synchronous, plus the few shapes the set lacks (JWTs, Stripe-style
 * keys, a value announced as a password, long random tokens). Every hit is widened to the whole token: a
 * rule that matches a token's core must not leave its prefix or its tail readable.
 */
import { rules as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import { eachMatch, type Detector, type PiiKind, type Span } from './types';
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

interface OwnRule {
  kind: PiiKind;
  pattern: RegExp;
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
  // Announced: "password: hunter2!", "api_key=abc123", `"password": "..."`. A plain word stays ("the token is revoked").
  {
    kind: 'secret',
    pattern:
      /\b(?:password|passwd|pwd|pass|passphrase|passcode|secret|api[_ -]?key|private[_ -]?key|access[_ -]?key|client[_ -]?secret)["']?[ \t]{0,3}(?:is[ \t]{1,3}|=[ \t]{0,3}|:[ \t]{0,3})["']?([^\s"',;]{6,200})/gi,
    group: 1,
    accept: (v) => /[\d\W_]/.test(v) && !/^\[REDACTED/.test(v),
  },
  // A password given right after the word: "password Tr0ub4dor&3", "pw hunter2!". It must look like one
  // (a digit or a symbol in it), so "password reset link" and "password manager" stay.
  {
    kind: 'secret',
    pattern: /\b(?:password|passwd|pwd|pw|passphrase)[ \t]{1,3}([^\s"',;()[\]{}<>]{6,200})/gi,
    group: 1,
    accept: (v) => /[\d!@#$%^&*+=?~|/\\]/.test(v) && !/^\[REDACTED/.test(v),
  },
  // Short codes that open an account or pay with a card: "my PIN is 4321", "CVV 123", "the code 123456".
  {
    kind: 'secret',
    pattern:
      /\b(?:pin(?:[ \t]code|[ \t]number)?["']?[ \t]{0,3}(?:is[ \t]{1,3}|=[ \t]{0,3}|:[ \t]{0,3})|(?:cvv2?|cvc2?|csc|security[ \t]code|passcode|otp|one[ -]time[ \t](?:code|password)|(?:verification|2fa|mfa|sms|login|auth)[ \t]code)["']?[ \t]{0,3}(?:is[ \t]{1,3}|=[ \t]{0,3}|:[ \t]{0,3}|#[ \t]{0,3})?)(\d{3,8})(?![\w-])/gi,
    group: 1,
  },
  // An Authorization header's credentials, whatever their entropy: "Bearer abc123...", "Basic dXNlcjpwYXNz".
  {
    kind: 'secret',
    pattern: /\b(?:Bearer|Basic)[ \t]{1,3}([A-Za-z0-9._~+/-]{8,4000}=*)/gi,
    group: 1,
    // Digits or capitals inside: encoded credentials, not a word ("Bearer authentication").
    accept: (v) => /[a-z]/i.test(v) && /[\dA-Z]/.test(v.slice(1)) && !/^\[REDACTED/.test(v),
  },
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
