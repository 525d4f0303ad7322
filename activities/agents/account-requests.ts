/**
 * The account changes a ticket asks for, read from its redacted, normalised text: reset my two-factor,
 * suspend a member, make someone the owner, move to another plan. Only explicit requests count; the text
 * names what to change, never whether it may be changed: the facts (account-tools.ts) and the action policy
 * decide that, and a person confirms it.
 */
import { normalizeText } from '../../core/text-normalize';
import { PLANS } from '../security/account-data';
import type { AccountRequest } from './account-tools';

const LOGIN = String.raw`@?([a-z0-9][a-z0-9-]{0,38})`;
const NOT_A_LOGIN = new Set([
  'it',
  'them',
  'me',
  'my',
  'our',
  'this',
  'that',
  'the',
  'his',
  'her',
  'their',
  'your',
  'a',
]);
const SECOND_FACTOR = String.raw`(?:2fa|two[- ]factor(?: authentication)?|mfa|multi[- ]factor(?: authentication)?)`;

const RESET_2FA = [
  new RegExp(String.raw`\b(?:reset|remove|disable|turn off|switch off|clear|unenroll)\b[^.!?]{0,30}\b${SECOND_FACTOR}`),
  new RegExp(String.raw`\b(?:need|want|like)\s+(?:my\s+|the\s+)?${SECOND_FACTOR}\s+(?:to be\s+)?reset\b`),
];
const SUSPEND = [
  new RegExp(
    String.raw`\b(?:suspend|disable|deactivate|lock|block|offboard)\s+(?:the\s+)?(?:user|member|account)\s+(?:of\s+)?${LOGIN}`,
    'g',
  ),
  new RegExp(String.raw`\b(?:suspend|deactivate|offboard)\s+${LOGIN}`, 'g'),
];
const NEW_OWNER = [
  new RegExp(String.raw`\b(?:make|set)\s+${LOGIN}\s+(?:the\s+)?(?:new\s+)?owner\b`, 'g'),
  new RegExp(
    String.raw`\b(?:transfer|hand over|give)\s+(?:the\s+)?(?:org(?:anization)?'?s?\s+)?ownership\b[^.!?]{0,40}?\bto\s+${LOGIN}`,
    'g',
  ),
  new RegExp(String.raw`\bchange\s+(?:the\s+)?(?:org(?:anization)?'?s?\s+)?owner\b[^.!?]{0,40}?\bto\s+${LOGIN}`, 'g'),
];
const NEW_PLAN = new RegExp(
  String.raw`\b(?:downgrade|upgrade|switch|move|change)\b[^.!?]{0,40}?\bto\s+(?:the\s+)?(${PLANS.join('|')})(?:\s+plan)?\b`,
);

const logins = (text: string, res: RegExp[]) =>
  [...new Set(res.flatMap((r) => [...text.matchAll(r)].map((m) => m[1]!)))].filter((l) => !NOT_A_LOGIN.has(l));

/** `self` is the asking user; `org` their organization on file (the target of an ownership or plan change). */
export function accountRequests(text: string, self: string, org: string | undefined): AccountRequest[] {
  const t = normalizeText(text)
    .replace(/[\u2018\u2019]/g, "'")
    .toLowerCase();
  const out: AccountRequest[] = [];
  if (RESET_2FA.some((r) => r.test(t))) out.push({ tool: 'reset_2fa', target: self });
  for (const login of logins(t, SUSPEND)) out.push({ tool: 'lock_account', target: login });
  const owner = logins(t, NEW_OWNER)[0];
  if (owner) out.push({ tool: 'change_owner', target: org ?? self, value: owner });
  const plan = NEW_PLAN.exec(t)?.[1];
  if (plan && /\bplan\b/.test(t)) out.push({ tool: 'change_plan', target: org ?? self, value: plan });
  return out;
}
