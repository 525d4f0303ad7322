/**
 * Account changes on the embedded back office: reset a user's two-factor, suspend a member, transfer an org's
 * ownership, change its plan. Each is a side effect under the action policy (kind `account_change`): during
 * an investigation it only becomes a proposal (preapproved when ACTIONS_UNATTENDED has `account_change`),
 * and it runs once a person approves the reply. The facts are read from the store, never from the ticket or
 * the token: who asks, their org, whether they own it. They are checked when the change is proposed and
 * again, inside the write transaction, when it runs, so a change confirmed on stale facts fails instead.
 */
import type { ProposedAction, ToolRun } from '../../core/domain';
import { decideConfirmed, type ActionRules } from '../policy';
import type { TicketContext } from '../ports';
import { PLANS } from '../security/account-data';
import type { ToolStore } from '../security/store';
import type { EffectTool } from './toolbox';

export const ACCOUNT_TOOLS = ['reset_2fa', 'lock_account', 'change_owner', 'change_plan'] as const;
export type AccountTool = (typeof ACCOUNT_TOOLS)[number];
export const isAccountTool = (t: string): t is AccountTool => (ACCOUNT_TOOLS as readonly string[]).includes(t);

/** One requested change: `target` is a user for reset_2fa and lock_account, the org for the other two. */
export interface AccountRequest {
  tool: AccountTool;
  target: string;
  /** The new owner's login, or the new plan. */
  value?: string;
}

type Facts = { ok: true; summary: string; doneByThisTicket: boolean } | { ok: false; reason: string };

interface UserRow {
  id: string;
  org_id: string | null;
  two_factor: number | null;
  suspended_at: string | null;
}

export function createAccountTools(db: ToolStore) {
  const user = db.prepare(
    'SELECT u.id, u.org_id, a.two_factor, a.suspended_at FROM users u LEFT JOIN account_state a ON a.user_id = u.id WHERE u.id = ?',
  );
  const org = db.prepare('SELECT owner_id, plan FROM org_settings WHERE org_id = ?');
  const logged = db.prepare('SELECT detail FROM account_changes WHERE ticket_id = ? AND tool = ? AND target = ?');
  const log = db.prepare('INSERT INTO account_changes (ticket_id, tool, target, detail, at) VALUES (?, ?, ?, ?, ?)');
  const writes: Record<AccountTool, (r: AccountRequest) => void> = {
    reset_2fa: (r) => db.prepare('UPDATE account_state SET two_factor = 0 WHERE user_id = ?').run(r.target),
    lock_account: (r) =>
      db.prepare('UPDATE account_state SET suspended_at = ? WHERE user_id = ?').run(new Date().toISOString(), r.target),
    change_owner: (r) => db.prepare('UPDATE org_settings SET owner_id = ? WHERE org_id = ?').run(r.value, r.target),
    change_plan: (r) => db.prepare('UPDATE org_settings SET plan = ? WHERE org_id = ?').run(r.value, r.target),
  };

  const userOf = (id: string) => user.get(id) as UserRow | undefined;
  const orgOf = (id: string | null) =>
    id ? (org.get(id) as { owner_id: string; plan: string } | undefined) : undefined;

  /** What the change would do, or why it cannot be done; a change this ticket already made is reported again. */
  function check(ctx: TicketContext, r: AccountRequest): Facts {
    const done = logged.get(ctx.ticketId, r.tool, r.target) as { detail: string } | undefined;
    if (done) return { ok: true, summary: done.detail, doneByThisTicket: true };
    const asker = userOf(ctx.userId);
    if (!asker?.org_id) return { ok: false, reason: 'the account asking has no organization on file' };
    if (asker.suspended_at) return { ok: false, reason: 'the account asking is suspended' };
    const settings = orgOf(asker.org_id);
    const owner = settings?.owner_id === asker.id;
    const ok = (summary: string): Facts => ({ ok: true, summary, doneByThisTicket: false });
    switch (r.tool) {
      case 'reset_2fa': {
        if (r.target !== asker.id)
          return { ok: false, reason: "only the account's holder can ask to reset its two-factor" };
        if (asker.two_factor !== 1) return { ok: false, reason: 'two-factor is not set up on this account' };
        return ok(`reset the two-factor authentication of ${r.target}; set it up again at the next sign-in`);
      }
      case 'lock_account': {
        const member = userOf(r.target);
        if (!member || member.org_id !== asker.org_id)
          return { ok: false, reason: `${r.target} is not a member of your organization` };
        if (!owner) return { ok: false, reason: "only the organization's owner can ask to suspend a member" };
        if (member.id === settings?.owner_id)
          return { ok: false, reason: "the organization's owner cannot be suspended" };
        if (member.suspended_at) return { ok: false, reason: `${r.target} is already suspended` };
        return ok(`suspended the account ${r.target}`);
      }
      case 'change_owner': {
        const next = r.value ? userOf(r.value) : undefined;
        if (r.target !== asker.org_id) return { ok: false, reason: 'only your own organization can be changed' };
        if (!owner) return { ok: false, reason: "only the organization's owner can transfer its ownership" };
        if (!next || next.org_id !== asker.org_id)
          return { ok: false, reason: `${r.value} is not a member of your organization` };
        if (next.suspended_at) return { ok: false, reason: `${r.value} is suspended` };
        if (next.id === settings?.owner_id) return { ok: false, reason: `${r.value} already owns ${r.target}` };
        return ok(`made ${r.value} the owner of ${r.target}`);
      }
      case 'change_plan': {
        if (r.target !== asker.org_id) return { ok: false, reason: 'only your own organization can be changed' };
        if (!owner) return { ok: false, reason: "only the organization's owner can change its plan" };
        if (!(PLANS as readonly string[]).includes(r.value ?? ''))
          return { ok: false, reason: `there is no plan "${r.value}"` };
        if (settings?.plan === r.value) return { ok: false, reason: `${r.target} is already on the ${r.value} plan` };
        return ok(`changed the plan of ${r.target} from ${settings?.plan} to ${r.value}`);
      }
    }
  }

  /** Checks the facts again and makes the change in one transaction: two runs cannot both make it. */
  const apply = db.transaction((ctx: TicketContext, r: AccountRequest): Facts => {
    const f = check(ctx, r);
    if (!f.ok || f.doneByThisTicket) return f;
    writes[r.tool](r);
    log.run(ctx.ticketId, r.tool, r.target, f.summary, new Date().toISOString());
    return f;
  });

  return { check, apply: (ctx: TicketContext, r: AccountRequest) => apply(ctx, r) };
}
export type AccountTools = ReturnType<typeof createAccountTools>;

const requestOf = (tool: AccountTool, input: Record<string, unknown>): AccountRequest => ({
  tool,
  target: typeof input.target === 'string' ? input.target : '',
  ...(typeof input.value === 'string' ? { value: input.value } : {}),
});

function changeRun(tool: string, f: Facts, proposalId?: string): ToolRun {
  const decision = proposalId ? { proposalId, decision: f.ok ? 'executed' : 'failed' } : {};
  return f.ok
    ? { tool, ok: true, summary: f.summary, output: { changed: true, ...decision } }
    : {
        tool,
        ok: false,
        summary: `${tool} refused: ${f.reason}`,
        output: { changed: false, reason: f.reason, ...decision },
      };
}

/** The toolbox entry of one account change: always deferred, so it runs only after the reply is approved. */
export function accountEffect(tools: AccountTools, ctx: TicketContext, tool: AccountTool): EffectTool {
  return {
    effect: 'account_change',
    deferred: true,
    plan(input) {
      const r = requestOf(tool, input);
      const f = tools.check(ctx, r);
      return f.ok ? { target: r.target } : { refuse: f.reason };
    },
    run: (input) => changeRun(tool, tools.apply(ctx, requestOf(tool, input))),
  };
}

/** Runs an account change a person confirmed (or the policy preapproved), with the facts checked again. */
export function executeAccountChange(
  tools: AccountTools,
  rules: ActionRules,
  ctx: TicketContext,
  p: ProposedAction,
): ToolRun {
  if (!isAccountTool(p.tool))
    return changeRun(p.tool, { ok: false, reason: `${p.tool} cannot be run from a proposal` }, p.id);
  const d = decideConfirmed({ kind: 'account_change', tool: p.tool, target: p.target }, rules);
  if (d.verdict !== 'run') return changeRun(p.tool, { ok: false, reason: d.reason }, p.id);
  return changeRun(p.tool, tools.apply(ctx, requestOf(p.tool, p.input)), p.id);
}
