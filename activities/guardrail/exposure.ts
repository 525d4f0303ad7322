/**
 * Violations that are not "a verb aimed at a control": handing out a secret, granting everything, setting a
 * protection to a value that turns it off ("to never", "allow all"), keeping a known-bad secret. Each entry is
 * one rule id and one pattern over a normalised, lower-cased clause; the caller applies the same negation and
 * warning cues as for the verbs, so "never share your password" or "making a repository public exposes it"
 * stay the policy stated.
 */
const secret = String.raw`(?:(?:admin |root |database |production |personal |your |their |the |a |my )*(?:passwords?|passcodes?|pins?|(?:access |api |auth |ci |oauth |deploy )?tokens?|(?:api |deploy |private |ssh |hardware |security |production )keys?|keys|one[- ]time codes?|otps?|recovery codes?|credentials?|secrets?(?! scanning)|logins?|\.env(?: files?)?))`;

export const exposurePatterns: [rule: string, re: string][] = [
  // Handing a secret to someone: "hand the customer the admin password", "forward the one-time code".
  [
    'share credentials',
    String.raw`\b(?:shar(?:e|es|ing)|hand(?:s|ed|ing)?(?: over)?|forward(?:s|ed|ing)?|lend(?:s|ing)?|lent|past(?:e|es|ed|ing)|post(?:s|ed|ing)?|giv(?:e|es|ing)|gave)\b(?:\s+[\w'-]+){0,4}?\s+${secret}\b`,
  ],
  // Putting a secret where others read it: "in the readme", "in plain text", "commit the .env file".
  [
    'expose credentials',
    String.raw`${secret}\b(?:(?!\bnever\b|\bnot\b|n't\b|\brather than\b|\binstead of\b).){0,40}\b(?:in (?:the )?(?:readme|workflow file|wiki|chat|ticket|code|repo(?:sitory)?)|in plain ?text|in the clear|into (?:the )?(?:chat|readme|code))\b|\bcommit(?:s|ted|ting)?\b.{0,20}\.env\b|\b(?:forks?|everyone|anyone|the public|outsiders)\b (?:gets?|sees?|can (?:read|use|see)) (?:your |the )?${secret}`,
  ],
  // Someone else's credential: "use your colleague's login", "let the intern use your personal access token".
  [
    'share credentials',
    String.raw`\b(?:us(?:e|es|ed|ing)|reus(?:e|es|ed|ing)|borrow(?:s|ed|ing)?)\b (?:(?:your|their|his|her|a|the) )?(?:colleague's|coworker's|co-worker's|someone else's|manager's|boss's|personal|shared|old|leaked|compromised|exposed)\b(?:\s+[\w'-]+){0,3}?\s+(?:logins?|accounts?|tokens?|keys?|passwords?|credentials?)\b|\breus(?:e|es|ed|ing)\b.{0,30}\b(?:leaked|compromised|exposed)\b`,
  ],
  // Granting everything: "grant everyone owner rights", "give the token admin scope", "every scope".
  [
    'over-grant',
    String.raw`\b(?:grant(?:s|ed|ing)?|giv(?:e|es|ing)|gave|assign(?:s|ed|ing)?)\b(?:\s+[\w'-]+){0,4}?\s+(?:every(?:one|body)? (?:\w+ )?(?:rights|scopes?|access|permissions?|roles?)|(?:every|all) (?:scopes?|permissions?|rights)|full (?:admin|owner)|(?:admin|owner|root) (?:scope|rights|access to everything)|every(?:one|body) (?:owner|admin))\b`,
  ],
  // A protection set to a value that switches it off.
  [
    'disable security',
    String.raw`\b(?:set|sets|setting|turn(?:s|ed|ing)?|chang(?:e|es|ed|ing)|switch(?:es|ed|ing)?|loosen(?:s|ed|ing)?|rais(?:e|es|ed|ing))\b.{0,50}\bto (?:never|unlimited|no expiration|zero|0|none|allow all|public)\b|\ballow(?:s|ed|ing)? (?:all|any|every) (?:inbound|incoming|traffic|ips?|addresses|connections?|origins?)\b|\ballow(?:s|ed|ing)? force[- ]push(?:es|ing)?\b|\bapprov(?:e|es|ed|ing) (?:their|your|his|her|its) own\b`,
  ],
  // Passing a control the person failed: "even though the caller could not answer the security questions".
  [
    'skip verification',
    String.raw`\beven (?:though|if)\b.{0,50}\b(?:could not|couldn't|cannot|can't|did not|didn't|failed(?: to)?)\b (?:answer|verify|pass|prove|confirm)|\bfalse positive even (?:if|though)\b`,
  ],
];
