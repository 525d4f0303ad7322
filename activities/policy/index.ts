/**
 * The action policy: the one place that decides, per call of a tool with a side effect, whether it runs
 * now, waits for a person's confirmation (a proposal), or is refused, and says why. Its rules come from
 * core/config.ts (`actions`); read-only tools never reach it. Pure and synchronous, so the same rules can
 * be unit-tested on their own and asked again when a person confirms a proposal.
 */
import type { ActionKind } from '../../core/domain';
import { formatMoney } from '../../core/money';

/** What an unattended run may be: a refund of a verified duplicate is its own class, any other refund another. */
export const unattendedClasses = ['revoke_credentials', 'duplicate_refund', 'refund', 'account_change'] as const;
export type UnattendedClass = (typeof unattendedClasses)[number];

export interface ActionRules {
  /** A refund above this many cents is never run unattended. */
  refundMaxCents: number;
  /** Refunds of one ticket together stay under this many cents unless a person confirms. */
  refundTicketMaxCents: number;
  /** A charge older than this is refused: past the refund window, a person handles it outside the tools. */
  refundMaxAgeMs: number;
  /** Two charges this close together (same customer, amount, currency and plan) are a duplicate. */
  duplicateWindowMs: number;
  /** The classes of action that may run without a person. */
  unattended: readonly UnattendedClass[];
}

export interface ActionRequest {
  kind: ActionKind;
  tool: string;
  /** What the action is done to: a transaction id, "credentials of <user>", an account field. */
  target: string;
  amountCents?: number;
  currency?: string;
  /** ISO time of the charge a refund gives back. */
  chargedAt?: string;
  /** Set when the charge is a verified later copy of this earlier one. */
  duplicateOf?: string;
  /** Cents this ticket has already refunded. */
  ticketRefundedCents?: number;
}

export type Verdict = 'run' | 'propose' | 'refuse';
export interface Decision {
  verdict: Verdict;
  reason: string;
}

const FUTURE_SKEW_MS = 5 * 60_000;

const days = (ms: number) => `${Math.round(ms / 86_400_000)} day(s)`;

function refundDecision(req: ActionRequest, rules: ActionRules, now: number): Decision {
  if (req.amountCents === undefined || !req.currency || !req.chargedAt)
    return { verdict: 'refuse', reason: 'the charge could not be verified (amount, currency or date unknown)' };
  const age = now - Date.parse(req.chargedAt);
  // A small allowance for clock skew between the store and this worker; beyond it, a charge dated in the
  // future is not a charge that happened, so it is no refund to give back.
  if (age < -FUTURE_SKEW_MS)
    return { verdict: 'refuse', reason: 'the charge is dated in the future: it cannot be verified' };
  if (!(age <= rules.refundMaxAgeMs))
    return {
      verdict: 'refuse',
      reason: `the charge is ${days(age)} old; refunds stop at ${days(rules.refundMaxAgeMs)}`,
    };
  const cls: UnattendedClass = req.duplicateOf ? 'duplicate_refund' : 'refund';
  if (!rules.unattended.includes(cls)) {
    return {
      verdict: 'propose',
      reason: req.duplicateOf
        ? `a duplicate of ${req.duplicateOf}, but refunds wait for a person`
        : 'not a verified duplicate: a person confirms any other refund',
    };
  }
  if (req.amountCents > rules.refundMaxCents)
    return {
      verdict: 'propose',
      reason: `${formatMoney(req.amountCents, req.currency)} is above the per-transaction cap of ${formatMoney(rules.refundMaxCents)}`,
    };
  const total = (req.ticketRefundedCents ?? 0) + req.amountCents;
  if (total > rules.refundTicketMaxCents)
    return {
      verdict: 'propose',
      reason: `the ticket's refunds would reach ${formatMoney(total)}, above the per-ticket cap of ${formatMoney(rules.refundTicketMaxCents)}`,
    };
  return {
    verdict: 'run',
    reason: req.duplicateOf ? `a verified duplicate of ${req.duplicateOf}, within the caps` : 'within the caps',
  };
}

export function decideAction(req: ActionRequest, rules: ActionRules, now: number = Date.now()): Decision {
  switch (req.kind) {
    case 'refund':
      return refundDecision(req, rules, now);
    case 'revoke_credentials':
    case 'account_change':
      return rules.unattended.includes(req.kind)
        ? { verdict: 'run', reason: `${req.kind} runs unattended` }
        : { verdict: 'propose', reason: `${req.kind} waits for a person (not in ACTIONS_UNATTENDED)` };
  }
}

/** A person confirmed the proposal: the caps and the unattended list no longer apply, the facts still do. */
export function decideConfirmed(req: ActionRequest, rules: ActionRules, now: number = Date.now()): Decision {
  return decideAction(
    req,
    { ...rules, refundMaxCents: Infinity, refundTicketMaxCents: Infinity, unattended: unattendedClasses },
    now,
  );
}
