/**
 * Two agents on one queue, in two browser contexts against the real stack: each sees the other on the
 * ticket (presence), a claim shows on the other's console, the other's review is refused until they take
 * the ticket over with a reason, and the finder's rows say who holds what. axe on the page with the desk bar.
 * Screenshots go to test-results/screenshots/ (docs/screenshots/ with UPDATE_SCREENSHOTS=1).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openSopStore } from '../../activities/knowledge';
import { waitFor } from '../helpers/wait';
import { assertAxeClean } from './axe';
import { openPage, PAGE_TIMEOUT as TIMEOUT, SCREENSHOTS } from './browser';
import { createTicket as postTicket, type Stack } from './stack';
import { stackAndBrowserPerFile } from './per-file';

let stack: Stack;
let browser: Browser;
stackAndBrowserPerFile((s, b) => ([stack, browser] = [s, b]));

const openAs = (agent: string, where: string): Promise<Page> =>
  openPage(browser, `${stack.url}${where}#token=${stack.token('agent', agent)}`, { height: 1100, bypassCSP: true });

const createTicket = (customer: string, text: string) => postTicket(stack, customer, text);

const bar = (page: Page) => page.getByRole('region', { name: 'Assignment' });
const holder = (page: Page) => bar(page).locator('.desk-status');

test('two agents on one ticket: presence both ways, a claim seen live, a review refused until taken over', async () => {
  const customer = `cust-desk-${Date.now()}`;
  const ticketId = await createTicket(
    customer,
    'I was charged twice for my Pro plan this month (txn_51213 and txn_51214). Please refund the duplicate.',
  );
  await waitFor(async () => (await stack.tickets.getState(ticketId)).pendingReview !== null, {
    timeoutMs: TIMEOUT,
    message: 'the ticket waiting for review',
  });
  const ann = await openAs('agent-ann', `/console/tickets/${ticketId}`);
  const bob = await openAs('agent-bob', `/console/tickets/${ticketId}`);

  // Each sees the other looking at the ticket, before either acts.
  await holder(bob).getByText('Also viewing now: agent-ann').waitFor();
  await holder(ann).getByText('Also viewing now: agent-bob').waitFor();

  await bar(ann).getByRole('button', { name: 'Claim' }).click();
  await holder(ann).getByText('Assigned to you').waitFor();
  // Bob's console learns it on its next presence beat, without a reload.
  await holder(bob).getByText('Assigned to agent-ann').waitFor();
  const mine = (page: Page) => page.getByRole('region', { name: 'My tickets' });
  await mine(ann).locator(`[data-ticket-id="${ticketId}"]`).waitFor();
  await mine(bob).getByText('You hold no tickets', { exact: false }).waitFor();
  assert.deepEqual((await stack.desk.assignments([ticketId])).get(ticketId)?.agent, 'agent-ann');

  // Bob's approval is refused while Ann holds the ticket; nothing reaches the workflow.
  const approve = bob.getByRole('button', { name: 'Approve' });
  await waitFor(() => approve.isEnabled(), { timeoutMs: TIMEOUT, message: 'the draft ready to approve' });
  await approve.click();
  await bob.getByText(`ticket ${ticketId} is assigned to agent-ann; take it over with a reason first`).waitFor();
  assert.deepEqual((await stack.tickets.getState(ticketId)).reviewHistory, []);
  await assertAxeClean(bob, 'the console with the desk bar and a refusal');
  await bob.screenshot({ path: path.join(SCREENSHOTS, 'console-desk.png'), fullPage: true });

  // A takeover needs a reason; with one, the ticket is Bob's and his approval goes through.
  await bar(bob).getByRole('button', { name: 'Take over' }).click();
  await bar(bob).getByText('Say why you take it from agent-ann.').waitFor();
  await bar(bob).getByLabel('Reason to take it over').fill('Ann is in a call with the customer');
  await bar(bob).getByRole('button', { name: 'Take over' }).click();
  await holder(bob).getByText('Assigned to you').waitFor();
  await holder(ann).getByText('Assigned to agent-bob').waitFor();
  await mine(bob).locator(`[data-ticket-id="${ticketId}"]`).waitFor();
  await mine(ann).locator(`[data-ticket-id="${ticketId}"]`).waitFor({ state: 'detached' });
  await holder(ann).getByText('taken over: Ann is in a call with the customer').waitFor();
  await approve.click();
  await bob.getByText('Approved: the reply is on its way to the customer.').waitFor();
  assert.deepEqual(
    (await stack.tickets.getState(ticketId)).reviewHistory.map((r) => [r.action, r.reviewer]),
    [['approve', 'agent-bob']],
  );

  // The finder says who holds the ticket and who is looking at it.
  await ann.getByRole('region', { name: 'Find tickets' }).getByLabel('Search tickets').fill(customer);
  const row = ann.locator(`.finder-row[data-ticket-id="${ticketId}"] .desk-cell`);
  await waitFor(async () => /held by agent-bob · viewing: agent-ann, agent-bob/.test(await row.innerText()), {
    timeoutMs: TIMEOUT,
    message: 'the finder row with the holder and the viewers',
  });
});

test('the desk API: bad bodies are 400, customers are refused, release by the holder only', async () => {
  const call = (who: string, role: 'agent' | 'customer', path: string, body?: unknown) =>
    fetch(`${stack.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${stack.token(role, who)}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  assert.equal((await call('cust-x', 'customer', '/v1/tickets/t-desk-api/assign', { to: 'cust-x' })).status, 403);
  assert.equal((await call('agent-a', 'agent', '/v1/tickets/t-desk-api/assign', { to: 'a b' })).status, 400);
  assert.equal((await call('agent-a', 'agent', '/v1/tickets/t-desk-api/assign', { to: 'agent-a', x: 1 })).status, 400);
  assert.equal((await call('agent-a', 'agent', '/v1/tickets/t-desk-api/assign', { to: 'agent-a' })).status, 200);
  const refused = await call('agent-b', 'agent', '/v1/tickets/t-desk-api/assign', { to: null });
  assert.equal(refused.status, 409);
  assert.equal((await call('agent-a', 'agent', '/v1/tickets/t-desk-api/assign', { to: null })).status, 200);
  assert.equal((await call('agent-a', 'agent', '/v1/desk')).status, 400);
  const view = (await (await call('agent-a', 'agent', '/v1/desk?ids=t-desk-api')).json()) as {
    assignments: Record<string, unknown>;
  };
  assert.deepEqual(view.assignments, {});
});

test('the SOP library: a proposal is listed with its versions, its author cannot approve it, another agent does', async () => {
  // Proposed as the SOP route would (a version with author and ticket), on the store the gateway reads.
  const store = openSopStore(stack.config);
  try {
    await store.propose({
      sopId: 'human-vpn-token-reset',
      topic: 'A&S',
      title: 'VPN token reset',
      body: '1. Verify the account owner.\n2. Revoke the old VPN token.\n3. Send the enrolment link.',
      author: 'agent-ann',
      ticketId: 't-vpn-1',
    });
    const ann = await openAs('agent-ann', '/console/sops');
    const entry = (page: Page) => page.locator('[data-sop-id="human-vpn-token-reset"]');
    await entry(ann).getByText('Version 1 is yours: another agent approves it.').waitFor();
    assert.equal(await entry(ann).getByRole('button', { name: 'Approve version 1' }).count(), 0);

    const bob = await openAs('agent-bob', '/console/sops');
    await bob.getByText('waiting for approval', { exact: false }).first().waitFor();
    await assertAxeClean(bob, 'the SOP library');
    await bob.screenshot({ path: path.join(SCREENSHOTS, 'sop-library.png'), fullPage: true });
    await entry(bob).getByRole('button', { name: 'Approve version 1' }).click();
    await entry(bob).getByText('approved', { exact: true }).waitFor();
    await entry(bob)
      .getByRole('cell', { name: /^agent-bob, / })
      .waitFor();
    const [v1] = await store.versions('human-vpn-token-reset');
    assert.equal(v1?.approvedBy, 'agent-bob');
  } finally {
    await store.close();
  }
});
