/**
 * The deterministic policy guardrail on drafts: a reply that tells the customer to get around a security
 * control goes to a person, not to review. Patterns cover inflections ("bypassing", "worked around") and
 * close variants ("turn off 2FA", "without verification"). A negation right before the phrase ("we will
 * never disable two-factor") is the policy stated, not broken, and passes.
 */
export interface PolicyRule {
  id: string;
  re: RegExp;
}

export const policyRules: PolicyRule[] = [
  { id: 'bypass', re: /\bby-?pass(?:es|ed|ing)?\b/gi },
  { id: 'circumvent', re: /\bcircumvent(?:s|ed|ing|ion)?\b/gi },
  { id: 'work around', re: /\bwork(?:s|ed|ing)?[- ]?arounds?\b/gi },
  { id: 'skip verification', re: /\bskip(?:s|ped|ping)?\b(?:\s+\w+){0,3}?\s+(?:verification|verifying|verify|identity checks?|security checks?|2fa|two[- ]factor|mfa)\b/gi },
  { id: 'ignore policy', re: /\bignor(?:e|es|ed|ing)\b(?:\s+\w+){0,3}?\s+(?:the\s+)?(?:polic(?:y|ies)|rules?|sops?|procedures?|security)\b/gi },
  {
    id: 'disable security',
    re: /\b(?:disabl(?:e|es|ed|ing)|turn(?:s|ed|ing)?\s+off|switch(?:es|ed|ing)?\s+off|deactivat(?:e|es|ed|ing))\b(?:\s+\w+){0,3}?\s+(?:security|2fa|two[- ]factor(?:\s+authentication)?|mfa|verification|protections?|secret scanning|push protection)\b/gi,
  },
  { id: 'without verification', re: /\bwithout\s+(?:any\s+|further\s+)?(?:verification|verifying|identity checks?|security checks?)\b/gi },
  { id: 'override security', re: /\boverrid(?:e|es|den|ing)\b(?:\s+\w+){0,3}?\s+(?:security|polic(?:y|ies)|verification|checks?)\b/gi },
];

const NEGATION = /\b(?:never|not|no|cannot|can'?t|won'?t|don'?t|doesn'?t|shouldn'?t|mustn'?t)\s+(?:\w+\s+){0,2}$/i;

export interface PolicyViolation {
  rule: string;
  excerpt: string;
}

export function findPolicyViolations(text: string): PolicyViolation[] {
  const out: PolicyViolation[] = [];
  for (const rule of policyRules) {
    rule.re.lastIndex = 0;
    for (const m of text.matchAll(rule.re)) {
      const start = m.index ?? 0;
      // Only within the same clause: punctuation ends the negation's reach.
      const before = text.slice(Math.max(0, start - 40), start).split(/[.,;:!?\n]/).pop() ?? '';
      if (NEGATION.test(before)) continue;
      out.push({ rule: rule.id, excerpt: text.slice(Math.max(0, start - 30), Math.min(text.length, start + m[0].length + 30)).replace(/\s+/g, ' ').trim() });
    }
  }
  return out;
}

/** The reason a draft is refused, or undefined when it passes. */
export function checkDraftPolicy(text: string): string | undefined {
  const v = findPolicyViolations(text);
  if (!v.length) return undefined;
  return `policy guardrail: ${v.map((x) => `"${x.rule}" in "…${x.excerpt}…"`).join('; ')}`;
}
