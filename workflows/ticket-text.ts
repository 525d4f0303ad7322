/**
 * The words free-text search knows a ticket by, and how a search is read: runs of letters and digits
 * (combining marks kept inside a word), lower-cased. The workflow keeps them, from the redacted text only, in
 * the `TicketText` search attribute; the API reads a search the same way. Lower case matters beyond matching:
 * SQLite's full-text syntax (the dev server's visibility) reads AND, OR, NOT and NEAR only in capitals, and a
 * word holds no quote, colon, star or bracket, so a search word is never an operator. Pure: workflow-safe.
 */
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu;

/**
 * The attribute's size cap in UTF-8 bytes. Temporal refuses a search attribute value over 2 KiB by default,
 * and a refused upsert fails the workflow task again and again, so the cap stays well below that.
 */
export const TICKET_TEXT_MAX_BYTES = 1_500;

export function textWords(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

function utf8Bytes(word: string): number {
  let n = 0;
  for (const ch of word) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/**
 * The attribute's value: each word once, in the order it first appears (repeats would only spend the cap),
 * cut at a word boundary once the cap is reached.
 */
export function searchableText(redactedText: string): string {
  const seen = new Set<string>();
  const kept: string[] = [];
  let bytes = 0;
  for (const word of textWords(redactedText)) {
    if (seen.has(word)) continue;
    seen.add(word);
    const size = utf8Bytes(word) + (kept.length > 0 ? 1 : 0);
    if (bytes + size > TICKET_TEXT_MAX_BYTES) break;
    kept.push(word);
    bytes += size;
  }
  return kept.join(' ');
}
