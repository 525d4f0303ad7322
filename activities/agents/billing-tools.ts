/**
 * Billing tools on the embedded store. `refund` re-checks the transaction inside the same database
 * transaction that marks it refunded: the check cannot be skipped by calling refund directly, and two
 * concurrent refunds of one transaction cannot both succeed.
 */
import { z } from 'zod';
import type { ToolStore } from '../security/store';

export const transactionIdSchema = z.string().regex(/^txn_[A-Za-z0-9]{4,32}$/, 'a transaction id like txn_12345');

export type Verification =
  | {
      ok: true;
      id: string;
      amountCents: number;
      currency: string;
      description: string;
      createdAt: string;
      refundedByThisTicket?: true;
    }
  | { ok: false; id: string; reason: 'unknown' | 'not_yours' | 'already_refunded' | 'malformed' };

interface TxnRow {
  id: string;
  user_id: string;
  amount_cents: number;
  currency: string;
  description: string;
  created_at: string;
  refunded_at: string | null;
  refund_ticket: string | null;
}

export function createBillingTools(db: ToolStore) {
  const get = db.prepare('SELECT * FROM transactions WHERE id = ?');
  const markRefunded = db.prepare(
    'UPDATE transactions SET refunded_at = ?, refund_ticket = ? WHERE id = ? AND refunded_at IS NULL',
  );
  const limit = db.prepare('SELECT limit_cents, spent_cents FROM spending_limits WHERE org_id = ?');
  // Same customer, amount, currency and plan (the description on stores without a plan), inside the window.
  const sameCharge = `user_id = @user AND id <> @id AND amount_cents = @amount AND currency = @currency AND COALESCE(plan, description) = @plan`;
  const earlierCopy = db.prepare(
    `SELECT id FROM transactions WHERE ${sameCharge} AND created_at >= @from AND (created_at < @at OR (created_at = @at AND id < @id)) ORDER BY created_at, id LIMIT 1`,
  );
  const laterCopies = db.prepare(
    `SELECT id FROM transactions WHERE ${sameCharge} AND created_at <= @to AND (created_at > @at OR (created_at = @at AND id > @id)) ORDER BY created_at, id`,
  );
  const refundedBy = db.prepare(
    'SELECT COALESCE(SUM(amount_cents), 0) AS cents FROM transactions WHERE refund_ticket = ?',
  );

  /**
   * `ticketId`: a refund this same ticket already made counts as verified, so an investigation retried after
   * a crash reports the refund it did rather than "already refunded".
   */
  function verifyTransaction(userId: string, id: string, ticketId?: string): Verification {
    if (!transactionIdSchema.safeParse(id).success) return { ok: false, id, reason: 'malformed' };
    const row = get.get(id) as TxnRow | undefined;
    if (!row) return { ok: false, id, reason: 'unknown' };
    if (row.user_id !== userId) return { ok: false, id, reason: 'not_yours' };
    const mine = row.refunded_at !== null && ticketId !== undefined && row.refund_ticket === ticketId;
    if (row.refunded_at && !mine) return { ok: false, id, reason: 'already_refunded' };
    return {
      ok: true,
      id,
      amountCents: row.amount_cents,
      currency: row.currency,
      description: row.description,
      createdAt: row.created_at,
      ...(mine ? { refundedByThisTicket: true as const } : {}),
    };
  }

  const refund = db.transaction((userId: string, id: string, ticketId: string) => {
    const check = verifyTransaction(userId, id, ticketId);
    if (!check.ok) return { refunded: false as const, id, reason: check.reason };
    // Idempotent per ticket: a retried activity finds its own refund and reports it again.
    if (!check.refundedByThisTicket) markRefunded.run(new Date().toISOString(), ticketId, id);
    return { refunded: true as const, id, amountCents: check.amountCents, currency: check.currency };
  });

  function copyParams(id: string, windowMs: number) {
    const row = get.get(id) as (TxnRow & { plan: string | null }) | undefined;
    if (!row) return undefined;
    const at = Date.parse(row.created_at);
    return {
      user: row.user_id,
      id,
      amount: row.amount_cents,
      currency: row.currency,
      plan: row.plan ?? row.description,
      at: row.created_at,
      from: new Date(at - windowMs).toISOString(),
      to: new Date(at + windowMs).toISOString(),
    };
  }

  return {
    verifyTransaction,
    /** The earlier charge this one copies (same customer, amount, currency, plan, within the window), if any. */
    duplicateOf(id: string, windowMs: number): string | undefined {
      const p = copyParams(id, windowMs);
      return p ? (earlierCopy.get(p) as { id: string } | undefined)?.id : undefined;
    },
    /** Later copies of this charge within the window: this one is then the original, and stays charged. */
    laterCopies(id: string, windowMs: number): string[] {
      const p = copyParams(id, windowMs);
      return p ? (laterCopies.all(p) as { id: string }[]).map((r) => r.id) : [];
    },
    ticketRefundedCents: (ticketId: string) => (refundedBy.get(ticketId) as { cents: number }).cents,
    refund: (userId: string, id: string, ticketId: string) => refund(userId, id, ticketId),
    spendingLimit(orgId: string) {
      const row = limit.get(orgId) as { limit_cents: number; spent_cents: number } | undefined;
      return row
        ? { known: true, limitCents: row.limit_cents, spentCents: row.spent_cents }
        : { known: false, limitCents: 0, spentCents: 0 };
    },
  };
}
export type BillingTools = ReturnType<typeof createBillingTools>;
