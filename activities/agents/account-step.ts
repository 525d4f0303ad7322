/**
 * The account changes a ticket asks for, for whichever team's agent investigated it: when the ticket's SOP
 * allows an account-change tool (reset_2fa, lock_account, change_owner, change_plan), each explicit request in
 * the text is put to the action policy through a toolbox holding only those tools. None runs during the
 * investigation: each becomes a proposal (a person confirms it; preapproved if ACTIONS_UNATTENDED allows) or a
 * refusal with its reason, and the findings carry them like the Billing agent's refunds.
 */
import type { Findings, Sop } from '../../core/domain';
import { decideAction, type ActionRules } from '../policy';
import type { TicketContext } from '../ports';
import type { ToolStore } from '../security/store';
import { accountRequests } from './account-requests';
import { accountEffect, ACCOUNT_TOOLS, type AccountTools } from './account-tools';
import { createToolbox } from './toolbox';

export function createAccountStep(db: ToolStore, accounts: AccountTools, rules: ActionRules) {
  const orgOfUser = db.prepare('SELECT org_id FROM users WHERE id = ?');
  return async function withAccountChanges(
    ctx: TicketContext,
    sop: Sop,
    redactedText: string,
    findings: Findings,
  ): Promise<Findings> {
    if (!ACCOUNT_TOOLS.some((t) => sop.allowedTools.includes(t))) return findings;
    const effects = Object.fromEntries(ACCOUNT_TOOLS.map((t) => [t, accountEffect(accounts, ctx, t)]));
    const box = createToolbox(sop, effects, (req) => decideAction(req, rules));
    const org = (orgOfUser.get(ctx.userId) as { org_id: string | null } | undefined)?.org_id ?? undefined;
    for (const r of accountRequests(redactedText, ctx.userId, org))
      if (box.allowed(r.tool)) await box.call(r.tool, { target: r.target, ...(r.value ? { value: r.value } : {}) });
    if (!box.runs.length) return findings;
    const waiting = box.proposals.filter((p) => !p.preapproved);
    const proposals = [...(findings.proposals ?? []), ...box.proposals];
    const needsHuman =
      findings.needsHuman ??
      (waiting.length
        ? `an account change waits for a person's confirmation (${waiting.map((p) => p.id).join(', ')})`
        : undefined);
    return {
      ...findings,
      summary: [findings.summary, ...box.runs.map((r) => `${r.summary}.`)].join(' '),
      toolRuns: [...findings.toolRuns, ...box.runs],
      ...(proposals.length ? { proposals } : {}),
      ...(needsHuman ? { needsHuman } : {}),
    };
  };
}
