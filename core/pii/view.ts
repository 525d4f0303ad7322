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

// One code point's form, cached: a 100 KB text of a few distinct characters costs a lookup each.
const perChar = new Map<string, string>();
// Room for every character that may change (about 12,000): an adversary's text cannot make it thrash.
const PER_CHAR_LIMIT = 16_384;

/**
 * A code point's form, never longer than two characters or the code point itself: NFKC spells a few
 * symbols out ("ﷺ" is 18 letters, "㍿" four), none of them part of any value a detector looks for, and
 * keeping them whole bounds the view at twice the text, so pathological input cannot grow the scan.
 */
function formOf(ch: string): string {
  let out = perChar.get(ch);
  if (out === undefined) {
    out = normalizeText(ch);
    if (out.length > Math.max(2, ch.length)) out = ch;
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
  const b = new ViewBuilder(text.length + 16);
  let at = 0;
  // Only the characters that may change are looked at one by one; the text between them is copied whole.
  MAY_CHANGE.lastIndex = 0;
  for (let m = MAY_CHANGE.exec(text); m !== null; m = MAY_CHANGE.exec(text)) {
    const ch = m[0];
    if (m.index > at) b.add(text.slice(at, m.index), at, m.index, true);
    const form = formOf(ch);
    b.add(form, m.index, m.index + ch.length, form === ch);
    at = m.index + ch.length;
  }
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
