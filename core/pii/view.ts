/**
 * What the detectors read: the text in the form classifiers read (core/text-normalize: NFKC, invisible
 * characters removed, look-alike letters folded), with each character's place in the original kept, so a
 * span found in the view redacts the original characters it came from. Without it a card typed in
 * full-width digits, an e-mail with a zero-width space in it or an SSN with typographic dashes passed
 * every detector untouched, while a person (and any model) reads them as the plain value.
 */
import { MAY_CHANGE, normalizeText } from '../text-normalize';

export interface DetectionView {
  /** The normalised text the detectors scan. */
  text: string;
  /** Where view character i came from: original [from[i], to[i]). Null when the view is the original. */
  from: Int32Array | null;
  to: Int32Array | null;
}

// Texts are mostly ASCII: those are their own view.
const ALL_ASCII = /^\p{ASCII}*$/u;
const CHANGING = new RegExp(MAY_CHANGE.source, 'gv');

// One code point's form, cached: a 100 KB text of a few distinct characters costs a lookup each.
const perChar = new Map<string, string>();
// Room for every character that may change (about 12,000): an adversary's text cannot make it thrash.
const PER_CHAR_LIMIT = 16_384;

const DIGIT = /^\p{Nd}$/u;
const LETTER = /^\p{L}$/u;
const NUMBER = /^\p{N}$/u;
const ALNUM = /[\p{L}\p{N}]/u;

/**
 * Whether a character's form reads as the same kind of character: a digit stays one digit, a letter one or
 * two letters, anything else stays neither. A form that crossed over would glue a value to its neighbour
 * ("№4111…" read as "No4111…", "…com¹" as "…com1") or make a digit of a letter (Cyrillic "З" as "3").
 */
function sameKind(ch: string, form: string): boolean {
  if (DIGIT.test(ch)) return /^[0-9]$/.test(form);
  if (LETTER.test(ch)) return /^\p{L}{1,2}$/u.test(form);
  if (NUMBER.test(ch)) return false; // superscripts, circled and fraction numbers stay as written
  return !ALNUM.test(form);
}

/**
 * A code point's form: its normal form when that reads as the same kind of character and is no longer than
 * two characters (NFKC spells some symbols out, "ﷺ" as 18 letters: kept whole, the view is never more than
 * twice the text), else the code point itself.
 */
function formOf(ch: string): string {
  let out = perChar.get(ch);
  if (out === undefined) {
    const form = normalizeText(ch);
    out = form.length <= Math.max(2, ch.length) && sameKind(ch, form) ? form : ch;
    if (perChar.size >= PER_CHAR_LIMIT) perChar.clear();
    perChar.set(ch, out);
  }
  return out;
}

class ViewBuilder {
  private readonly parts: string[] = [];
  from: Int32Array;
  to: Int32Array;
  n = 0;

  constructor(size: number) {
    this.from = new Int32Array(size);
    this.to = new Int32Array(size);
  }

  /** `piece` stands for original [start, end): each of its characters for one original character when `aligned`. */
  add(piece: string, start: number, end: number, aligned: boolean): void {
    const need = this.n + piece.length;
    if (need > this.from.length) {
      this.from = grow(this.from, need);
      this.to = grow(this.to, need);
    }
    for (let k = 0; k < piece.length; k++) {
      this.from[this.n] = aligned ? start + k : start;
      this.to[this.n] = aligned ? start + k + 1 : end;
      this.n++;
    }
    this.parts.push(piece);
  }

  view(): DetectionView {
    return { text: this.parts.join(''), from: this.from.subarray(0, this.n), to: this.to.subarray(0, this.n) };
  }
}

export function detectionView(text: string): DetectionView {
  if (ALL_ASCII.test(text)) return { text, from: null, to: null };
  let b: ViewBuilder | undefined;
  let at = 0;
  // Only the characters that may change are looked at one by one; the text between them is copied whole.
  CHANGING.lastIndex = 0;
  for (let m = CHANGING.exec(text); m !== null; m = CHANGING.exec(text)) {
    const ch = m[0];
    const form = formOf(ch);
    if (form === ch) continue;
    b ??= new ViewBuilder(text.length + 16);
    if (m.index > at) b.add(text.slice(at, m.index), at, m.index, true);
    b.add(form, m.index, m.index + ch.length, false);
    at = m.index + ch.length;
  }
  // Nothing read differently: the text is its own view.
  if (!b) return { text, from: null, to: null };
  if (at < text.length) b.add(text.slice(at), at, text.length, true);
  return b.view();
}

function grow(a: Int32Array, need: number): Int32Array {
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** The original span of view span [start, end): from the first character's origin to the last one's end. */
export function originalSpan(view: DetectionView, start: number, end: number): [number, number] {
  if (!view.from || !view.to) return [start, end];
  return [view.from[start]!, view.to[end - 1]!];
}
