/**
 * What a reply may say about actions: only what this ticket's tool runs did. SOP prose describes what
 * should happen, so a sentence in it that says an action was taken ("We have revoked the exposed
 * credential") is dropped; the statements come from the runs instead (done, failed, or waiting for a
 * person). `unsupportedClaims` checks any reply (a model's, a person's) against the same runs.
 */
import type { Findings, ToolRun } from '../../core/domain';
import { normalizeText } from '../../core/text-normalize';

export type ClaimedAction = 'revoke' | 'refund' | 'secure';

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
};

/** Which tool's success supports which claim. */
const TOOL_ACTION: Record<string, ClaimedAction> = { revoke_tokens: 'revoke', refund: 'refund' };

const sentences = (text: string) => text.split(/(?<=[.!?])\s+|\n+/).filter((s) => s.trim());
const lower = (s: string) =>
  normalizeText(s)
    .replace(/[\u2018\u2019]/g, "'")
    .toLowerCase();

export function claimsIn(text: string): Set<ClaimedAction> {
  const out = new Set<ClaimedAction>();
  for (const s of sentences(lower(text)))
    for (const [action, res] of Object.entries(CLAIMS) as [ClaimedAction, RegExp[]][])
      if (res.some((r) => r.test(s))) out.add(action);
  return out;
}

/** SOP text without the sentences that say an action was taken. */
export function withoutClaims(text: string): string {
  return sentences(text)
    .filter((s) => claimsIn(s).size === 0)
    .join(' ');
}

/** A run that did something: a refund that went through, a revocation with at least one credential. */
function didSomething(r: ToolRun): boolean {
  if (!r.ok) return false;
  if (r.tool === 'revoke_tokens') return ((r.output.revoked as unknown[] | undefined) ?? []).length > 0;
  return true;
}

export function succeededActions(runs: ToolRun[]): Set<ClaimedAction> {
  return new Set(runs.filter((r) => TOOL_ACTION[r.tool] && didSomething(r)).map((r) => TOOL_ACTION[r.tool]!));
}

/** The actions a reply claims that no run of this ticket did. */
export function unsupportedClaims(text: string, runs: ToolRun[]): ClaimedAction[] {
  const done = succeededActions(runs);
  return [...claimsIn(text)].filter((a) => !done.has(a));
}

/** One sentence per side-effect run and per proposal, from the facts. */
export function outcomeStatements(runs: ToolRun[], findings: Findings[]): string[] {
  const out: string[] = [];
  for (const r of runs) {
    if (!TOOL_ACTION[r.tool]) continue;
    if (didSomething(r))
      out.push(
        r.tool === 'refund'
          ? `We have ${r.summary}.`
          : `We have revoked the exposed credential(s): ${r.summary.replace(/^Revoked \d+ credential\(s\):\s*/, '')}.`,
      );
    else if (r.tool === 'refund' && r.output.decision !== 'propose')
      out.push('We could not complete a refund automatically; a member of our team will follow up.');
    else if (r.tool === 'revoke_tokens' && !r.ok)
      out.push('We could not revoke the exposed credential automatically; a member of our team is handling it now.');
  }
  for (const p of findings.flatMap((f) => f.proposals ?? [])) {
    const amount =
      p.amountCents !== undefined ? ` (${(p.amountCents / 100).toFixed(2)}${p.currency ? ` ${p.currency}` : ''})` : '';
    out.push(
      `A ${p.kind === 'refund' ? 'refund' : p.kind.replace('_', ' ')} of ${p.target}${amount} is waiting for confirmation by our team.`,
    );
  }
  // The security protocol's runs and an agent's can both report one revocation: say it once.
  return [...new Set(out)];
}
