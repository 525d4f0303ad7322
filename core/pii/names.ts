/**
 * Person names, a strategy the operator turns on (PII_NAMES): names are the one kind no checksum can
 * confirm. compromise's parser is too slow for 100 KB on a request path (1.5 s here), so its name lexicon
 * (first, male, female and last names, honorifics) is used with one linear pass over capitalised words.
 * A name is a run of one to three capitalised words that holds a known name, or any run after a cue
 * ("Mr.", "my name is", "regards,"); a lone known first name at a sentence start ("Mark the ticket") needs the cue.
 */
import nlp from 'compromise';
import { eachMatch, type Detector, type Span } from './types';

const NAME_TAGS = new Set(['MaleName', 'FemaleName', 'FirstName', 'LastName', 'Person']);
const FIRST_NAME_TAGS = new Set(['MaleName', 'FemaleName', 'FirstName']);

function lexicon(): { names: Set<string>; firstNames: Set<string>; honorifics: Set<string>; words: Set<string> } {
  const lex = (nlp as unknown as { model(): { one: { lexicon: Record<string, string | string[]> } } }).model().one
    .lexicon;
  const names = new Set<string>();
  const firstNames = new Set<string>();
  const honorifics = new Set<string>();
  const words = new Set<string>();
  for (const [word, tag] of Object.entries(lex)) {
    const tags = [tag].flat();
    if (!tags.some((t) => NAME_TAGS.has(t))) words.add(word);
    if (tags.some((t) => NAME_TAGS.has(t))) names.add(word);
    if (tags.some((t) => FIRST_NAME_TAGS.has(t))) firstNames.add(word);
    if (tags.includes('Honorific')) honorifics.add(word);
  }
  return { names, firstNames, honorifics, words };
}

let lexicons: ReturnType<typeof lexicon> | undefined;

const CAPITALISED = /(?<![\p{L}\p{N}_])\p{Lu}[\p{Ll}'’-]{1,30}(?![\p{L}\p{N}])/gu;
const CUE = /(?:\bname is|\bi am|\bi'm|\bthis is|\bregards,|\bthanks,|\bcheers,|\bsincerely,|\bbest,)\s{1,3}$/i;

interface Word {
  start: number;
  end: number;
  name: boolean;
  first: boolean;
  /** An ordinary word in the lexicon ("Urgent", "Critical"): after a cue it is still no name. */
  common: boolean;
}

function afterHonorific(text: string, start: number, honorifics: Set<string>): boolean {
  const before = /([A-Za-z]{1,12})\.?\s{1,3}$/.exec(text.slice(Math.max(0, start - 16), start));
  return before !== null && honorifics.has(before[1]!.toLowerCase());
}

function sentenceStart(text: string, start: number): boolean {
  return /(?:^|[.!?:\n]\s{0,3}|^\s{1,3})$/.test(text.slice(Math.max(0, start - 4), start));
}

export const personDetector: Detector = {
  name: 'person',
  kinds: ['person'],
  priority: 30,
  find(text, options) {
    if (!options.names) return [];
    lexicons ??= lexicon();
    const { names, firstNames, honorifics, words } = lexicons;
    const found: Word[] = [];
    eachMatch(text, CAPITALISED, (m) => {
      if (honorifics.has(m[0].toLowerCase())) return true;
      const word = m[0].toLowerCase().replace(/['’]s$/, '');
      found.push({
        start: m.index,
        end: m.index + m[0].length,
        name: names.has(word),
        first: firstNames.has(word),
        common: words.has(word),
      });
      return true;
    });
    const spans: Span[] = [];
    let i = 0;
    while (i < found.length) {
      let j = i;
      while (
        j + 1 < found.length &&
        j - i < 2 &&
        found[j + 1]!.start === found[j]!.end + 1 &&
        text[found[j]!.end] === ' '
      )
        j++;
      let run = found.slice(i, j + 1);
      const cued =
        afterHonorific(text, run[0]!.start, honorifics) ||
        CUE.test(text.slice(Math.max(0, run[0]!.start - 16), run[0]!.start));
      // "Thanks Maria": the greeting before the first known name is no part of it; but a known last name
      // keeps the word before it ("Priya Patel": the lexicon cannot know every first name).
      if (!cued) {
        const k = run.findIndex((w) => w.name);
        run = run.slice(Math.max(0, run[k]?.first ? k : k - 1));
      }
      const start = run[0]!.start;
      const known = run.filter((w) => w.name).length;
      const named =
        (cued && (known > 0 || !run[0]!.common)) || (known > 0 && (run.length > 1 || !sentenceStart(text, start)));
      if (named) spans.push({ kind: 'person', start, end: run[run.length - 1]!.end });
      i = j + 1;
    }
    return spans;
  },
};
