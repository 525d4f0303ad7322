import { normalizeText } from '../../core/text-normalize';

/** The text the meaning head reads: normalised (core/text-normalize), plain apostrophes, lower case, one space. */
export const seenText = (text: string) =>
  normalizeText(text)
    .replace(/[\u2018\u2019\u02BC]/g, "'")
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
