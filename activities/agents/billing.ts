/**
 * The Billing agent. Refunds follow the SOP strictly: a transaction id from the ticket, verified against
 * the customer's own transactions, and then the action policy decides (activities/policy): only a verified
 * later copy of an earlier charge (same customer, amount, currency and plan, within the window) under the
 * caps is refunded unattended; any other refund becomes a proposal for a person. The original of a
 * duplicate is never refunded. The ticket text is only searched for ids, never read as instructions.
 */
import type { Findings, ProposedAction, Sop, ToolRun } from '../../core/domain';
import { decideAction, decideConfirmed, type ActionRules } from '../policy';
import type { TicketContext } from '../ports';
import type { BillingTools } from './billing-tools';
import { createToolbox, type EffectTool, type Toolbox } from './toolbox';
import { sopSteps } from './sop-steps';
import { formatMoney } from '../../core/money';

const TXN = /\btxn_[A-Za-z0-9]{4,32}\b/g;

function refundTool(tools: BillingTools, rules: ActionRules, ctx: TicketContext): EffectTool {
  return {
    effect: 'refund',
    plan(input) {
      const v = tools.verifyTransaction(ctx.userId, String(input.id), ctx.ticketId);
      if (!v.ok) return { refuse: `${v.id} not verified: ${v.reason}` };
      const duplicateOf = tools.duplicateOf(v.id, rules.duplicateWindowMs);
      const refunded = tools.ticketRefundedCents(ctx.ticketId) - (v.refundedByThisTicket ? v.amountCents : 0);
      return {
        target: v.id,
        amountCents: v.amountCents,
        currency: v.currency,
        chargedAt: v.createdAt,
        ticketRefundedCents: refunded,
        ...(duplicateOf ? { duplicateOf } : {}),
      };
    },
    run: (input) => refundRun(tools, ctx, String(input.id)),
    deferred: true,
  };
}

function refundRun(tools: BillingTools, ctx: TicketContext, id: string, proposalId?: string): ToolRun {
  const r = tools.refund(ctx.userId, id, ctx.ticketId);
  return {
    tool: 'refund',
    ok: r.refunded,
    summary: r.refunded
      ? `refunded ${r.id} (${formatMoney(r.amountCents, r.currency)})`
      : `refund of ${r.id} refused: ${r.reason}`,
    output: { ...r, ...(proposalId ? { proposalId, decision: r.refunded ? 'executed' : 'failed' } : {}) },
  };
}

/**
 * Runs a refund a person confirmed (or the policy preapproved) once the reply is approved. The facts are
 * checked again (still the customer's, still unrefunded, the same amount, not too old nor dated in the
 * future); only the caps and the unattended list no longer apply.
 */
export function createRefundExecutor(tools: BillingTools, rules: ActionRules) {
  return function execute(ctx: TicketContext, p: ProposedAction): ToolRun {
    const failed = (why: string): ToolRun => ({
      tool: p.tool,
      ok: false,
      summary: `${p.tool} of ${p.target} failed: ${why}`,
      output: { proposalId: p.id, decision: 'failed', reason: why },
    });
    if (p.tool !== 'refund') return failed(`${p.tool} cannot be run from a proposal`);
    const v = tools.verifyTransaction(ctx.userId, p.target, ctx.ticketId);
    if (!v.ok) return failed(`${v.id} not verified: ${v.reason}`);
    if (v.amountCents !== p.amountCents || v.currency !== p.currency)
      return failed('the charge changed since it was proposed');
    const d = decideConfirmed(
      {
        kind: 'refund',
        tool: 'refund',
        target: v.id,
        amountCents: v.amountCents,
        currency: v.currency,
        chargedAt: v.createdAt,
      },
      rules,
    );
    if (d.verdict !== 'run') return failed(d.reason);
    return refundRun(tools, ctx, v.id, p.id);
  };
}

/**
 * The ids to ask the policy about. For a duplicate charge, a named id that has later copies is an original:
 * it is kept, and a copy the customer did not name is only reported (no side effect on an id nobody asked about).
 */
function refundTargets(
  tools: BillingTools,
  rules: ActionRules,
  sop: Sop,
  verified: string[],
): { targets: string[]; originals: string[]; unnamedCopies: string[] } {
  if (sop.id !== 'billing-duplicate-charge') return { targets: verified, originals: [], unnamedCopies: [] };
  const originals = verified.filter(
    (id) =>
      tools.duplicateOf(id, rules.duplicateWindowMs) === undefined &&
      tools.laterCopies(id, rules.duplicateWindowMs).length > 0,
  );
  const unnamedCopies = originals
    .flatMap((id) => tools.laterCopies(id, rules.duplicateWindowMs))
    .filter((id) => !verified.includes(id));
  return {
    targets: verified.filter((id) => !originals.includes(id)),
    originals,
    unnamedCopies: [...new Set(unnamedCopies)],
  };
}

async function refunds(
  box: Toolbox,
  tools: BillingTools,
  rules: ActionRules,
  sop: Sop,
  ids: string[],
  parts: string[],
): Promise<string | undefined> {
  const verified: string[] = [];
  for (const id of ids) {
    const run = box.allowed('verify_transaction') ? await box.call('verify_transaction', { id }) : undefined;
    if (run?.ok) verified.push(id);
  }
  const { targets, originals, unnamedCopies } = refundTargets(tools, rules, sop, verified);
  if (box.allowed('refund')) for (const id of targets) await box.call('refund', { id });
  const refunded = box.runs.filter((r) => r.tool === 'refund' && r.ok).length;
  const waiting = box.proposals.filter((p) => !p.preapproved);
  const onApproval = box.proposals.length - waiting.length;
  parts.push(
    `${verified.length} of ${ids.length} transaction(s) verified; ${refunded} refunded; ${onApproval} to refund when the reply is approved; ${waiting.length} proposed for a person's confirmation.`,
  );
  if (originals.length) parts.push(`Kept the original charge(s): ${originals.join(', ')}.`);
  if (unnamedCopies.length) parts.push(`Later copies the customer did not name: ${unnamedCopies.join(', ')}.`);
  if (verified.length < ids.length) return "a transaction id did not check out against the customer's account";
  if (waiting.length)
    return `a refund waits for a person's confirmation (${waiting.map((p) => `${p.target}: ${p.reason}`).join('; ')})`;
  if (unnamedCopies.length)
    return `a later copy the customer did not name (${unnamedCopies.join(', ')}): a person confirms it is the duplicate`;
  if (sop.id === 'billing-duplicate-charge' && targets.length === 0)
    return 'no later copy of a verified charge: a person should confirm the duplicate';
  return undefined;
}

export function createBillingAgent(tools: BillingTools, rules: ActionRules) {
  return async function investigate(ctx: TicketContext, sop: Sop, redactedText: string): Promise<Findings> {
    const box = createToolbox(
      sop,
      {
        verify_transaction: (input): ToolRun => {
          const v = tools.verifyTransaction(ctx.userId, String(input.id), ctx.ticketId);
          return {
            tool: 'verify_transaction',
            ok: v.ok,
            summary: v.ok
              ? `${v.id} verified (${formatMoney(v.amountCents, v.currency)}, ${v.description})`
              : `${v.id} not verified: ${v.reason}`,
            output: v,
          };
        },
        refund: refundTool(tools, rules, ctx),
        spending_limit: (): ToolRun => {
          const l = tools.spendingLimit(ctx.orgId);
          return {
            tool: 'spending_limit',
            ok: l.known,
            summary: l.known
              ? `spending limit ${formatMoney(l.limitCents, 'USD')}, spent ${formatMoney(l.spentCents, 'USD')} (${Math.round((100 * l.spentCents) / Math.max(1, l.limitCents))}%)`
              : 'no spending limit on file for this organization',
            output: l,
          };
        },
      },
      (req) => decideAction(req, rules),
    );

    const parts = [`Followed SOP "${sop.title}".`];
    let needsHuman: string | undefined;

    if (box.allowed('spending_limit')) {
      const run = await box.call('spending_limit', {});
      parts.push(run.summary + '. Only an owner or billing manager can change it.');
    }

    if (box.allowed('refund') || box.allowed('verify_transaction')) {
      const ids = [...new Set(redactedText.match(TXN) ?? [])];
      if (ids.length === 0) {
        needsHuman = 'no transaction id in the ticket: ask the customer for it before any refund';
        parts.push('No transaction id was given, so nothing was refunded.');
      } else needsHuman = await refunds(box, tools, rules, sop, ids, parts);
    }
    if (!box.runs.length && !needsHuman) parts.push('The SOP allows no tools; steps are for a person to carry out.');
    return {
      topic: 'Billing',
      sopId: sop.id,
      summary: parts.join(' '),
      steps: sopSteps(sop),
      toolRuns: box.runs,
      ...(box.proposals.length ? { proposals: box.proposals } : {}),
      needsHuman,
    };
  };
}
