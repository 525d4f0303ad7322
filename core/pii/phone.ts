/**
 * Phone numbers in every region's formats, validated by libphonenumber-js's metadata. Its own text matcher
 * is not used: it took 1.2 s on 100 KB of "1 1 1 …" and joins numbers across commas ("100234567, 2024").
 * Instead one linear pass cuts the text into runs of digits and separators, and only bounded windows of a
 * run are parsed, so the work per character is constant whatever the text.
 */
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { eachMatch, type Detector, type Span } from './types';

// Digits, the separators people write inside numbers, brackets and slashes; "+" or "00" may open a run.
const RUN = /(?<![\w+#@])(?<!\w[-./])\+?\(?\d[\d \t\u00a0\u2007\u2009\u202f.\-\u2010-\u2013()/]*/g;
/** A bare digit string is a phone only when the text says so just before it. */
const PHONE_WORD = /(?:phone|tel|mobile|cell|call|sms|whatsapp|fax|number|nummer|numéro|teléfono|telefono|móvil|handy)\b[^\n\d]{0,12}$/i;
const DATE = /^(?:\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})$/;
const TIME_OR_RANGE = /^\d{1,4}\s?[-–]\s?\d{1,4}$/;
const MAX_GROUPS = 7;
const MAX_PARSES_PER_RUN = 24;

/** Parsing is the costly step: identical candidates (a signature repeated in a thread) are parsed once. */
const cache = new Map<string, boolean>();
function validNumber(candidate: string, region: CountryCode): boolean {
  const key = `${region}|${candidate}`;
  let ok = cache.get(key);
  if (ok === undefined) {
    ok = parsePhoneNumberFromString(candidate, region)?.isValid() ?? false;
    if (cache.size >= 2_000) cache.clear();
    cache.set(key, ok);
  }
  return ok;
}

function plausible(candidate: string, text: string, start: number): boolean {
  const digits = candidate.replace(/\D/g, '').length;
  if (digits < 7 || digits > 15) return false;
  if (DATE.test(candidate) || TIME_OR_RANGE.test(candidate)) return false;
  // Written as one block of digits with no "+": an order, invoice or issue number unless announced.
  if (/^\d+$/.test(candidate)) return PHONE_WORD.test(text.slice(Math.max(0, start - 40), start));
  return true;
}

const GROUP = /\+?\(?\d+\)?/g;

interface Group {
  start: number;
  end: number;
  digits: number;
}

/** Groups start at a digit, "+" or "(" and end at a digit or ")". */
function groupsOf(run: string, offset: number): Group[] {
  const out: Group[] = [];
  eachMatch(run, GROUP, (m) => {
    out.push({ start: offset + m.index, end: offset + m.index + m[0].length, digits: m[0].replace(/\D/g, '').length });
    return true;
  });
  return out;
}

function findInRun(text: string, groups: Group[], region: CountryCode, spans: Span[]): void {
  let parses = 0;
  let i = 0;
  while (i < groups.length && parses < MAX_PARSES_PER_RUN) {
    let found = -1;
    let digits = 0;
    const last = Math.min(groups.length, i + MAX_GROUPS) - 1;
    let j = i;
    while (j <= last && digits + groups[j]!.digits <= 15) digits += groups[j++]!.digits;
    // Longest window first: "+33 1 42 68 53 00" must not stop at "+33 1 42 68".
    for (j = j - 1; j >= i && found < 0 && parses < MAX_PARSES_PER_RUN; j--) {
      const start = groups[i]!.start;
      const candidate = text.slice(start, groups[j]!.end);
      if (!plausible(candidate, text, start)) continue;
      parses++;
      if (validNumber(candidate, region)) found = j;
    }
    if (found < 0) {
      i++;
      continue;
    }
    parses--; // a hit costs nothing against the budget: a list of numbers is read whole
    spans.push({ kind: 'phone', start: groups[i]!.start, end: groups[found]!.end });
    i = found + 1;
  }
}

export function phoneRegion(region: string): CountryCode {
  return isSupportedCountry(region) ? region : 'US';
}

export const phoneDetector: Detector = {
  name: 'phone',
  priority: 40,
  find(text, options) {
    const region = phoneRegion(options.region);
    const spans: Span[] = [];
    eachMatch(text, RUN, (m) => {
      if (m[0].length < 7) return true;
      const groups = groupsOf(m[0], m.index);
      if (groups.reduce((n, g) => n + g.digits, 0) >= 7) findInRun(text, groups, region, spans);
      return true;
    });
    return spans;
  },
};
