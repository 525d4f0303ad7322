/**
 * Masks secrets and personal data wherever text may leave the process (logs, error messages). A secret keeps
 * a short prefix so an operator can tell two tokens apart, never enough to use one.
 */
import { detect, redact, type PiiKind } from './pii';

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

export function maskValue(secret: string): string {
  if (secret.length <= 8) return '****';
  return `${secret.slice(0, 4)}…[masked ${secret.length}]`;
}

/**
 * Personal data a log line must not carry in full. IP addresses are left alone: operators need broker and
 * peer addresses, and a ticket's IPs only ever travel inside tickets, which are redacted at the edge.
 */
const LOGGED_PII: readonly PiiKind[] = ['email', 'phone', 'credit_card', 'iban', 'ssn'];
const SECRET_KINDS: readonly PiiKind[] = ['github_token', 'aws_access_key', 'aws_secret_key', 'jwt', 'secret'];

/** Secrets the maintained rule set knows (webhooks, registry tokens, connection strings...), each masked whole. */
function maskDetectedSecrets(text: string): string {
  // Every such secret is a run of 16 or more non-space characters; most log lines have none, and skip the scan.
  if (!/\S{16}/.test(text)) return text;
  let out = '';
  let at = 0;
  for (const m of detect(text, {}, SECRET_KINDS)) {
    out += text.slice(at, m.start) + maskValue(m.value);
    at = m.end;
  }
  return out + text.slice(at);
}

export function maskSecrets(text: string): string {
  let out = redact(maskDetectedSecrets(text), 'mask', LOGGED_PII);
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
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY_NAME.test(k) && typeof v === 'string' ? maskValue(v) : maskDeep(v, depth + 1);
    }
    return out;
  }
  return value;
}
