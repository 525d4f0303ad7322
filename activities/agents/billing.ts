/**
 * The Billing agent. Refunds follow the SOP strictly: a transaction id from the ticket, verified against
 * the customer's own transactions, and only then the refund. Nothing in the ticket text can skip that:
 * the text is only searched for ids, never read as instructions.
 */
import type { Findings, Sop, ToolRun } from '../../core/domain';
import type { TicketContext } from '../ports';
import type { BillingTools } from './billing-tools';
import { createToolbox } from './toolbox';
import { sopSteps } from './sop-steps';

const TXN = /\btxn_[A-Za-z0-9]{4,32}\b/g;

export function createBillingAgent(tools: BillingTools) {
  return async function investigate(ctx: TicketContext, sop: Sop, redactedText: string): Promise<Findings> {
    const box = createToolbox(sop, {
      verify_transaction: (input): ToolRun => {
        const v = tools.verifyTransaction(ctx.userId, String(input.id), ctx.ticketId);
        return { tool: 'verify_transaction', ok: v.ok, summary: v.ok ? `${v.id} verified (${v.amountCents / 100} ${v.currency}, ${v.description})` : `${v.id} not verified: ${v.reason}`, output: v };
      },
      refund: (input): ToolRun => {
        const r = tools.refund(ctx.userId, String(input.id), ctx.ticketId);
        return { tool: 'refund', ok: r.refunded, summary: r.refunded ? `refunded ${r.id} (${r.amountCents / 100} ${r.currency})` : `refund of ${r.id} refused: ${r.reason}`, output: r };
      },
      spending_limit: (): ToolRun => {
        const l = tools.spendingLimit(ctx.orgId);
        return {
          tool: 'spending_limit',
          ok: l.known,
          summary: l.known ? `spending limit ${l.limitCents / 100} USD, spent ${l.spentCents / 100} USD (${Math.round((100 * l.spentCents) / Math.max(1, l.limitCents))}%)` : 'no spending limit on file for this organization',
          output: l,
        };
      },
    });

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
      } else {
        const verified: string[] = [];
        for (const id of ids) {
          const run = box.allowed('verify_transaction') ? await box.call('verify_transaction', { id }) : undefined;
          if (run?.ok) verified.push(id);
        }
        // A duplicate charge keeps the first (oldest) charge: only the copies are refunded.
        const toRefund = sop.id === 'billing-duplicate-charge' ? verified.slice(1) : verified;
        if (box.allowed('refund')) for (const id of toRefund) await box.call('refund', { id });
        const refunded = box.runs.filter((r) => r.tool === 'refund' && r.ok).length;
        parts.push(`${verified.length} of ${ids.length} transaction(s) verified; ${refunded} refunded.`);
        if (verified.length < ids.length) needsHuman = 'a transaction id did not check out against the customer\'s account';
        else if (sop.id === 'billing-duplicate-charge' && verified.length < 2) needsHuman = 'only one charge verified: a person should confirm the duplicate';
      }
    }
    if (!box.runs.length && !needsHuman) parts.push('The SOP allows no tools; steps are for a person to carry out.');
    return { topic: 'Billing', sopId: sop.id, summary: parts.join(' '), steps: sopSteps(sop), toolRuns: box.runs, needsHuman };
  };
}
