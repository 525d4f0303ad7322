/**
 * Masks secrets and personal data wherever text may leave the process (logs, error messages). A secret is
 * masked whole: only its public type marker (`ghp_`, `AKIA`, `sk-`...) and the key it was given under
 * (`token=`) stay, so an operator can tell what kind of credential it was, never any of its own characters.
 */
import { detect, maskMatch, type PiiKind } from './pii';

const SECRET_PATTERNS: RegExp[] = [
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, // JWT (header.payload.signature)
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key ids
  /\bsk-[A-Za-z0-9_-]{16,}\b/g, // OpenAI-style API keys
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, // Slack tokens
];

/** key=value / "key": "value" pairs whose key says the value is a secret. */
const SECRET_KEY_VALUE =
  /((?:password|passwd|secret|token|api[_-]?key|authorization|bearer|private[_-]?key|access[_-]?key)["']?\s*[:=]\s*["']?)(?:Bearer\s+)?([^\s"',;&]{4,})/gi;

const SECRET_KEY_NAME = /pass(word|wd)?|secret|token|api[_-]?key|authorization|private[_-]?key|access[_-]?key|cookie/i;

/** Type markers vendors put in front of their credentials: public, the same in every token of the kind. */
const TYPE_MARKER =
  /^(?:gh[pousr]_|github_pat_|glpat-|npm_|pypi-|xox[abposr]-|sk_live_|sk_test_|rk_live_|sk-(?:proj-|ant-)?|AKIA|ASIA|eyJ|AIza|SG\.|hf_)/;
/** A `key=` / `"key": ` lead-in a detector may have matched together with the value. */
const KEY_LEAD_IN = new RegExp(`^["']?(?:[\\w.-]*(?:${SECRET_KEY_NAME.source}))["']?\\s*[:=]\\s*["']?`, 'i');

export function maskValue(secret: string): string {
  const lead = KEY_LEAD_IN.exec(secret)?.[0] ?? '';
  const value = secret.slice(lead.length);
  // Never a prefix or tail of the value itself: a password's first letters narrow a guess.
  const marker = TYPE_MARKER.exec(value)?.[0] ?? '';
  return `${lead}${marker}…[masked ${value.length}]`;
}

/**
 * Personal data a log line must not carry in full. IP addresses are left alone: operators need broker and
 * peer addresses, and a ticket's IPs only ever travel inside tickets, which are redacted at the edge.
 */
const LOGGED_PII: readonly PiiKind[] = ['email', 'phone', 'credit_card', 'iban', 'ssn'];
const SECRET_KINDS: readonly PiiKind[] = ['github_token', 'aws_access_key', 'aws_secret_key', 'jwt', 'secret'];

const LOGGED_KINDS: readonly PiiKind[] = [...SECRET_KINDS, ...LOGGED_PII];

/**
 * Secrets the maintained rule set knows (webhooks, registry tokens, connection strings...), each masked whole,
 * and personal data masked as `redact` masks it: one detection pass over the line.
 */
function maskDetected(text: string): string {
  // Every such secret is a run of 16 or more non-space characters; most log lines have none, and skip that scan.
  const kinds = /\S{16}/.test(text) ? LOGGED_KINDS : LOGGED_PII;
  let out = '';
  let at = 0;
  for (const m of detect(text, {}, kinds)) {
    out += text.slice(at, m.start) + (SECRET_KINDS.includes(m.kind) ? maskValue(m.value) : maskMatch(m.kind, m.value));
    at = m.end;
  }
  return out + text.slice(at);
}

export function maskSecrets(text: string): string {
  let out = maskDetected(text);
  for (const re of SECRET_PATTERNS) out = out.replace(re, (m) => maskValue(m));
  out = out.replace(SECRET_KEY_VALUE, (_m, key: string, value: string) =>
    value.includes('…[masked') ? `${key}${value}` : `${key}${maskValue(value)}`,
  );
  return out;
}

/** Deep copy of a log payload with every secret-looking key or value masked. */
export function maskDeep(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[too deep]';
  if (typeof value === 'string') return maskSecrets(value);
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  if (value instanceof Error) {
    return { name: value.name, message: maskSecrets(value.message), stack: value.stack && maskSecrets(value.stack) };
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskField(k, v, depth + 1);
    return out;
  }
  return value;
}

/** One field of a log payload: a string under a secret-sounding key is masked whole, whatever its shape. */
export function maskField(key: string, value: unknown, depth = 0): unknown {
  return SECRET_KEY_NAME.test(key) && typeof value === 'string' ? maskValue(value) : maskDeep(value, depth);
}
