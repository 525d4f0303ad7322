/**
 * The one form of text that classifiers and the guardrail read: Unicode NFKC (full-width and stylised
 * letters become plain ones), invisible characters removed (zero-width spaces and joiners, soft hyphens,
 * bidi controls, tag characters), and non-ASCII letters that only look like ASCII ones (Cyrillic "а",
 * Greek "ο") folded to them with the Unicode confusables table (the `unhomoglyph` package). ASCII itself is
 * never folded: the table maps "1" to "l" and "m" to "rn", which would break ids and words. What a person
 * reads (the ticket as stored, the console) keeps the original text.
 */
import unhomoglyph from 'unhomoglyph';
import homoglyphs from 'unhomoglyph/data.json';

// Format characters (Cf: zero-width spaces and joiners, word joiner, BOM, bidi controls, tags) and every
// default-ignorable code point (soft hyphen, combining grapheme joiner, variation selectors, fillers).
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
const NON_ASCII = /[\u0080-\u{10FFFF}]/gu;
const PRINTABLE_ASCII = /^[\x20-\x7E]+$/;

const folded = new Map<string, string>();

function fold(ch: string): string {
  let out = folded.get(ch);
  if (out === undefined) {
    const skeleton = unhomoglyph(ch);
    out = PRINTABLE_ASCII.test(skeleton) ? skeleton : ch;
    folded.set(ch, out);
  }
  return out;
}

/**
 * The non-ASCII characters `normalizeText` may change: those NFKC (or its case fold) changes, format
 * characters, and the look-alikes the table folds to ASCII. Any other character is its own form, so a
 * caller that maps offsets (core/pii/view.ts) can copy long runs of it without asking character by character.
 * Not global: a caller that scans with it makes its own global copy, so no `lastIndex` is shared.
 */
export const MAY_CHANGE = new RegExp(
  `[[[\\p{Changes_When_NFKC_Casefolded}\\p{Cf}]--[\\0-\\x7F]]${Object.entries(homoglyphs as Record<string, string>)
    .filter(([ch, to]) => [...ch].length === 1 && ch.charCodeAt(0) >= 0x80 && PRINTABLE_ASCII.test(to))
    .map(([ch]) => `\\u{${ch.codePointAt(0)!.toString(16)}}`)
    .join('')}]`,
  'v',
);

export function normalizeText(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '').replace(NON_ASCII, fold);
}
