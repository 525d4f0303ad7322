/**
 * PII and secret detectors. Each finds candidates with a pattern and then validates them (Luhn for cards,
 * net.isIP for addresses, character classes and entropy for secrets), because a bare pattern would eat
 * versions, dates, issue numbers and commit SHAs that support staff need to read.
 */
import { isIPv4, isIPv6 } from 'node:net';

export const piiKinds = [
  'email',
  'phone',
  'credit_card',
  'ipv4',
  'ipv6',
  'github_token',
  'aws_access_key',
  'aws_secret_key',
  'jwt',
  'secret',
] as const;
export type PiiKind = (typeof piiKinds)[number];

export interface PiiMatch {
  kind: PiiKind;
  start: number;
  end: number;
  value: string;
}

interface Detector {
  kind: PiiKind;
  /** Higher wins when two matches overlap (a JWT beats the generic secret that also matches it). */
  priority: number;
  pattern: RegExp;
  /** The part of the match that is the sensitive value (defaults to the whole match). */
  group?: number;
  accept?: (value: string, text: string, start: number) => boolean;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Issuer prefixes of the major networks: an order number that happens to pass Luhn rarely has one. */
const CARD_PREFIX = /^(?:4|5[1-5]|2[2-7]|3[47]|3[068]|35|6011|64[4-9]|65|62)/;

export function isCardNumber(raw: string): boolean {
  const digits = raw.replace(/[ -]/g, '');
  if (!/^\d{13,19}$/.test(digits)) return false;
  if (/^(\d)\1+$/.test(digits)) return false;
  if (/^3[47]/.test(digits) && digits.length !== 15) return false; // Amex is always 15
  return CARD_PREFIX.test(digits) && luhnValid(digits);
}

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

const HEX_ONLY = /^[0-9a-f]+$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A random-looking token: long, mixes upper, lower and digits, high entropy. Hex-only strings are commit
 * SHAs or ids, UUIDs are ids, and CamelCaseWords have no digits: all of those survive.
 */
export function looksLikeSecret(value: string): boolean {
  if (value.length < 24) return false;
  if (HEX_ONLY.test(value) || UUID.test(value)) return false;
  if (!/[A-Z]/.test(value) || !/[a-z]/.test(value) || !/\d/.test(value)) return false;
  const digits = (value.match(/\d/g) ?? []).length;
  if (digits < 2) return false;
  return entropy(value) >= 3.6;
}

const detectors: Detector[] = [
  {
    kind: 'jwt',
    priority: 90,
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  },
  {
    kind: 'github_token',
    priority: 90,
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g,
  },
  { kind: 'aws_access_key', priority: 90, pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{16}\b/g },
  {
    kind: 'aws_secret_key',
    priority: 80,
    // 40 characters of base64; a 40-hex commit SHA is rejected by looksLikeSecret (hex only).
    pattern: /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    accept: (v) => /[/+]/.test(v) || looksLikeSecret(v),
  },
  {
    kind: 'secret',
    priority: 70,
    // Well-known vendor key shapes: OpenAI/Stripe-style sk-/rk-/pk_live, Slack xox*.
    pattern: /\b(?:sk-(?:proj-)?[A-Za-z0-9_-]{20,}|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}|xox[abposr]-[A-Za-z0-9-]{10,})\b/g,
  },
  {
    kind: 'secret',
    priority: 65,
    // A value announced as a secret: "password: hunter2!", "api_key=abc123...". The value must not be a
    // plain word, so "the token is revoked" stays readable.
    pattern: /\b(?:password|passwd|pwd|passphrase|secret|api[_ -]?key|private[_ -]?key|access[_ -]?key|client[_ -]?secret)\s*(?:is\s*|=\s*|:\s*)["']?([^\s"',;]{6,})/gi,
    group: 1,
    accept: (v) => /[\d\W_]/.test(v) && !/^\[REDACTED/.test(v),
  },
  {
    kind: 'secret',
    priority: 50,
    pattern: /(?<![A-Za-z0-9_+=-])[A-Za-z0-9_+=-]{24,}(?![A-Za-z0-9_+=-])/g,
    accept: (v) => looksLikeSecret(v.replace(/[_+=-]/g, '')),
  },
  {
    kind: 'email',
    priority: 60,
    pattern: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b/g,
  },
  {
    kind: 'credit_card',
    priority: 60,
    pattern: /(?<![\d#-])\d(?:[ -]?\d){12,18}(?![\d-])/g,
    accept: (v, text, start) => isCardNumber(v) && !/#\s*$/.test(text.slice(Math.max(0, start - 2), start)),
  },
  {
    kind: 'ipv6',
    priority: 55,
    pattern: /(?<![A-Za-z0-9:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4})(?![A-Za-z0-9:.])/g,
    // Needs letters-or-digits beyond colons and a real address: "12:30:45" is a time, not an IPv6.
    accept: (v) => isIPv6(v) && /[0-9a-f]/i.test(v) && v.replace(/[^:]/g, '').length >= 2 && !/^\d{1,2}:\d{2}(:\d{2})?$/.test(v),
  },
  {
    kind: 'ipv4',
    priority: 55,
    pattern: /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.]|\.\d)/g,
    accept: (v, text, start) => isIPv4(v) && !/\bv(?:ersion)?\s*$/i.test(text.slice(Math.max(0, start - 9), start)),
  },
  {
    kind: 'phone',
    priority: 40,
    // Needs a leading + or separators between groups: a run of bare digits is an order or issue number.
    // Not glued to further digit groups either: that is a card or an id split by spaces.
    pattern: /(?<![\w#.+-])(?<!\d[ .-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?|\d{2,4}[ .-])\d{3,4}[ .-]\d{3,4}(?![\w.-])(?![ .-]?\d)|(?<![\w#])\+\d{10,14}(?!\w)/g,
    accept: (v) => {
      const digits = v.replace(/\D/g, '');
      if (digits.length < 9 || digits.length > 15) return false;
      // ISO dates and times ("2024-05-01", "2024 05 01") are not phone numbers.
      return !/^\d{4}[ .-]\d{2}[ .-]\d{2}$/.test(v.trim());
    },
  },
];

/** All PII and secrets in the text, non-overlapping, in order of position. */
export function detect(text: string): PiiMatch[] {
  const found: (PiiMatch & { priority: number })[] = [];
  for (const d of detectors) {
    const re = new RegExp(d.pattern.source, d.pattern.flags);
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const value = d.group ? m[d.group] : m[0];
      const start = m.index + (value && d.group ? m[0].indexOf(value) : 0);
      if (!value || (d.accept && !d.accept(value, text, start))) {
        // A rejected candidate ("13 4222..." is no card) must not hide one starting inside it.
        re.lastIndex = m.index + 1;
        continue;
      }
      found.push({ kind: d.kind, start, end: start + value.length, value, priority: d.priority });
    }
  }
  // Resolve overlaps: higher priority first, then longer.
  found.sort((a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: (PiiMatch & { priority: number })[] = [];
  for (const m of found) {
    if (kept.some((k) => m.start < k.end && k.start < m.end)) continue;
    kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start).map(({ kind, start, end, value }) => ({ kind, start, end, value }));
}
