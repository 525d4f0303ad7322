/**
 * E-mail and IP addresses. IPs are taken as whole tokens (so "1:2:3:4:5:6:7:8:9" or a version "1.2.3.4.5"
 * is not cut into an address) and validated by node:net; every written form is covered: compressed, full,
 * upper case, IPv4-mapped, zoned ("fe80::1%eth0"), in brackets with a port, after "ip:", before a full stop.
 */
import { isIPv6 } from 'node:net';
import { eachMatch, type Detector, type Span } from './types';

const EMAIL =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;

export const emailDetector: Detector = {
  name: 'email',
  kinds: ['email'],
  priority: 60,
  find(text) {
    const spans: Span[] = [];
    eachMatch(text, EMAIL, (m) => {
      spans.push({ kind: 'email', start: m.index, end: m.index + m[0].length });
      return true;
    });
    return spans;
  },
};

/** Dotted decimal, leading zeros allowed ("010.000.000.001" is how some tools print it). */
export function isIPv4Address(s: string): boolean {
  const parts = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  return parts !== null && parts.slice(1).every((p) => Number(p) <= 255);
}

function isIPv6Address(s: string): boolean {
  // "::" alone and clock times ("12::30" never, but "10:30" is no address either) carry no host.
  return s.length <= 64 && s.includes('::')
    ? s !== '::' && /[0-9a-f]/i.test(s) && isIPv6(s)
    : s.split(':').length === 8 && isIPv6(s);
}

/** Versions are written "v1.2.3.4", "version 10.0.0.1" or "1.2.3.4 build": those stay readable. */
const VERSION_BEFORE = /\bv(?:ersion)?\s*$/i;
const VERSION_AFTER = /^\s{0,2}(?:version|release|build)\b/i;

/** The address inside a token: as is, without a trailing full stop or colon, without a "word:" prefix or ":port". */
function addressIn(token: string): { kind: 'ipv4' | 'ipv6'; from: number; to: number } | undefined {
  const tries: [number, number][] = [[0, token.length]];
  const trimmed = token.replace(/[.:]+$/, '');
  if (trimmed.length !== token.length) tries.push([0, trimmed.length]);
  const prefix = /^[A-Za-z][A-Za-z0-9]{0,15}:/.exec(trimmed);
  if (prefix) tries.push([prefix[0].length, trimmed.length]);
  const port = /:\d{1,5}$/.exec(trimmed);
  if (port) tries.push([prefix ? prefix[0].length : 0, trimmed.length - port[0].length]);
  for (const [from, to] of tries) {
    const s = token.slice(from, to);
    if (isIPv4Address(s)) return { kind: 'ipv4', from, to };
    if (s.includes(':') && isIPv6Address(s)) return { kind: 'ipv6', from, to };
  }
  return undefined;
}

// One class, one repetition: each token is read once.
const TOKEN = /[0-9A-Za-z:.%]+/g;

export const ipDetector: Detector = {
  name: 'ip',
  kinds: ['ipv4', 'ipv6'],
  priority: 55,
  find(text) {
    const spans: Span[] = [];
    eachMatch(text, TOKEN, (m) => {
      const token = m[0];
      if (token.length < 2 || token.length > 90 || !/\d/.test(token) || !/[.:]/.test(token)) return true;
      const found = addressIn(token);
      if (!found) return true;
      const start = m.index + found.from;
      const end = m.index + found.to;
      if (
        found.kind === 'ipv4' &&
        (VERSION_BEFORE.test(text.slice(Math.max(0, start - 9), start)) ||
          VERSION_AFTER.test(text.slice(end, end + 12)))
      )
        return true;
      spans.push({ kind: found.kind, start, end });
      return true;
    });
    return spans;
  },
};
