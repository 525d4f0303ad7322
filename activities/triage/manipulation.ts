/**
 * Text aimed at the system rather than a question for support: orders to ignore the rules, to mark the
 * ticket resolved, to refund or change an account without checks, role play, fake system messages. It is
 * flagged and sent to a person; it never causes an action, because nothing in triage executes text.
 */
import { injectionCues } from './lexicon';

const MORE_CUES: RegExp[] = [
  /\b(?:mark|close|set)\b.{0,30}\b(?:resolved|solved|closed|verified|approved)\b/i,
  /\b(?:without|skip|no|bypass|don'?t bother)\b.{0,25}\b(?:checks?|verif\w*|questions asked|confirmation|approvals?)\b/i,
  /\b(?:role ?play|let'?s play a game|from now on (?:you|act)|you are (?:now )?(?:\w+gpt|dan|an? ai with)|no (?:rules|restrictions))\b/i,
  /^\s*\[?(?:system|admin mode|developer mode)\b[\]:]/im,
  /\b(?:system prompt|hidden instructions|(?:print|reveal|show) your (?:instructions|prompt))\b/i,
  /\b(?:respond only with|you must (?:always )?obey|as the responsible ai)\b/i,
];

export function manipulationCues(text: string): string[] {
  return [...injectionCues, ...MORE_CUES].filter((re) => re.test(text)).map((re) => re.source.slice(0, 40));
}
