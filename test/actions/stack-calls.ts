/** What the stack tests of issue 11 do over HTTP, as a customer and as an agent, and the back office they read. */
import path from 'node:path';
import { after, before } from 'node:test';
import Database from 'better-sqlite3';
import type { ProposalRecord, ToolRun } from '../../core/domain';
import { createTicket, startStack, type Stack, type StackOptions } from '../e2e/stack';
import { waitFor } from '../helpers/wait';

/** The ticket as the agent API shows it, as far as the stack tests of issue 11 read it. */
export type TicketView = {
  status: string;
  queue: string;
  awaiting: string | null;
  toolRuns: ToolRun[];
  proposals?: ProposalRecord[];
  draft: { version: number; text: string } | null;
  reply: { text: string } | null;
  pendingReview: { draftVersion: number; actions: string[]; reason?: string } | null;
  messages: { from: string; text: string }[];
};

/**
 * The real stack for a whole test file (call at its top level): started before its tests and handed to
 * `started` (which may write what they need into the back office), stopped after them.
 */
export function stackPerFile(started: (stack: Stack) => void, opts?: StackOptions): void {
  let stack: Stack | undefined;
  before(async () => {
    stack = await startStack(opts);
    started(stack);
  });
  after(async () => stack?.stop());
}

export function stackCalls<State = TicketView>(stack: () => Stack) {
  const openTicket = (customer: string, text: string) => createTicket(stack(), customer, text);

  /** An agent's POST; answers the status and the parsed body. */
  async function agent(id: string, action: string, body: unknown, key?: string) {
    const res = await fetch(`${stack().url}/v1/tickets/${id}/${action}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${stack().token('agent', 'agent-ann')}`,
        'content-type': 'application/json',
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { result?: unknown; error?: string; message?: string } };
  }

  const waitState = (id: string, pred: (s: State) => boolean, what: string) =>
    waitFor(
      async () => {
        const res = await fetch(`${stack().url}/v1/tickets/${id}`, {
          headers: { authorization: `Bearer ${stack().token('agent', 'agent-ann')}` },
        });
        const s = (await res.json()) as State;
        return pred(s) ? s : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200, message: what },
    );

  const store = () => new Database(path.join(stack().config.dataDir, 'githouse.sqlite'));
  const refunded = () => {
    const db = store();
    const ids = (
      db.prepare('SELECT id FROM transactions WHERE refunded_at IS NOT NULL ORDER BY id').all() as { id: string }[]
    ).map((r) => r.id);
    db.close();
    return ids;
  };
  /** Mona's yearly Pro plan charge of 500.00 USD, four days old (`txn_48990`), in the back office. */
  function seedYearlyCharge(): void {
    const db = store();
    db.prepare(
      "INSERT INTO transactions (id, user_id, org_id, amount_cents, currency, description, created_at, plan) VALUES ('txn_48990', 'mona', 'acme-corp', 50000, 'USD', 'Pro plan, yearly', ?, 'pro-yearly')",
    ).run(new Date(Date.now() - 4 * 86_400_000).toISOString());
    db.close();
  }

  return { openTicket, agent, waitState, store, refunded, seedYearlyCharge };
}
