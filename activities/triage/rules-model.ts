/**
 * The deterministic triage model: lexicon cues, entity detectors and a few thresholds. It reads the
 * ticket as data only: instructions inside it ("ignore previous instructions") change nothing, because
 * nothing here executes text. Its confidence grows with the evidence and shrinks when two readings compete.
 */
import type { ExtractedEntity, QueryAnalysis, RiskCategory, Topic } from '../../core/domain';
import { riskCues, topicCues, toneCues, urgencyCues, type Cue } from './lexicon';
import { isShouting, normalize } from './normalize';

export const RULES_MODEL_ID = 'rules-v1';

/** A topic needs this much evidence to be the ticket's topic; below it the ticket is `unknown`. */
const TOPIC_MIN = 2;
/** A further topic the ticket touches needs a strong cue or two medium ones. */
const SECONDARY_MIN = 3;
/** A risk category needs this much evidence; weaker hints only lower the confidence. */
const RISK_MIN = 3;

export interface RulesVerdict {
  analysis: QueryAnalysis;
  risk: RiskCategory;
  confidence: number;
  /** Scores behind the verdict, for the triage CLI's debugging and the tests. */
  evidence: { topics: Record<string, number>; risks: Record<string, number> };
}

function score(text: string, cues: Cue[]): number {
  let s = 0;
  for (const c of cues) if (c.re.test(text)) s += c.w;
  return s;
}

const SSO = /\b(?:saml|sso|single sign[- ]on|idp|identity provider)\b/;
const SIGN_IN_CUES: Cue[] = [
  { re: /\b(?:log ?in|sign[- ]?in|logins?)\b/, w: 1 },
  { re: /\bcan'?t (?:log ?in|sign ?in|get in)|\bcannot (?:log ?in|sign ?in)/, w: 3 },
];

const saturate = (x: number, k: number) => 1 - Math.exp(-x / k);

/** Evidence the detectors found, per risk category: a pasted credential is strong on its own. */
function entityRiskScores(entities: ExtractedEntity[]): Record<Exclude<RiskCategory, 'none'>, number> {
  const out = { ATO: 0, TOKEN_EXPOSURE: 0, LEGAL_THREAT: 0, PII_LEAK: 0 };
  for (const e of entities) {
    if (e.kind === 'token' || e.kind === 'aws_key' || e.kind === 'jwt' || e.kind === 'secret') out.TOKEN_EXPOSURE += 6;
    // Payment and identity numbers the customer pasted are personal data in the open, like a card.
    if (e.kind === 'card' || e.kind === 'iban' || e.kind === 'ssn') out.PII_LEAK += 4;
    if (e.kind === 'phone' || e.kind === 'email') out.PII_LEAK += 0.5;
    if (e.kind === 'ip') out.ATO += 0.5;
  }
  return out;
}

/** Ties go to the category whose handling protects the customer most. */
const RISK_ORDER: Exclude<RiskCategory, 'none'>[] = ['TOKEN_EXPOSURE', 'ATO', 'LEGAL_THREAT', 'PII_LEAK'];
const TOPIC_ORDER: Exclude<Topic, 'unknown'>[] = [
  'A&S',
  'Billing',
  'Enterprise',
  'Workers',
  'DevSupport',
  'ShotGun',
  'Discourse',
];

const INTENTS: [RegExp, string][] = [
  [
    /\b(?:ignore|disregard)\b.{0,30}\b(?:instructions?|rules|sop)\b/,
    'instructions aimed at the assistant (treated as data)',
  ],
  [
    /\b(?:leak|expos|committed|pushed|pasted|public)\w*\b.{0,60}\b(?:token|key|secret|credential|\.env|jwt)|\[redacted_(?:github_token|aws_key|jwt|secret)\]/,
    'revoke an exposed credential',
  ],
  [
    /\b(?:hack|compromis|took over|taken over|wasn'?t me|not me|phishing|someone)\w*/,
    'secure a possibly compromised account',
  ],
  [/\b(?:lawyer|attorney|lawsuit|legal|gdpr)\b/, 'legal demand'],
  [/\b(?:2fa|two[- ]?factor|recovery codes?|authenticator|locked out|lockout)\b/, 'regain account access (2FA)'],
  [/\b(?:duplicate charge|charged twice|double[- ]charged)\b/, 'refund a duplicate charge'],
  [/\brefund|money back\b/, 'request a refund'],
  [/\b(?:spending limit|budget)\b/, 'change the spending limit or budget'],
  [/\b(?:invoice|receipt|vat)\b/, 'get an invoice or receipt'],
  [/\b(?:saml|sso|single sign[- ]on)\b/, 'fix enterprise SSO sign-in'],
  [/\bscim|provisioning\b/, 'fix SCIM provisioning'],
  [/\bwebhook/, 'fix webhook deliveries'],
  [/\brate[- ]limit/, 'understand API rate limits'],
  [/\brunners?\b/, 'get runners picking up jobs'],
  [/\b(?:registry|package)\b/, 'publish a package'],
  [/\bworkflow|actions|pipeline\b/, 'fix a CI/CD workflow'],
  [/\bshot ?gun\b.{0,80}\b(?:licen|seat)|\b(?:licen|seat)\w*\b.{0,80}\bshot ?gun/, 'assign ShotGun seats'],
  [/\bshot ?gun\b/, 'fix ShotGun in the IDE'],
  [/\bgit\b|\bclone|\bpush|\bmerge/, 'fix a git operation'],
  [/\bpassword|log ?in|sign ?in\b/, 'fix a sign-in problem'],
  [/\bdocs?\b|documentation/, 'report a documentation problem'],
  [/\bforum|community|discussion|moderator\b/, 'community forum help'],
  [/\bstars?\b/, 'join the GitHouse Stars program'],
];

function intentOf(text: string, topic: Topic): string {
  for (const [re, intent] of INTENTS) if (re.test(text)) return intent;
  return topic === 'unknown' ? 'unclear request' : `get help from ${topic}`;
}

function urgencyOf(
  text: string,
  risk: RiskCategory,
  riskScore: number,
  topic: Topic,
  shouting: boolean,
): QueryAnalysis['urgency'] {
  const critical = score(text, urgencyCues.critical);
  const high = score(text, urgencyCues.high);
  const low = score(text, urgencyCues.low);
  // A pasted credential or a takeover with corroborating signs is live damage: critical.
  if ((risk === 'TOKEN_EXPOSURE' && riskScore >= 6) || (risk === 'ATO' && riskScore >= 4)) return 'critical';
  if (critical >= 3) return 'critical';
  if (risk !== 'none' || high >= 2 || critical >= 2 || shouting) return 'high';
  if (topic === 'unknown') return 'low';
  if (low >= 2 && high === 0 && critical === 0) return 'low';
  return 'medium';
}

function toneOf(text: string, shouting: boolean): QueryAnalysis['tone'] {
  if (shouting || score(text, toneCues.frustrated) >= 2) return 'frustrated';
  if (score(text, toneCues.urgent) >= 2) return 'urgent';
  if (score(text, toneCues.polite) >= 2) return 'polite';
  return 'neutral';
}

/** Classifies redacted ticket text; `entities` are what the detectors found in the raw text. */
export function classify(redactedText: string, entities: ExtractedEntity[]): RulesVerdict {
  const text = normalize(redactedText);
  const shouting = isShouting(redactedText);

  const topicScores: Record<string, number> = {};
  for (const t of TOPIC_ORDER) topicScores[t] = score(text, topicCues[t]);
  // Under single sign-on, "can't sign in" is the identity provider's problem (Enterprise), not the account's.
  if (SSO.test(text)) topicScores['A&S'] = Math.max(0, topicScores['A&S']! - score(text, SIGN_IN_CUES));
  const ranked = [...TOPIC_ORDER].sort((a, b) => topicScores[b]! - topicScores[a]!);
  const top = ranked[0]!;
  const topScore = topicScores[top]!;
  const secondScore = topicScores[ranked[1]!]!;

  const fromEntities = entityRiskScores(entities);
  const riskScores: Record<string, number> = {};
  for (const r of RISK_ORDER) riskScores[r] = score(text, riskCues[r]) + fromEntities[r];
  const bestRisk = [...RISK_ORDER].sort((a, b) => riskScores[b]! - riskScores[a]!)[0]!;
  const bestRiskScore = riskScores[bestRisk]!;
  const risk: RiskCategory = bestRiskScore >= RISK_MIN ? bestRisk : 'none';

  let topic: Topic = topScore >= TOPIC_MIN ? top : 'unknown';
  // Account takeover and exposed credentials are the security team's, whatever product they surfaced in.
  if (risk === 'ATO' || risk === 'TOKEN_EXPOSURE') topic = 'A&S';
  // Someone else exposing the customer's personal data is harassment/doxxing: the A&S team's (a card number
  // the customer pasted themselves stays with the team the ticket is about).
  if (risk === 'PII_LEAK' && score(text, riskCues.PII_LEAK) >= RISK_MIN) topic = 'A&S';
  const topics = TOPIC_ORDER.filter((t) => t !== topic && topicScores[t]! >= SECONDARY_MIN);

  // Confidence: saturating in the evidence, discounted when the runner-up reading is close.
  const topicConfidence =
    topic === 'unknown'
      ? 0.3 + 0.1 * Math.min(topScore, 1)
      : saturate(topScore, 2.5) * (0.7 + 0.3 * ((topScore - secondScore) / topScore));
  let confidence: number;
  if (risk !== 'none') {
    // A second risk (a legal threat beside a pasted token) is more danger, not doubt about the first: it
    // never lowers the first one's confidence.
    confidence = saturate(bestRiskScore, 2.5);
  } else {
    // Hints of a threat that did not reach the bar make "no threat" less certain.
    confidence = topicConfidence * (1 - 0.4 * saturate(bestRiskScore, 2));
  }

  return {
    analysis: {
      intent: intentOf(text, topic),
      urgency: urgencyOf(text, risk, bestRiskScore, topic, shouting),
      tone: toneOf(text, shouting),
      topic,
      topics,
      is_sensitive: risk !== 'none',
    },
    risk,
    confidence: Math.round(Math.min(0.99, Math.max(0.05, confidence)) * 100) / 100,
    evidence: { topics: topicScores, risks: riskScores },
  };
}
