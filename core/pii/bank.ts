/**
 * IBANs (checked with ibantools: country length and the mod-97 checksum) and US social security numbers
 * (the SSA's rules: no area 000, 666 or 9xx, no group 00, no serial 0000).
 */
import { getCountrySpecifications, isValidIBAN } from 'ibantools';
import { eachMatch, type Detector, type Span } from './types';

// A country code and two check digits, at a token start; the body is walked by hand, bounded to 30 characters.
const IBAN_START = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?=[ \u00a0-]?[A-Za-z0-9])/g;
const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isSeparator = (c: number) => c === 32 || c === 0xa0 || c === 45;

const specs = getCountrySpecifications();

/**
 * The IBAN that starts here, read up to its country's length (a grouped IBAN may be followed by more words
 * or digits), then checked: one checksum per start, whatever follows.
 */
function ibanAt(text: string, start: number): number | undefined {
  const length = specs[text.slice(start, start + 2).toUpperCase()]?.chars;
  if (!length) return undefined;
  let body = '';
  let i = start;
  while (i < text.length && body.length < length) {
    const c = text.charCodeAt(i);
    if (isAlnum(c)) {
      body += text[i];
      i++;
    } else if (isSeparator(c) && isAlnum(text.charCodeAt(i + 1)) && body.length >= 4) {
      i++;
    } else return undefined;
  }
  if (body.length !== length || isAlnum(text.charCodeAt(i))) return undefined;
  return isValidIBAN(body.toUpperCase()) ? i : undefined;
}

const ibanDetector: Detector = {
  name: 'iban',
  kinds: ['iban'],
  priority: 62,
  find(text) {
    const spans: Span[] = [];
    let after = 0;
    eachMatch(text, IBAN_START, (m) => {
      if (m.index < after) return true;
      const end = ibanAt(text, m.index);
      if (end !== undefined) {
        spans.push({ kind: 'iban', start: m.index, end });
        after = end;
      }
      return true;
    });
    return spans;
  },
};

const SSN = /(?<![\w-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\w-]|[.,]\d)/g;
// Nine bare digits are an SSN only when announced; the cue is checked after the cheap digit match.
const SSN_BARE = /(?<!\w)(\d{3})(\d{2})(\d{4})(?!\w)/g;
const SSN_CUE = /\b(?:ssn|social security(?: number)?|ss#)\W{0,6}$/i;

function validSsn(area: string, group: string, serial: string): boolean {
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}

const ssnDetector: Detector = {
  name: 'ssn',
  kinds: ['ssn'],
  priority: 64,
  find(text) {
    const spans: Span[] = [];
    for (const pattern of [SSN, SSN_BARE]) {
      eachMatch(text, pattern, (m) => {
        const [area, group, serial] = pattern === SSN ? [m[1]!, m[3]!, m[4]!] : [m[1]!, m[2]!, m[3]!];
        if (pattern === SSN_BARE && !SSN_CUE.test(text.slice(Math.max(0, m.index - 32), m.index))) return true;
        if (validSsn(area, group, serial)) spans.push({ kind: 'ssn', start: m.index, end: m.index + m[0].length });
        return true;
      });
    }
    return spans;
  },
};

export const bankDetectors: readonly Detector[] = [ibanDetector, ssnDetector];
