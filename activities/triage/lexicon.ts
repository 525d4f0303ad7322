/**
 * The rules model's domain knowledge: weighted cues per team, per risk category, for urgency and tone.
 * Cues are stems and short phrases that describe the domain (what a 2FA lockout or a runner outage sounds
 * like), not strings lifted from particular tickets, so they carry over to tickets nobody has seen.
 * Weights: 3 = names the team's product or problem on its own, 2 = strong hint, 1 = weak hint.
 */
import type { RiskCategory, Topic } from '../../core/domain';

export interface Cue {
  re: RegExp;
  w: number;
}

const cue = (re: RegExp, w: number): Cue => ({ re, w });

// The cue tables stay one cue per line, as written: a formatter would break each long pattern over four lines.
// prettier-ignore
export const topicCues: Record<Exclude<Topic, 'unknown'>, Cue[]> = {
  'A&S': [
    cue(/\b(?:2fa|two[- ]?factor|mfa|multi[- ]?factor|authenticator|totp|otp)\b/, 3),
    cue(/\brecovery codes?\b|\bbackup codes?\b|\bsecurity keys?\b|\bpasskeys?\b/, 3),
    cue(/\blocked out\b|\block ?out\b|\bcan'?t (?:log ?in|sign ?in|get in|access my account)|\bcannot (?:log ?in|sign ?in|access)/, 3),
    cue(/\b(?:password|passphrase)s?\b|\bpwd\b/, 2),
    cue(/\b(?:log ?in|sign[- ]?in|logins?)\b/, 1),
    cue(/\baccount\b/, 1),
    cue(/\b(?:hack(?:ed|er|ing)?|compromised?|taken over|took over|take ?over|hijack\w*|stolen|breach(?:ed)?(?! of contract))\b/, 3),
    cue(/\b(?:unauthori[sz]ed|suspicious|wasn'?t me|not me|didn'?t (?:do|make|create|authori[sz]e)|never did|don'?t recogni[sz]e|i did not)\b/, 2),
    cue(/\bssh keys?\b|\bdeploy keys?\b|\boauth apps?\b|\bsessions?\b/, 1),
    cue(/\b(?:personal access tokens?|pats?|access tokens?|api tokens?|api keys?|secret keys?|credentials?|\.env)\b/, 2),
    cue(/\b(?:revoke|rotate|leak(?:ed)?|expos(?:ed|ure)|committed|pushed|pasted)\b/, 1),
    cue(/\[redacted_(?:github_token|aws_key|jwt|secret)\]/, 3),
    cue(/\b(?:phishing|spam(?:my|mer|ming)?|impersonat\w*|doxx?\w*|harass\w*|terms of service|tos)\b/, 2),
    cue(/\b(?:suspended|flagged|deleted|banned|disabled)\b.{0,30}\baccount\b|\baccount\b.{0,30}\b(?:suspended|flagged|deleted|banned)\b/, 3),
    cue(/\bpersonal (?:data|information)\b|\bgdpr\b|\bright to (?:be forgotten|erasure)\b|\bdata protection\b/, 2),
    cue(/\b(?:security log|security review|verify my identity|identity verification|email verification)\b/, 2),
    cue(/\b(?:list of users|their emails|user emails|admin password)\b/, 2),
  ],
  Billing: [
    cue(/\b(?:billing|billed|bill|invoices?|receipts?|vat|tax)\b/, 3),
    // Money moving is Billing's even when a product is named ("refund my ShotGun plan"): the strongest cue.
    cue(/\b(?:refund\w*|charged?|charges|chargeback|overcharged|double[- ]charged|duplicate charge|dispute)\b/, 4),
    cue(/\b(?:payments?|paid|pay|money|price|pricing|cost|costs|\$\d+|€\d+|usd|eur)\b/, 2),
    cue(/\b(?:subscriptions?|subscribe\w*|plans?|upgrad\w+|downgrad\w+|renew\w*|trial|checkout)\b/, 2),
    cue(/\b(?:coupons?|promo codes?|discounts?|credit card|card (?:was |got )?declined|declined)\b/, 3),
    cue(/\bspending limits?\b|\bspending\b/, 3),
    cue(/\b(?:budgets?|metered|overage|usage (?:limits?|costs?|billing)|storage quota)\b/, 2),
    cue(/\b(?:increase|raise|bump|extend)\b.{0,30}\b(?:budget|limit|spending|quota)\b/, 2),
    cue(/\bminutes\b/, 1),
    cue(/\btransaction(?: ids?)?\b|\btxn_\w+/, 3),
    cue(/\bseats?\b/, 1),
  ],
  Enterprise: [
    cue(/\benterprise\b/, 2),
    cue(/\b(?:ghec|ghes|enterprise (?:cloud|server)|appliance|maintenance mode)\b/, 3),
    cue(/\b(?:saml|sso|single sign[- ]on|scim|idp|identity provider|okta|azure ad|entra|onelogin|ping ?identity|ldap)\b/, 3),
    cue(/\b(?:provisioning|deprovision\w*|managed users|emu|audit log streaming|ip allow ?list|data residency)\b/, 3),
    cue(/\b(?:enterprise owners?|enterprise admins?|org(?:anization)? owners?|organi[sz]ation'?s?|orgs?)\b/, 1),
  ],
  DevSupport: [
    cue(/\bgit (?:push|pull|clone|fetch|merge|rebase|commit|checkout|lfs|status|log)\b/, 3),
    cue(/\b(?:push(?:ing|es)?|clon(?:e|ing)|fetch|rebase|merg(?:e|ing)|fork|branch(?:es)?|commits?|pull requests?|prs?|pr #\d+|#\d{2,})\b/, 2),
    cue(/\b(?:repo|repos|repository|repositories|remote|pre-receive|protected branch|status checks?)\b/, 1),
    cue(/\b(?:api|rest api|graphql|endpoint|pagination|rate[- ]limit\w*|x-ratelimit\S*)\b/, 2),
    cue(/\bwebhooks?\b|\bdeliver(?:y|ies)\b|\bpayloads?\b/, 3),
    cue(/\bpermission denied \(publickey\)|\bpack exceeds\b|\bremote rejected\b|\bfatal:/, 3),
    cue(/\b(?:https|ssh)\b/, 1),
  ],
  Workers: [
    cue(/\b(?:runners?|self[- ]hosted|hosted runners?)\b/, 3),
    cue(/\b(?:workflows?|actions|ci\/cd|ci|cd|pipelines?|jobs?|matrix|build(?:s| step)?|deploy\w*|releases?)\b/, 2),
    cue(/\b(?:ya?ml|\.githouse\/workflows|workflow file|artifacts?|caches?)\b/, 2),
    cue(/\b(?:container registry|docker|images?|packages?|package registry|ghcr|npm|maven|nuget|write_package|publish\w*)\b/, 2),
    cue(/\b(?:queued|lost communication|no space left)\b/, 2),
  ],
  ShotGun: [
    cue(/\bshot ?gun\b/, 4),
    cue(/\b(?:ide|vs ?code|jetbrains|intellij|pycharm|neovim|vim|visual studio|editor|extensions?|plugins?)\b/, 2),
    cue(/\b(?:suggestions?|completions?|autocomplete|code completion|chat)\b/, 1),
    cue(/\b(?:content exclu\w+|exclusion list|telemetry|copilot)\b/, 2),
    cue(/\blicen[cs]es?\b/, 1),
  ],
  Discourse: [
    cue(/\b(?:docs|documentation|doc page|docs page|tutorial|guide)\b/, 3),
    cue(/\b(?:forums?|discourse|community forum)\b/, 3),
    cue(/\b(?:community|discussions?|moderators?|thread|post(?:ed)? on)\b/, 2),
    cue(/\b(?:githouse stars?|star program|ambassador|badges?)\b/, 3),
    cue(/\b(?:site search|search index|search results|broken link|typo in|markdown|renders?|rendering|mermaid)\b/, 2),
  ],
};

/** Risk cues. Entities found by the PII detectors are added to these scores by the classifier. */
// prettier-ignore
export const riskCues: Record<Exclude<RiskCategory, 'none'>, Cue[]> = {
  ATO: [
    cue(/\b(?:hack(?:ed|er)|compromised?|taken over|took over|takeover|hijack\w*|stolen account|account (?:was )?stolen)\b/, 3),
    cue(/\b(?:wasn'?t me|not me|didn'?t (?:do|make|create|authori[sz]e|buy)|never did|never bought|don'?t (?:recogni[sz]e|know)|i did not|without my (?:permission|consent|knowledge))\b/, 2),
    cue(/\b(?:someone|somebody|attacker|stranger)\b.{0,40}\b(?:log(?:ged)? ?in|signed in|access\w*|using my|changed|added|took|is using)\b/, 3),
    cue(/\b(?:unauthori[sz]ed|suspicious)\b.{0,30}\b(?:login|log ?in|sign[- ]?in|access|activity|charges?|session)\b/, 2),
    cue(/\b(?:2fa|two[- ]?factor|mfa)\b.{0,30}\b(?:disabled|turned off|removed)\b|\b(?:disable|turn off|remove)\b.{0,30}\b(?:2fa|two[- ]?factor|mfa)\b/, 2),
    cue(/\b(?:phishing|clicked (?:it|the link)|typed my password|entered my password)\b/, 3),
    cue(/\b(?:admin password|mark my account verified|give me access to|tell me the password)\b/, 3),
    cue(/\bpassword was changed\b|\bchanged my (?:email|password)\b/, 2),
    // A sign-in the customer disowns: a new device or place, while they were elsewhere.
    cue(/\bnew (?:device|location|browser)\b.{0,20}\b(?:signed|logged) in\b|\b(?:signed|logged) in from (?:a new|an unknown|an unrecogni[sz]ed)\b/, 2),
    cue(/\b(?:i was|while i was) (?:asleep|sleeping|on vacation|on holiday|offline|on a plane)\b|\bi live in\b/, 2),
    // Social engineering: changing someone's security settings with the checks skipped.
    cue(/\b(?:skip|bypass|without|waive)\b.{0,25}\b(?:identity|verification|verify|checks?)\b/, 2),
    cue(/\b(?:reset|disable|remove|turn off)\b.{0,20}\b(?:2fa|two[- ]?factor|mfa|password)\b.{0,20}\b(?:on|for) (?:the )?(?:account|user)\b/, 2),
  ],
  TOKEN_EXPOSURE: [
    cue(/\b(?:leak(?:ed|s)?|expos(?:ed|ure)|committed|pushed|pasted|published|public)\b.{0,60}\b(?:tokens?|keys?|secrets?|credentials?|pat|\.env|jwt)\b/, 3),
    cue(/\b(?:tokens?|keys?|secrets?|credentials?|pat|\.env|jwt)\b.{0,60}\b(?:leak(?:ed|s)?|expos(?:ed|ure)|committed|pushed|pasted|public|in a (?:public )?(?:gist|repo|log))\b/, 3),
  ],
  LEGAL_THREAT: [
    cue(/\b(?:lawyers?|attorneys?|solicitors?|legal (?:action|team|counsel|department)|lawsuit|sue|suing|court|litigation|class action)\b/, 3),
    cue(/\b(?:escalate to legal|legal\b|breach of contract|cease and desist|regulator|data protection authority|consumer protection|file a complaint)\b/, 2),
    cue(/\b(?:gdpr|article 17|compensation|damages|final notice)\b/, 1),
  ],
  PII_LEAK: [
    cue(/\b(?:doxx?\w*|home address|phone number|personal (?:data|information|details))\b.{0,60}\b(?:public|published|posted|exposed|leak\w*|visible)\b/, 3),
    cue(/\b(?:publish|post|expos|leak|shar|spread)\w*\b.{0,40}\b(?:my|our)\b.{0,20}\b(?:address|phone|email|personal)\b/, 3),
    cue(/\b(?:list of (?:all )?users|all users|their emails|user emails|email addresses of)\b/, 3),
    cue(/\b(?:data (?:breach|leak)|pii)\b/, 2),
  ],
};

// prettier-ignore
export const urgencyCues = {
  critical: [
    cue(/\b(?:production|prod)\b.{0,30}\b(?:down|dead|broken|failing|blocked)\b|\boutage\b|\bemergency\b/, 3),
    cue(/\b(?:whole|entire|all (?:of )?(?:our|the))\b.{0,25}\b(?:team|company|enterprise|org\w*|engineers|users|pipeline|ci)\b/, 2),
    cue(/\b\d{2,}\s+(?:engineers|developers|users|people)\b.{0,30}\b(?:can'?t|cannot|unable)\b/, 3),
    cue(/\bblocked\b|\bdead\b|\bevery (?:run|build|job|workflow|minute)\b|\bstuck\b|\bfailed\b/, 1),
    cue(/\blosing (?:money|dev time|revenue|customers)\b/, 3),
  ],
  high: [
    cue(/\b(?:urgent\w*|asap|immediately|right now|as soon as possible|critical)\b|\b(?:now|help)!/, 2),
    cue(/\bevery (?:workflow|job|build|run|deploy)\b|\bstopped (?:working|picking|running)\b|\bbreathing down\b/, 2),
    cue(/\b(?:locked out|can'?t (?:log ?in|sign ?in|get in|access)|cannot (?:access|log ?in)|unable to (?:access|log ?in))\b/, 2),
    cue(/\b(?:\d+|three|four|five|six|several) (?:days|hours|weeks)\b|\bfor days\b|\bstill\b/, 1),
    cue(/\b(?:money back|dispute|lawyers?|attorneys?|lawsuit|legal|data protection authority)\b/, 2),
  ],
  low: [
    cue(/\b(?:just letting you know|fyi|quick question|curious|when you (?:have|get) (?:time|a chance)|no rush|how do i apply|tips\??|how does|explain|difference between|could you send)\b/, 2),
    cue(/\b(?:docs?|documentation|typo|broken link|feedback|forum|community|star)\b/, 1),
    cue(/\?\s*$/, 1),
  ],
};

// prettier-ignore
export const toneCues = {
  frustrated: [
    cue(/\b(?:ridiculous|unacceptable|terrible|awful|useless|worst|fed up|sick of|annoy\w*|furious|angry|disappointed|again\?|seriously|wtf|come on|still not|what'?s going on|whats goin on|hammered|fix (?:this|it))\b/, 2),
    cue(/\b(?:waiting|waited)\b.{0,20}\b(?:days|hours|weeks)\b|\bthird time\b|\bthree times\b|\btwice\b.{0,20}\b(?:already|now)\b/, 2),
    cue(/!{2,}/, 1),
    cue(/\b(?:lawyers?|attorney|lawsuit|final notice|deleted my account)\b/, 1),
  ],
  urgent: [
    cue(/\b(?:urgent\w*|asap|immediately|right now|emergency|quickly|lock it down|what now)\b|\bhelp!|\?\?/, 2),
    cue(/\b(?:hacked|compromised|wasn'?t me|did not do|never did|someone (?:is using|logged)|public for|been public)\b/, 2),
    cue(/!/, 1),
  ],
  polite: [
    cue(/\b(?:please|pls|thanks?|thank you|appreciate\w*|kindly|grateful|sorry|would you mind|could you|would love)\b/, 2),
    cue(/^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon))\b/, 1),
  ],
};

/** Instructions aimed at the model rather than a question for support. They never change what happens. */
// prettier-ignore
export const injectionCues: RegExp[] = [
  /\b(?:ignore|disregard|forget)\b.{0,30}\b(?:previous|prior|above|all|your)\b.{0,20}\b(?:instructions?|rules|prompts?|sop|polic\w+)\b/i,
  /\b(?:you are now|act as|pretend to be|admin mode|developer mode|system override|jailbreak)\b/i,
  /\bwithout (?:verification|verifying|checking)\b/i,
];

/**
 * Domain words the spelling normaliser may correct towards ("pasword" -> "password"). Only these: correcting
 * towards ordinary English would turn "change" into "charge".
 */
// prettier-ignore
export const vocabulary = [
  'account', 'authenticator', 'authentication', 'recovery', 'password', 'passwords', 'billing', 'refund', 'refunded',
  'invoice', 'subscription', 'payment', 'charged', 'receipt', 'enterprise', 'provisioning', 'webhook', 'webhooks',
  'repository', 'workflow', 'workflows', 'runner', 'runners', 'pipeline', 'container', 'registry', 'package',
  'extension', 'suggestions', 'license', 'documentation', 'community', 'discussion', 'compromised', 'hacked',
  'unauthorized', 'suspicious', 'security', 'budget', 'spending', 'coupon', 'lawyer', 'attorney', 'lawsuit',
  'duplicate', 'access', 'login', 'token', 'tokens', 'cancelled', 'canceled', 'upgrade', 'downgrade', 'deprovisioning', 'pagination', 'rebase', 'locked',
];

/**
 * Real English words within correcting distance of a domain word ("sending" ~ "spending"): never corrected.
 * Generated offline from the wamerican word list against `vocabulary` (5+ letters, same first letter, OSA distance 1,
 * or 2 for words of 9+ letters); regenerate when the vocabulary changes.
 */
// prettier-ignore
export const protectedWords = new Set([
  'accounted', 'accounts', 'attorneys', 'authenticate', 'authenticated', 'authenticates', 'authenticating',
  'authentications', 'balling', 'belling', 'bilking', 'billeting', 'billings', 'billowing', 'budge', 'budged',
  'budges', 'budgets', 'bulling', 'catcalled', 'changed', 'channeled', 'channelled', 'charge', 'charger', 'charges',
  'charmed', 'charred', 'charted', 'commodity', 'communing', 'communion', 'communism', 'communist', 'communists',
  'comprised', 'compromise', 'compromises', 'concealed', 'contained', 'containers', 'coupons', 'discussing',
  'discussions', 'dissuasion', 'documentations', 'downgraded', 'downgrades', 'duplicated', 'duplicates',
  'duplicator', 'duplicity', 'enterprises', 'expansion', 'extensional', 'extensions', 'extensive', 'extrusion',
  'hacker', 'harked', 'hawked', 'hocked', 'invoiced', 'invoices', 'lacked', 'lawsuits', 'lawyers', 'layer',
  'licence', 'licensed', 'licensee', 'licensees', 'licenses', 'licked', 'locke', 'locker', 'locket', 'logan',
  'logic', 'logins', 'logon', 'looked', 'lucked', 'packaged', 'packages', 'paginating', 'passports', 'payments',
  'pipelines', 'priceline', 'rebate', 'rebounded', 'receipted', 'receipts', 'recover', 'recovered', 'recovers',
  'redounded', 'refunds', 'registers', 'registrar', 'resounded', 'runnel', 'runnels', 'runnier', 'sending',
  'speeding', 'spindling', 'spreading', 'subscriptions', 'suggesting', 'suggestion', 'suspending', 'suspicion',
  'suspicions', 'suspiciously', 'taken', 'toked', 'tokes', 'upgraded', 'upgrades',
  'change', 'changes', 'willing', 'filling', 'killing', 'packing', 'parking',
]);
