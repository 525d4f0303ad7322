/**
 * Secrets people announce in words, whatever their entropy: a password after its key, a PIN, a card's
 * security code, a one-time code, an Authorization header. Each rule names the words and the separator it
 * needs and what the value must look like, because the same words fill ordinary support text ("the password
 * policy", "a boarding pass", "basic troubleshooting", "OTP 2024 rollout", "auth code 401").
 */
import type { OwnRule } from './secret-rules';

/** The value less the sentence's own punctuation after it ("hunter2!" keeps its "!", "expired." loses its "."). */
const bare = (v: string) => v.replace(/[.,:;?!)]+$/, '');
const notPlaceholder = (v: string) => !/^\[REDACTED/.test(v);
const digits = (v: string) => v.replace(/\D/g, '').length;

/** Printable text with a colon once decoded: what HTTP Basic carries ("user:password" in base64). */
function basicCredentials(v: string): boolean {
  const decoded = Buffer.from(v, 'base64').toString('utf8');
  return /^[\x20-\x7e]+:[\x20-\x7e]*$/.test(decoded);
}

const SEPARATOR = String.raw`["']?[ \t]{0,3}(?:is:?[ \t]{1,3}|[:=][ \t]{0,3})["']?`;
const CODE_WORDS = String.raw`(?:passcode|otp|one[ -]time[ \t](?:code|password)|(?:verification|2fa|mfa|sms|login|auth)[ \t]code)`;
// A code as people type it: 123456, 123 456, 12-34-56.
const CODE = String.raw`(\d{2,8}(?:[ -]\d{2,4}){0,3})(?![\w-])`;

export const announcedSecrets: OwnRule[] = [
  // After its key and a separator: "password: hunter2!", "api_key=abc123", `"password": "…"`, "password is: x1".
  {
    kind: 'secret',
    pattern: new RegExp(
      String.raw`\b(?:password|passwd|pwd|passphrase|passcode|secret|api[_ -]?key|private[_ -]?key|access[_ -]?key|client[_ -]?secret)${SEPARATOR}([^\s"',;]{6,200})`,
      'gi',
    ),
    group: 1,
    accept: (v) => /[\d\W_]/.test(bare(v)) && notPlaceholder(v),
  },
  // "pass" only with ":" or "=": "pass is" is a boarding pass or a day pass.
  {
    kind: 'secret',
    pattern: /\bpass["']?[ \t]{0,3}[:=][ \t]{0,3}["']?([^\s"',;]{6,200})/gi,
    group: 1,
    accept: (v) => /[\d\W_]/.test(bare(v)) && notPlaceholder(v),
  },
  // Right after the word, with a digit in it: "password Tr0ub4dor&3", "pw hunter2!", "password 84512977".
  {
    kind: 'secret',
    pattern: /\b(?:password|passwd|pwd|pw|passphrase)[ \t]{1,3}([^\s"',;()[\]{}<>=]{6,200})/gi,
    group: 1,
    accept: (v) => /\d/.test(bare(v)) && notPlaceholder(v),
  },
  // A PIN: "my PIN is 4321", "PIN: 123456", "PIN 4321" (four to eight digits; "pin 2 of the connector" stays).
  {
    kind: 'secret',
    pattern: new RegExp(String.raw`\bpin(?:[ \t]number)?(?:${SEPARATOR}|[ \t]{1,3})(\d{4,8})(?![\w-])`, 'gi'),
    group: 1,
  },
  // "PIN code" with four digits: six are an Indian postal code ("PIN code: 560001").
  {
    kind: 'secret',
    pattern: new RegExp(String.raw`\bpin[ \t]code(?:${SEPARATOR}|[ \t]{1,3})(\d{4})(?![\w-])`, 'gi'),
    group: 1,
  },
  // A card's security code: "CVV 123", "cvc: 9876", "the security code is 456".
  {
    kind: 'secret',
    pattern: new RegExp(
      String.raw`\b(?:(?:cvv2?|cvc2?)(?:${SEPARATOR}|[ \t]{1,3})|(?:csc|security[ \t]code)${SEPARATOR})(\d{3,4})(?![\w-])`,
      'gi',
    ),
    group: 1,
  },
  // A one-time code after a separator, four to eight digits: "OTP: 123 456", "verification code is 12-34-56".
  {
    kind: 'secret',
    pattern: new RegExp(String.raw`\b${CODE_WORDS}${SEPARATOR}${CODE}`, 'gi'),
    group: 1,
    accept: (v) => digits(v) >= 4 && digits(v) <= 8,
  },
  // Without one, five to eight digits: "OTP 123456 expired"; a year ("OTP 2024 rollout") or a status code stays.
  {
    kind: 'secret',
    pattern: new RegExp(String.raw`\b${CODE_WORDS}[ \t]{1,3}${CODE}`, 'gi'),
    group: 1,
    accept: (v) => digits(v) >= 5 && digits(v) <= 8,
  },
  // An Authorization header's credentials, whatever they look like: "Authorization: Bearer abc…".
  {
    kind: 'secret',
    pattern:
      /\bAuthorization["']?[ \t]{0,3}[:=][ \t]{0,3}["']?(?:(?:Bearer|Basic|Token|Digest)[ \t]{1,3})?([^\s"',;]{8,4000})/gi,
    group: 1,
    accept: notPlaceholder,
  },
  // The scheme alone, as written in a header (capitalised): a token with letters and digits, or Basic's pair.
  {
    kind: 'secret',
    pattern: /\bBearer[ \t]{1,3}([A-Za-z0-9._~+/-]{16,4000}=*)/g,
    group: 1,
    accept: (v) => /\d/.test(v) && /[A-Za-z]/.test(v) && notPlaceholder(v),
  },
  {
    kind: 'secret',
    pattern: /\bBasic[ \t]{1,3}([A-Za-z0-9+/]{8,4000}={0,2})(?![\w+/=])/g,
    group: 1,
    accept: basicCredentials,
  },
];
