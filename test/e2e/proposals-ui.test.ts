/**
 * A proposed refund in the console, in a real browser on the real stack: the panel shows its amount, target
 * and reason; approving the reply first is refused (the workflow wants a decision); Confirm records it and
 * runs nothing; approving then runs the refund and sends the reply. axe on the ticket with the panel.
 * Screenshots go to test-results/screenshots/ (docs/screenshots/ with UPDATE_SCREENSHOTS=1).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { ProposalRecord } from '../../core/domain';
import { buildUi } from '../../ui/build';
import { stackCalls } from '../actions/stack-calls';
import { assertAxeClean } from './axe';
import { launchBrowser, openPage, SCREENSHOTS } from './browser';
import { startStack, type Stack } from './stack';

let stack: Stack;
let browser: Browser;
type State = { awaiting: string | null; pendingReview: unknown; proposals?: ProposalRecord[]; reply: unknown };
const { openTicket, waitState, store, refunded } = stackCalls<State>(() => stack);

before(async () => {
  await buildUi({ quiet: true });
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  // A second charge that is not a verified duplicate (another amount): the policy proposes, a person decides.
  const db = store();
  db.prepare(
    "INSERT INTO transactions (id, user_id, org_id, amount_cents, currency, description, created_at, plan) VALUES ('txn_48990', 'mona', 'acme-corp', 50000, 'USD', 'Pro plan, yearly', ?, 'pro-yearly')",
  ).run(new Date(Date.now() - 4 * 86_400_000).toISOString());
  db.close();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('a proposed refund: shown with amount, target and reason; confirmed in the browser; the approval runs it', async () => {
  const id = await openTicket('mona', 'I was charged twice: txn_48213 and txn_48990. Please refund the duplicate.');
  await waitState(id, (s) => s.pendingReview !== null && (s.proposals?.length ?? 0) > 0, 'a draft with a proposal');
  const page = await openPage(
    browser,
    `${stack.url}/console/tickets/${id}#token=${stack.token('agent', 'agent-ann')}`,
    {
      height: 1400,
      bypassCSP: true,
    },
  );

  const panel = page.getByRole('region', { name: 'Proposed actions' });
  const item = panel.locator('[data-proposal-id="refund:txn_48990"]');
  await item.getByText('refund of 500.00 USD on txn_48990').waitFor();
  await item.getByText('waiting for your decision').waitFor();
  await item.getByText(/Why it waits: .*not a verified duplicate/).waitFor();
  // The held refund's run reads as waiting for a person, not as a failure (it showed "failed" before).
  const refundRun = page.locator('.tool-runs tr', { has: page.locator('code', { hasText: /^refund$/ }) });
  await refundRun.getByText('waiting for a person').waitFor();
  assert.equal(await refundRun.locator('.badge.bad').count(), 0);

  // Approving before deciding is refused by the workflow, and said so in place.
  const approve = page.getByRole('button', { name: 'Approve' });
  await approve.click();
  await page.getByText(/confirm or decline the proposed action\(s\) first: refund:txn_48990/).waitFor();
  await assertAxeClean(page, 'a ticket with a proposed refund');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'console-proposal.png'), fullPage: true });

  await item.getByRole('button', { name: 'Confirm refund' }).click();
  await item.getByText('confirmed: runs when the reply is approved').waitFor();
  await item.getByText('Decided by agent-ann', { exact: false }).waitFor();
  await refundRun.getByText('confirmed, runs on approval').waitFor(); // the held run follows its proposal
  assert.equal(refunded().includes('txn_48990'), false, 'confirming alone runs nothing');

  await approve.click();
  await page.getByText('Approved: the reply is on its way to the customer.').waitFor();
  const done = await waitState(id, (s) => s.reply !== null, 'the reply');
  assert.ok(refunded().includes('txn_48990'));
  assert.deepEqual(
    done.proposals?.map((p) => [p.id, p.status, p.decidedBy]),
    [['refund:txn_48990', 'executed', 'agent-ann']],
  );
  await item.getByText('done', { exact: true }).waitFor();
  await page.context().close();
});
