/**
 * The policy guardrail on replies: a reply that tells the customer (or says that support) got around or
 * weakened a security control goes to a person, not to the customer. It reads the normalised text
 * (core/text-normalize: no zero-width splits, no look-alike letters), clause by clause, and looks for an
 * evasion verb aimed at a control in the same clause ("switch off MFA", "the identity check was skipped"),
 * a verb that is evasion by itself ("bypass"), or a "you don't need 2FA". A negation before the verb
 * ("we never turn off 2FA"), after it ("is not allowed"), a warning ("would leave you exposed") or a
 * description of someone else's act ("an attacker may try to bypass") is the policy stated, not broken.
 * Measured on paraphrases written for it: test/actions/guardrail-paraphrase.test.ts.
 */
import { normalizeText } from '../../core/text-normalize';
import {
  contextCues,
  controls,
  controlVerbs,
  negationAfter,
  negationBefore,
  needless,
  splitVerb,
  strongVerbs,
} from './lexicon';
import { exposurePatterns } from './exposure';

export interface PolicyViolation {
  rule: string;
  excerpt: string;
}

const re = (src: string, flags = 'g') => new RegExp(src, flags);
const verbs = [
  ...strongVerbs.map(([rule, src]) => ({ rule, strong: true, re: re(String.raw`\b(?:${src})\b`) })),
  ...controlVerbs.map(([rule, src]) => ({ rule, strong: false, re: re(String.raw`\b(?:${src})\b`) })),
  { rule: 'disable security', strong: false, re: re(splitVerb) },
  // Patterns that carry their own object: they need no control nearby, only no negation.
  ...exposurePatterns.map(([rule, src]) => ({ rule, strong: true, re: re(src) })),
];
const control = re(controls);
const needlessRes = needless.map((s) => re(s));
const negBefore = re(negationBefore, '');
const negAfter = re(negationAfter, '');
const context = re(contextCues, '');
/** How far (characters) a control may be from its verb and still be its object or subject. */
const REACH = 45;

/** Sentences, then clauses: a negation or a subject does not reach across "; but so because". */
function clauses(text: string): { start: number; text: string }[] {
  const out: { start: number; text: string }[] = [];
  const boundary =
    /[.!?]+(?=\s|$)|[;:\n]+|,\s*(?=(?:but|so|because|then|which|while|and then)\b)|\s(?=(?:but|so that|because|which is why|while)\s)/g;
  let start = 0;
  for (const m of text.matchAll(boundary)) {
    out.push({ start, text: text.slice(start, m.index) });
    start = (m.index ?? 0) + m[0].length;
  }
  out.push({ start, text: text.slice(start) });
  return out.filter((c) => c.text.trim());
}

function nearControl(clause: string, from: number, to: number): boolean {
  for (const m of clause.matchAll(control)) {
    const s = m.index ?? 0;
    const e = s + m[0].length;
    // After the verb, before it (passive: "the check was skipped"), or inside it ("turn MFA off").
    if ((s >= from && s - to <= REACH) || (e <= to && from - e <= REACH)) return true;
  }
  return false;
}

function clauseViolations(clause: string): string[] {
  if (context.test(clause)) return [];
  const found: string[] = [];
  for (const n of needlessRes) {
    for (const m of clause.matchAll(n))
      if (nearControl(clause, m.index ?? 0, (m.index ?? 0) + m[0].length)) found.push('skip verification');
  }
  for (const v of verbs) {
    for (const m of clause.matchAll(v.re)) {
      const from = m.index ?? 0;
      const to = from + m[0].length;
      if (!v.strong && !nearControl(clause, from, to)) continue;
      // A negation in an earlier comma phrase is about something else ("if it never arrives, skip it").
      const before = clause.slice(0, from);
      if (negBefore.test(before.slice(before.lastIndexOf(',') + 1)) || negAfter.test(clause.slice(to))) continue;
      found.push(v.rule);
    }
  }
  return found;
}

export function findPolicyViolations(text: string): PolicyViolation[] {
  const norm = normalizeText(text)
    .replace(/[\u2018\u2019\u02BC]/g, "'")
    .toLowerCase();
  const out: PolicyViolation[] = [];
  for (const c of clauses(norm)) {
    for (const rule of new Set(clauseViolations(c.text)))
      out.push({ rule, excerpt: c.text.replace(/\s+/g, ' ').trim().slice(0, 120) });
  }
  return out;
}

/** The reason a draft is refused, or undefined when it passes. */
export function checkDraftPolicy(text: string): string | undefined {
  const v = findPolicyViolations(text);
  if (!v.length) return undefined;
  return `policy guardrail: ${v.map((x) => `"${x.rule}" in "…${x.excerpt}…"`).join('; ')}`;
}
