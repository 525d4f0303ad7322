/**
 * Text normalisation for the rules model: lower case (SHOUTING reads like anything else) and domain typos
 * corrected towards the vocabulary ("pasword" -> "password", "authenticater" -> "authenticator").
 */
import { protectedWords, vocabulary } from './lexicon';

/** Optimal-string-alignment distance (Levenshtein plus adjacent swaps), capped for speed. */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > cap) return cap + 1;
  }
  return rows[a.length]![b.length]!;
}

const vocabSet = new Set(vocabulary);

function correct(word: string): string {
  if (word.length < 5 || vocabSet.has(word) || protectedWords.has(word)) return word;
  const allowed = word.length >= 9 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = allowed + 1;
  for (const v of vocabulary) {
    if (v[0] !== word[0]) continue; // typos rarely hit the first letter; this also keeps it fast
    const d = editDistance(word, v, allowed);
    if (d < bestDistance) {
      best = v;
      bestDistance = d;
    }
  }
  return best ?? word;
}

export function normalize(text: string): string {
  return text.toLowerCase().replace(/[a-z]{5,}/g, (w) => correct(w));
}

/** Share of letters in upper case: a long ticket written mostly in capitals is shouting. */
export function isShouting(text: string): boolean {
  const letters = text.replace(/[^A-Za-z]/g, '');
  if (letters.length < 20) return false;
  const upper = letters.replace(/[^A-Z]/g, '').length;
  return upper / letters.length > 0.7;
}
