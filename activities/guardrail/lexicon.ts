/**
 * The words the guardrail reasons with: verbs that get around or weaken something, the security controls
 * they can be aimed at, and the cues that make a sentence the policy stated, a warning or a description of
 * what someone else did. Each verb group is a rule id, so a refusal names what it saw.
 */

/** A verb that names evasion by itself ("bypass", "workaround"): no control needs to be named. */
export const strongVerbs: [rule: string, re: string][] = [
  ['bypass', String.raw`by-?pass(?:es|ed|ing)?|back ?doors?`],
  ['circumvent', String.raw`circumvent(?:s|ed|ing|ion)?`],
  ['work around', String.raw`work(?:s|ed|ing)?[- ]?arounds?|work(?:s|ed|ing)? (?:your|their|our|my|its) way around`],
];

/** A verb that is a violation only when aimed at a security control in the same clause. */
export const controlVerbs: [rule: string, re: string][] = [
  [
    'circumvent',
    String.raw`get(?:s|ting)? (?:a)?round|got (?:a)?round|get(?:s|ting)? past|got past|get(?:s|ting)? by|go(?:es|ing)? around|went around|sidestep(?:s|ped|ping)?|evad(?:e|es|ed|ing)|dodg(?:e|es|ed|ing)|skirt(?:s|ed|ing)?|trick(?:s|ed|ing)?|fool(?:s|ed|ing)?|defeat(?:s|ed|ing)?|neutrali[sz](?:e|es|ed|ing)|avoid(?:s|ed|ing)?|sneak(?:s|ed|ing)? past|cheat(?:s|ed|ing)?`,
  ],
  [
    'skip verification',
    String.raw`skip(?:s|ped|ping)?|waiv(?:e|es|ed|ing)|drop(?:s|ped|ping)?|set(?:s|ting)? aside|opt(?:s|ed|ing)? out of|exempt(?:s|ed|ing)?|exclud(?:e|es|ed|ing)|excus(?:e|es|ed|ing)|(?:make|makes|made|making) (?:an )?exceptions?|dispens(?:e|es|ed|ing) with|forgo(?:es|ne|ing)?|forwent`,
  ],
  ['ignore policy', String.raw`ignor(?:e|es|ed|ing)|disregard(?:s|ed|ing)?|silenc(?:e|es|ed|ing)|mut(?:e|es|ed|ing)`],
  [
    'disable security',
    String.raw`disabl(?:e|es|ed|ing)|deactivat(?:e|es|ed|ing)|(?:switch(?:es|ed|ing)?|turn(?:s|ed|ing)?) off|remov(?:e|es|ed|ing)|paus(?:e|es|ed|ing)|suspend(?:s|ed|ing)?|get(?:s|ting)? rid of|got rid of|kill(?:s|ed|ing)?|relax(?:es|ed|ing)?|lower(?:s|ed|ing)?|weaken(?:s|ed|ing)?|loosen(?:s|ed|ing)?|strip(?:s|ped|ping)?|lift(?:ed|ing)?|(?:take|takes|took|taken|taking) off|scrap(?:s|ped|ping)?|un(?:tick|check)(?:s|ed|ing)?|eliminat(?:e|es|ed|ing)|clear(?:s|ed|ing)?|(?:switch|turn)(?:s|ed|ing)? (?:it |them |(?:the )?[\w-]+ (?:[\w-]+ )?)?down`,
  ],
  ['override security', String.raw`overrid(?:e|es|den|ing)|overrode`],
  ['without verification', String.raw`without|before (?:checking|verifying|confirming)`],
];

/** "turn 2FA off": the particle after the control. */
export const splitVerb = String.raw`\b(?:switch(?:es|ed|ing)?|turn(?:s|ed|ing)?|take|takes|took|taken|taking)\b(?:\s+[\w'-]+){1,3}?\s+off\b`;

/** The controls: what a reply must never tell a customer to get around. */
export const controls = String.raw`\b(?:verif(?:y|ying|ied|ication)s?|identity(?: checks?| verification)?|confirm(?:ing)? (?:your |their )?identity|2fa|two[- ]?factor|(?:second|2nd) factor|mfa|multi[- ]?factor|who (?:you are|they are|the customer is)|authentication|security|polic(?:y|ies)|rules?|sops?|procedures?|protections?|secret scanning|sso|saml|single sign[- ]?on|lockouts?|rate[- ]?limit(?:er|s)?|audit logs?|ip allow ?lists?|allowlists?|approvals?|(?:required )?reviews?|captcha|enforcement|checks?|security keys?|audit trails?|alerts?|(?:account )?locks?|lockouts?|restrictions?|(?:session )?revocations?|spending (?:limits?|caps?)|(?:email )?confirmations?|firewall(?: rules?)?|branch protections?|permissions?|second factor)\b`;

/** "you don't need 2FA", "no verification needed": the negation is the violation. */
export const needless = [
  String.raw`\b(?:don't|do not|doesn't|does not|won't|will not|no longer|not|never) (?:need|require|have to)\b`,
  String.raw`\b(?:don't|do not) bother\b`,
  String.raw`\b(?:doesn't|does not|won't|will not|never) (?:ask|asks|prompt|prompts) (?:you )?for\b`,
  String.raw`\bno (?:need|requirement) (?:for|of|to)\b`,
  String.raw`\bno (?:[\w-]+ ){0,2}(?:verification|2fa|mfa|two-factor|identity checks?|security checks?) (?:(?:is|are|was|were) )?(?:needed|required|necessary)\b`,
  String.raw`\b(?:never|not) (?:done|performed|completed|carried out)\b`,
];

/** A negation before the verb in the same clause: the policy stated, not broken. */
export const negationBefore = String.raw`\b(?:avoid(?:s|ing)?|not|never|no|cannot|unable|nobody|no one|refuse[sd]?|declined?|nothing)\b|n't\b`;

/** A negation after it ("bypassing SSO is not allowed"). */
/** Only a verdict on the act itself counts ("is not possible"), not any negation later in the clause. */
export const negationAfter = String.raw`\b(?:(?:is|are|was|were|be|been)\s+(?:not|never)|isn't|aren't|wasn't)\s+(?:\w+\s+)?(?:allowed|possible|supported|permitted|an option|something)\b|\b(?:cannot|can't|won't)\b|\b(?:prohibited|forbidden)\b`;

/** Warnings and descriptions: the consequence of an evasion, or what an attacker or the customer did. */
export const contextCues = String.raw`\b(?:could|would|might|will|may) (?:expose|leave|put|compromise)\b|\bat risk\b|\b(?:someone|somebody)\b(?! (?:from|at|on|in) (?:support|our))|\b(?:attackers?|hackers?|intruders?|phishing)\b|\bunknown (?:ip|device|location)s?\b|\bif you\b.{0,40}\byourself\b`;
