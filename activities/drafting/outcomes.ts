/**
 * What a reply may say about actions: only what this ticket's tool runs did. SOP prose describes what
 * should happen, so a sentence in it that says an action was taken ("We have revoked the exposed
 * credential") is dropped; the statements come from the runs instead (done, failed, or waiting for a
 * person). `unsupportedClaims` checks any reply (a model's, a person's) against the same runs.
 */
import type { Findings, ProposalStatus, ProposedAction, ToolRun } from '../../core/domain';
import { normalizeText } from '../../core/text-normalize';
import { formatMoney } from '../../core/money';

export type ClaimedAction = 'revoke' | 'refund' | 'secure' | 'reset_2fa' | 'change_owner' | 'change_plan';

const WE = String.raw`\b(?:we|i|our (?:security |support )?team)\s+(?:have\s+|'ve\s+|has\s+|had\s+)?(?:now\s+|already\s+|just\s+)?`;
const CLAIMS: Record<ClaimedAction, RegExp[]> = {
  revoke: [
    new RegExp(
      String.raw`${WE}(?:revoked|invalidated|deactivated|disabled|rotated|killed)\b[^.!?]*\b(?:tokens?|credentials?|keys?|secrets?)\b`,
    ),
    /\b(?:tokens?|credentials?|keys?|secrets?)\b[^.!?]*\b(?:has|have|was|were|is|are)\s+(?:now\s+)?(?:been\s+)?(?:revoked|invalidated|deactivated)\b/,
  ],
  refund: [
    new RegExp(
      String.raw`${WE}(?:refunded|issued (?:you )?(?:a |the |your )?refund|processed (?:a |the |your )?refund|sent (?:you )?(?:a |the |your )?refund)`,
    ),
    /\brefunds?\b[^.!?]*\b(?:has|have|was|were|is)\s+(?:now\s+)?(?:been\s+)?(?:issued|processed|sent|completed|made)\b/,
    /\b(?:has|have|was|were)\s+(?:now\s+)?been\s+refunded\b/,
  ],
  secure: [new RegExp(String.raw`${WE}(?:secured|locked|frozen|froze|suspended)\b[^.!?]*\baccount`)],
  reset_2fa: [
    new RegExp(
      String.raw`${WE}(?:reset|removed|disabled|turned off|switched off|cleared)\b[^.!?]*\b(?:2fa|two[- ]factor|mfa|multi[- ]factor)`,
    ),
  ],
  change_owner: [
    new RegExp(String.raw`${WE}(?:made|set|transferred|changed)\b[^.!?]*\b(?:owner|ownership)\b`),
    /\b(?:is|was|has been) now (?:the )?owner\b/,
  ],
  change_plan: [new RegExp(String.raw`${WE}(?:changed|moved|switched|upgraded|downgraded)\b[^.!?]*\bplan\b`)],
};

/** Which tool's success supports which claim. */
const TOOL_ACTION: Record<string, ClaimedAction> = {
  revoke_tokens: 'revoke',
  refund: 'refund',
  lock_account: 'secure',
  reset_2fa: 'reset_2fa',
  change_owner: 'change_owner',
  change_plan: 'change_plan',
};

const sentences = (text: string) => text.split(/(?<=[.!?])\s+|\n+/).filter((s) => s.trim());
const lower = (s: string) =>
  normalizeText(s)
    .replace(/[\u2018\u2019]/g, "'")
    .toLowerCase();

function claimsOf(sentence: string): ClaimedAction[] {
  return (Object.entries(CLAIMS) as [ClaimedAction, RegExp[]][])
    .filter(([, res]) => res.some((r) => r.test(sentence)))
    .map(([action]) => action);
}

export function claimsIn(text: string): Set<ClaimedAction> {
  return new Set(sentences(lower(text)).flatMap(claimsOf));
}

/** SOP text without the sentences that say an action was taken. */
export function withoutClaims(text: string): string {
  return sentences(text)
    .filter((s) => claimsIn(s).size === 0)
    .join(' ');
}

type RevokeEntry = { masked: string; status: 'revoked' | 'already_revoked' | 'blocklisted' };
const revokeEntries = (r: ToolRun) => (r.output.revoked as RevokeEntry[] | undefined) ?? [];
/** What this ticket's revocation did itself: a credential found already revoked was someone else's doing. */
const revokedHere = (r: ToolRun) => revokeEntries(r).filter((e) => e.status !== 'already_revoked');

/** A run that did something: a refund that went through, a revocation of at least one credential by this ticket. */
function didSomething(r: ToolRun): boolean {
  if (!r.ok) return false;
  if (r.tool === 'revoke_tokens') return revokedHere(r).length > 0;
  return true;
}

export function succeededActions(runs: ToolRun[]): Set<ClaimedAction> {
  return new Set(runs.filter((r) => TOOL_ACTION[r.tool] && didSomething(r)).map((r) => TOOL_ACTION[r.tool]!));
}

/** The items (lower-cased) this ticket's runs really acted on, per action: refunded ids, revoked credentials. */
function actedItems(runs: ToolRun[]): Record<ClaimedAction, Set<string>> {
  const items = Object.fromEntries(Object.keys(CLAIMS).map((k) => [k, new Set<string>()])) as Record<
    ClaimedAction,
    Set<string>
  >;
  for (const r of runs) {
    if (!didSomething(r)) continue;
    if (r.tool === 'refund' && typeof r.output.id === 'string') items.refund.add(r.output.id.toLowerCase());
    if (r.tool === 'revoke_tokens') for (const e of revokedHere(r)) items.revoke.add(lower(e.masked));
  }
  return items;
}

/** The items a claim sentence names: transaction ids for refunds, masked credentials for revocations. */
const NAMED: Partial<Record<ClaimedAction, RegExp>> = {
  refund: /\btxn_[a-z0-9]{4,32}\b/g,
  // A masked credential as the detectors write it ("ghp_…ab12"), after NFKC turned the ellipsis into dots.
  revoke: /\b[a-z0-9_-]{2,12}(?:\.\.\.|\*{2,})[a-z0-9]{2,8}\b/g,
};

/**
 * The actions a reply claims that no run of this ticket did, checked per item: a sentence that names a
 * transaction or a credential is supported only by a run that acted on that very one.
 */
export function unsupportedClaims(text: string, runs: ToolRun[]): ClaimedAction[] {
  const done = succeededActions(runs);
  const items = actedItems(runs);
  const out = new Set<ClaimedAction>();
  for (const s of sentences(lower(text))) {
    for (const action of claimsOf(s)) {
      if (!done.has(action)) out.add(action);
      const named = s.match(NAMED[action] ?? /$^/g) ?? [];
      if (named.some((n) => !items[action].has(n))) out.add(action);
    }
  }
  return [...out];
}

const amountOf = (p: ProposedAction) =>
  p.amountCents !== undefined ? ` (${formatMoney(p.amountCents, p.currency)})` : '';
/** An account change as the customer reads it: what it would change, with the new owner or plan. */
const CHANGES: Record<string, (p: ProposedAction) => string> = {
  reset_2fa: (p) => `reset of the two-factor authentication of ${p.target}`,
  lock_account: (p) => `suspension of the account ${p.target}`,
  change_owner: (p) => `transfer of the ownership of ${p.target} to ${String(p.input.value)}`,
  change_plan: (p) => `change of the plan of ${p.target} to ${String(p.input.value)}`,
  revoke_tokens: (p) => `revocation of the exposed credential(s) ${p.target}`,
};
const what = (p: ProposedAction) =>
  CHANGES[p.tool]?.(p) ?? `${p.kind === 'refund' ? 'refund' : p.kind.replace('_', ' ')} of ${p.target}${amountOf(p)}`;

/** What a reply says about one proposal, from where it stands (a proposal straight from an agent is pending). */
export function proposalStatement(p: ProposedAction & { status?: ProposalStatus; outcome?: string }): string {
  const change = what(p);
  switch (p.status) {
    case 'executed':
      return `We have ${p.outcome ?? `completed the ${change}`}.`;
    case 'failed':
      return `We could not complete the ${change}; a member of our team will follow up.`;
    case 'declined':
      return `The ${change} was not approved by our team.`;
    case 'confirmed':
      return `The ${change} will be made once our team approves this reply.`;
    default:
      return p.preapproved
        ? `The ${change} will be made once our team approves this reply.`
        : `A ${change} is waiting for confirmation by our team.`;
  }
}

/** One sentence per side-effect run and per proposal not yet run, from the facts. */
export function outcomeStatements(runs: ToolRun[], findings: Findings[]): string[] {
  const out: string[] = [];
  // A proposal that has run (or was declined) is told by its run.
  const ran = new Set(runs.filter((r) => r.output.decision !== 'propose').map((r) => r.output.proposalId));
  for (const r of runs) {
    if (!TOOL_ACTION[r.tool]) continue;
    // A run the policy held with its own proposal (the security protocol's revocation): told as that proposal.
    const held = r.output.decision === 'propose' ? (r.output.proposal as ProposedAction | undefined) : undefined;
    if (held) {
      if (!ran.has(held.id)) out.push(proposalStatement(held));
      continue;
    }
    if (r.tool === 'revoke_tokens' && r.ok) {
      const here = revokedHere(r).map((e) => `${e.masked} (${e.status})`);
      const before = revokeEntries(r).filter((e) => e.status === 'already_revoked');
      if (here.length) out.push(`We have revoked the exposed credential(s): ${here.join(', ')}.`);
      if (before.length)
        out.push(
          `The credential(s) ${before.map((e) => e.masked).join(', ')} had already been revoked before this ticket, so they no longer work.`,
        );
    } else if (didSomething(r)) out.push(`We have ${r.summary}.`);
    else if (r.tool === 'refund' && r.output.decision !== 'propose')
      out.push('We could not complete a refund automatically; a member of our team will follow up.');
    else if (r.tool === 'revoke_tokens' && !r.ok)
      out.push('We could not revoke the exposed credential automatically; a member of our team is handling it now.');
    else if (r.output.decision === 'refuse' && typeof r.output.reason === 'string')
      out.push(`We did not make the requested change: ${r.output.reason}.`);
  }
  for (const p of findings.flatMap((f) => f.proposals ?? [])) if (!ran.has(p.id)) out.push(proposalStatement(p));
  // The security protocol's runs and an agent's can both report one revocation: say it once.
  return [...new Set(out)];
}
