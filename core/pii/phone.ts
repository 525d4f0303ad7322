/**
 * Phone numbers in every region's formats, validated by libphonenumber-js's metadata. Its own text matcher
 * is not used: it took 1.2 s on 100 KB of "1 1 1 …" and joins numbers across commas ("100234567, 2024").
 * Instead one linear pass cuts the text into runs of digits and separators, and only bounded windows of a
 * run are parsed, so the work per character is constant whatever the text. Parsing costs about 10 µs, so a
 * text gets a budget of parses; past it (100 KB of distinct numbers), a window that has a phone number's
 * shape is taken as one without the check: redaction fails closed, never open.
 */
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { eachMatch, type Detector, type Span } from './types';

// Digits, the separators people write inside numbers, brackets and slashes; "+" or "00" may open a run.
const RUN = /(?<![\w+#@])(?<!\w[-./])\+?\(?\d[\d \t\u00a0\u2007\u2009\u202f.\-\u2010-\u2013()/]*/g;
/** A bare digit string is a phone only when the text says so just before it. */
const PHONE_WORD =
  /(?:phone|tel|mobile|cell|call|sms|whatsapp|fax|number|nummer|numéro|teléfono|telefono|móvil|handy)\b[^\n\d]{0,12}$/i;
const DATE = /^(?:\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})$/;
const TIME_OR_RANGE = /^\d{1,4}\s?[-–]\s?\d{1,4}$/;
const MAX_GROUPS = 6;
const PARSES_PER_TEXT = 400;

interface Budget {
  parses: number;
}

/** Parsing is the costly step: identical candidates (a signature repeated in a thread) are parsed once. */
const caches = new Map<CountryCode, Map<string, boolean>>();
function validNumber(candidate: string, region: CountryCode, budget: Budget): boolean {
  let cache = caches.get(region);
  if (!cache) caches.set(region, (cache = new Map<string, boolean>()));
  let ok = cache.get(candidate);
  if (ok === undefined) {
    if (budget.parses <= 0) return true;
    budget.parses--;
    ok = parsePhoneNumberFromString(candidate, region)?.isValid() ?? false;
    if (cache.size >= 2_000) cache.clear();
    cache.set(candidate, ok);
  }
  return ok;
}

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

function plausible(candidate: string, digits: number, groups: number, text: string, start: number): boolean {
  if (digits < 7 || digits > 15) return false;
  if (groups <= 3 && (DATE.test(candidate) || TIME_OR_RANGE.test(candidate))) return false;
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
    out.push({ start: offset + m.index, end: offset + m.index + m[0].length, digits: digitCount(m[0]) });
    return true;
  });
  return out;
}

function findInRun(text: string, groups: Group[], region: CountryCode, budget: Budget, spans: Span[]): void {
  let i = 0;
  while (i < groups.length) {
    let found = -1;
    let digits = 0;
    const last = Math.min(groups.length, i + MAX_GROUPS) - 1;
    let j = i;
    while (j <= last && digits + groups[j]!.digits <= 15) digits += groups[j++]!.digits;
    // Longest window first: "+33 1 42 68 53 00" must not stop at "+33 1 42 68".
    for (j = j - 1; j >= i && found < 0 && digits >= 7; j--) {
      const start = groups[i]!.start;
      const candidate = text.slice(start, groups[j]!.end);
      if (plausible(candidate, digits, j - i + 1, text, start) && validNumber(candidate, region, budget)) found = j;
      digits -= groups[j]!.digits;
    }
    if (found < 0) {
      i++;
      continue;
    }
    spans.push({ kind: 'phone', start: groups[i]!.start, end: groups[found]!.end });
    i = found + 1;
  }
}

export function phoneRegion(region: string): CountryCode {
  return isSupportedCountry(region) ? region : 'US';
}

export const phoneDetector: Detector = {
  name: 'phone',
  kinds: ['phone'],
  priority: 40,
  find(text, options) {
    const region = phoneRegion(options.region);
    const budget: Budget = { parses: PARSES_PER_TEXT };
    const spans: Span[] = [];
    eachMatch(text, RUN, (m) => {
      if (m[0].length < 7) return true;
      const groups = groupsOf(m[0], m.index);
      if (groups.reduce((n, g) => n + g.digits, 0) >= 7) findInRun(text, groups, region, budget, spans);
      return true;
    });
    return spans;
  },
};
