/**
 * What happens to a detected value: `redact` replaces it with a typed placeholder, `mask` keeps just
 * enough to recognise it, `hash` gives a stable pseudonym (same value, same hash, so analytics still
 * join), `block` refuses the whole text.
 */
import { createHash } from 'node:crypto';
import { TicketflowError } from '../errors';
import { detect } from './detectors';
import type { DetectOptions, PiiKind, PiiMatch } from './types';

export const strategies = ['redact', 'mask', 'hash', 'block'] as const;
export type Strategy = (typeof strategies)[number];

/** A placeholder's label is its kind in capitals; both IP versions share one, both AWS keys too; a person is a NAME. */
const SHARED_LABEL: Partial<Record<PiiKind, string>> = {
  ipv4: 'IP',
  ipv6: 'IP',
  aws_access_key: 'AWS_KEY',
  aws_secret_key: 'AWS_KEY',
  person: 'NAME',
};
const label = (kind: PiiKind): string => SHARED_LABEL[kind] ?? kind.toUpperCase();

export function placeholder(kind: PiiKind): string {
  return `[REDACTED_${label(kind)}]`;
}

/** A sha-256 prefix: the same value always gives the same fingerprint; the value cannot be recovered. */
export function fingerprint(value: string, length = 16): string {
  return createHash('sha256').update(value).digest('hex').slice(0, length);
}

export function maskMatch(kind: PiiKind, value: string): string {
  switch (kind) {
    case 'email': {
      const [local = '', domain = ''] = value.split('@');
      const tld = domain.includes('.') ? domain.slice(domain.lastIndexOf('.')) : '';
      return `${local.slice(0, 1)}***@****${tld}`;
    }
    case 'credit_card': {
      const digits = value.replace(/\D/g, '');
      return `**** ${digits.slice(-4)}`;
    }
    case 'phone': {
      const digits = value.replace(/\D/g, '');
      return `***-***-${digits.slice(-2)}`;
    }
    case 'iban':
      return `${value.slice(0, 2).toUpperCase()}** **** ${value.replace(/[^A-Za-z0-9]/g, '').slice(-2)}`;
    case 'ssn':
      return '***-**-****';
    case 'person':
      return `${value.slice(0, 1)}.`;
    case 'ipv4': {
      const parts = value.split('.');
      return `${parts[0]}.${parts[1]}.*.*`;
    }
    case 'ipv6': {
      const parts = value.split(':');
      return `${parts[0]}:${parts[1]}:****`;
    }
    default: {
      // Tokens and keys: the prefix tells the type, the last four tell two tokens apart.
      if (value.length <= 12) return '****';
      const prefix = /^(github_pat_|gh[pousr]_|sk-|xox\w-)/.exec(value)?.[0] ?? value.slice(0, 4);
      return `${prefix}…${value.slice(-4)}`;
    }
  }
}

function replacement(m: PiiMatch, strategy: Exclude<Strategy, 'block'>): string {
  if (strategy === 'redact') return placeholder(m.kind);
  if (strategy === 'mask') return maskMatch(m.kind, m.value);
  return `[${label(m.kind)}:${fingerprint(m.value, 10)}]`;
}

export interface ScrubResult {
  text: string;
  matches: PiiMatch[];
}

/** Applies a strategy to every match; `block` throws a policy error naming the kinds found (never the values). */
export function scrub(
  text: string,
  strategy: Strategy = 'redact',
  kinds?: readonly PiiKind[],
  options?: Partial<DetectOptions>,
): ScrubResult {
  const matches = detect(text, options, kinds);
  if (matches.length === 0) return { text, matches };
  if (strategy === 'block') {
    const names = [...new Set(matches.map((m) => m.kind))].join(', ');
    throw new TicketflowError('policy', `text blocked: it contains ${names}`);
  }
  let out = '';
  let at = 0;
  for (const m of matches) {
    out += text.slice(at, m.start) + replacement(m, strategy);
    at = m.end;
  }
  return { text: out + text.slice(at), matches };
}

export function redact(
  text: string,
  strategy: Strategy = 'redact',
  kinds?: readonly PiiKind[],
  options?: Partial<DetectOptions>,
): string {
  return scrub(text, strategy, kinds, options).text;
}

/** Redacts every string inside a JSON-like value (tool results, feedback) without changing its shape. */
export function redactDeep<T>(value: T, strategy: Exclude<Strategy, 'block'> = 'redact'): T {
  if (typeof value === 'string') return redact(value, strategy) as T;
  if (Array.isArray(value)) return (value as unknown[]).map((v) => redactDeep(v, strategy)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, strategy);
    return out as T;
  }
  return value;
}
