/**
 * Adversarial inputs for the detectors: repeated near-misses that make a backtracking pattern rescan from
 * every position, long runs of one token class, dense valid values, and seeded random mixes of the
 * characters the detectors care about. `adversarial(size)` gives each at the requested length.
 */
import { MAY_CHANGE } from '../../../core/text-normalize';

const UNITS = [
  'a.',
  'a-',
  'a_',
  '1.',
  '1 ',
  '1-',
  '1:',
  ':',
  '::1:',
  'a@',
  'a@a.',
  '+1 ',
  '(1',
  '1)',
  '1/',
  '12 ',
  '123-4567x',
  'DE89 ',
  'de',
  'eyJ',
  'eyJa.',
  'ghp_',
  'sk-',
  'AKIA',
  'xoxb-',
  'npm_',
  'A1b2',
  'aA1+/',
  'Mr. ',
  'John ',
  'Smith ',
  '1\u00a0',
  '1\u202f',
  '123-45-',
  'SSN ',
  'password: ',
  'PIN is ',
  'cvv ',
  'Bearer 1',
  'https://a:b@',
  '-----BEGIN ',
  'postgres://',
  '%',
  '=',
  'ff:',
  'f::',
  '0.',
  '255.255.255.',
  '4111 ',
  '+',
  '00',
  'Tel. +49 ',
  'a b ',
  'A ',
  // Characters the detection view rewrites (core/pii/view.ts): widths, invisibles, dashes, look-alikes,
  // and the symbols NFKC spells out at length.
  '\uff14\uff11 ',
  '1\u200b',
  '1\u2011',
  '\u0430\uff20',
  '\ufdfa',
  '\u2488',
];

const DENSE = [
  '+1 415 555 0123 ',
  '(415) 555-0199, ',
  '4111 1111 1111 1111 ',
  '185.220.101.4 ',
  'fe80::1ff:fe23:4567:890a ',
  'jane@example.com ',
  'DE89 3704 0044 0532 0130 00 ',
  '123-45-6789 ',
  'John Smith ',
  'ghp_9Xk2LmQ7vR4tY8wZ1aB3cD5eF6gH0iJ2kL4m ',
];

/** Code points below U+30000 that `normalizeText` may rewrite (MAY_CHANGE). */
const REWRITTEN: number[] = [];
for (let c = 0x80; c < 0x30000; c++) {
  if (MAY_CHANGE.test(String.fromCodePoint(c))) REWRITTEN.push(c);
}

const ALPHABET = 'aAzZ019 .:-_@+/()#%=\u00a0\n';

/** mulberry32: a tiny seeded generator, so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Luhn sum of the digits with a check digit still to come (every second digit from the right doubled). */
function luhnSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum;
}

function card(n: number): string {
  const body = `4${String(n).padStart(14, '0')}`;
  return `${body}${(10 - (luhnSum(body) % 10)) % 10} `;
}

function fill(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

/** Valid values that all differ, so no cache helps: the costliest honest input for a validating detector. */
function distinct(size: number, make: (i: number) => string): string {
  let text = '';
  for (let i = 0; text.length < size; i++) text += make(i);
  return text.slice(0, size);
}

/** `variant` shifts the distinct values and the random seeds, so a cache warmed by one run cannot help the next. */
export function adversarial(size: number, variant = 0): { name: string; text: string }[] {
  const v = variant * 100_003;
  const out = [...UNITS, ...DENSE].map((u) => ({ name: JSON.stringify(u), text: fill(u, size) }));
  out.push(
    {
      name: 'distinct US phones',
      text: distinct(size, (i) => `+1 415 ${200 + ((i + v) % 700)} ${1000 + (((i + v) * 7919) % 9000)} `),
    },
    {
      name: 'distinct UK phones',
      text: distinct(size, (i) => `+44 20 ${7000 + ((i + v) % 2999)} ${1000 + (((i + v) * 7919) % 9000)}, `),
    },
    { name: 'distinct cards', text: distinct(size, (i) => card(i + v)) },
    {
      // Every character the view may rewrite, one after another: a per-character cache must not thrash.
      name: 'distinct rewritten characters',
      text: distinct(size, (i) => String.fromCodePoint(REWRITTEN[(i + v) % REWRITTEN.length]!)),
    },
  );
  out.push({ name: 'one long word', text: fill('a', size) }, { name: 'one long number', text: fill('7', size) });
  for (const seed of [1, 2, 3]) {
    const next = random(seed + variant * 17);
    let text = '';
    while (text.length < size) text += ALPHABET[Math.floor(next() * ALPHABET.length)];
    out.push({ name: `random mix ${seed}`, text });
  }
  return out;
}
