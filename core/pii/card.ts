/**
 * Payment cards: digit groups joined by any separator people type or paste (spaces, non-breaking and thin
 * spaces, dashes, dots), checked with Luhn and the networks' prefixes, so order numbers and ids survive.
 */
import { eachMatch, type Detector, type Span } from './types';

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
  const digits = raw.replace(/\D/g, '');
  if (digits.length < 13 || digits.length > 19 || !luhnValid(digits)) return false;
  if (/^(\d)\1+$/.test(digits)) return false;
  if (/^3[47]/.test(digits) && digits.length !== 15) return false; // Amex is always 15
  return CARD_PREFIX.test(digits);
}

/** Separators between digit groups: ASCII and Unicode spaces, dashes, dots. */
const DIGIT_SEPARATORS = ' \\t\\u00a0\\u2007\\u2009\\u202f.\\-\\u2010-\\u2013';
// Unambiguous (separators and digits are disjoint), and it starts only where a run starts: one pass per run.
const DIGIT_RUN = new RegExp(`(?<![\\w#])\\d+(?:[${DIGIT_SEPARATORS}]{1,2}\\d+)*`, 'g');

/** Digit groups of a run as flat start/end offsets: a run may hold 50 000 groups, objects would cost more than the scan. */
interface Groups {
  starts: number[];
  ends: number[];
}

function groupsOf(run: string, offset: number): Groups {
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  while (i < run.length) {
    while (i < run.length && !isDigit(run.charCodeAt(i))) i++;
    const start = i;
    while (i < run.length && isDigit(run.charCodeAt(i))) i++;
    if (i > start) {
      starts.push(offset + start);
      ends.push(offset + i);
    }
  }
  return { starts, ends };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * The last group of the longest card that starts at group i, or -1. Cards are written as one block of 13-19
 * digits, 4-4-4-4 (the last group may be shorter), Amex 4-6-5 or Diners 4-6-4; any other grouping is an id
 * or an amount and ends the search at once, so each group costs a constant number of checks.
 */
function longestCardAt(text: string, { starts, ends }: Groups, i: number): number {
  const n = starts.length;
  const first = ends[i]! - starts[i]!;
  let found = first >= 13 && first <= 19 && isCardNumber(text.slice(starts[i], ends[i])) ? i : -1;
  if (first !== 4 || i + 1 >= n) return found;
  const second = ends[i + 1]! - starts[i + 1]!;
  const third = i + 2 < n ? ends[i + 2]! - starts[i + 2]! : 0;
  if (second === 6 && (third === 5 || third === 4) && isCardNumber(text.slice(starts[i], ends[i + 2]))) found = i + 2;
  let digits = 4;
  for (let j = i + 1; j < n && digits < 19; j++) {
    const len = ends[j]! - starts[j]!;
    digits += len;
    if (digits >= 13 && digits <= 19 && len <= 4 && isCardNumber(text.slice(starts[i], ends[j])))
      found = Math.max(found, j);
    if (len !== 4) break;
  }
  return found;
}

export const cardDetector: Detector = {
  name: 'credit_card',
  kinds: ['credit_card'],
  priority: 60,
  find(text) {
    const spans: Span[] = [];
    eachMatch(text, DIGIT_RUN, (m) => {
      if (/#\s$/.test(text.slice(Math.max(0, m.index - 2), m.index))) return true;
      if (m[0].length < 13) return true;
      const groups = groupsOf(m[0], m.index);
      let i = 0;
      while (i < groups.starts.length) {
        const found = longestCardAt(text, groups, i);
        if (found < 0) {
          i++;
          continue;
        }
        spans.push({ kind: 'credit_card', start: groups.starts[i]!, end: groups.ends[found]! });
        i = found + 1;
      }
      return true;
    });
    return spans;
  },
};
