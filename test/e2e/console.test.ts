/**
 * The console and the customer page in a real browser against the real stack: a customer submits a ticket
 * and watches it move; an agent finds it in the review queue, edits and approves; the customer's page shows
 * the reply and the resolved state without a reload; the reject path redrafts; the SOP path resumes the
 * ticket; a customer token does not open the console or its API. Screenshots go to test-results/screenshots/ (docs/screenshots/ with UPDATE_SCREENSHOTS=1).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildUi } from '../../ui/build';
import { waitFor } from '../helpers/wait';
import { assertAxeClean } from './axe';
import { launchBrowser, openPage, PAGE_TIMEOUT as TIMEOUT, SCREENSHOTS } from './browser';
import { createTicket as postTicket, startStack, type Stack } from './stack';

let stack: Stack;
let browser: Browser;
/** A page of its own (a person of their own) at `where` on the stack, signed in by `token` when given. */
const newPage = (where: string, token?: string): Promise<Page> =>
  openPage(browser, `${stack.url}${where}${token ? `#token=${token}` : ''}`, { bypassCSP: true });

/** Streams the gateway closed as idle (4001), from its /metrics. */
async function idleCloses(): Promise<number> {
  const text = await (await fetch(`${stack.url}/metrics`)).text();
  const m = /^ticketflow_gateway_socket_closes_total\{[^}]*code="4001"[^}]*\} (\d+)/m.exec(text);
  return m ? Number(m[1]) : 0;
}

const openConsole = (agentToken: string, ticketId?: string): Promise<Page> =>
  newPage(`/console${ticketId ? `/tickets/${ticketId}` : ''}`, agentToken);

const createTicket = (customer: string, text: string) => postTicket(stack, customer, text);

before(async () => {
  await buildUi({ quiet: true });
  // Without the A&S SOPs, an A&S lockout ticket waits for a person to provide one (the SOP path).
  const sops = fs.readdirSync(path.resolve(__dirname, '..', '..', 'sops')).filter((f) => !f.startsWith('as-'));
  // A short session TTL: a page someone is watching must keep its stream alive with heartbeats (test 1).
  [stack, browser] = await Promise.all([startStack({ sops, env: { SESSION_TTL: '3s' } }), launchBrowser()]);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  for (const c of browser?.contexts() ?? []) await c.close().catch(() => undefined);
  await browser?.close();
  await stack?.stop();
});

test('customer submits, agent edits and approves in the review queue, customer sees the reply live', async () => {
  const agentToken = stack.token('agent', 'agent-ann');
  const customer = await newPage('/ticket', stack.token('customer', 'mona'));
  // The token left the address bar at once.
  assert.ok(!customer.url().includes('token='));
  await assertAxeClean(customer, 'customer: new request');
  await customer
    .getByLabel('Describe your problem')
    .fill(
      'I was charged twice for my Pro plan this month. Transaction ids txn_48213 and txn_48214. Please refund the duplicate charge.',
    );
  // The page's streams: a reconnect would open another.
  const customerStreams: string[] = [];
  customer.on('websocket', (ws) => customerStreams.push(ws.url()));
  await customer.getByRole('button', { name: 'Submit request' }).click();
  await customer.waitForURL(/\/ticket\/t-[\w-]+$/);
  const ticketId = decodeURIComponent(customer.url().split('/ticket/')[1]!);
  // Marks this page load: if the page reloaded, the marker would be gone.
  await customer.evaluate(() => ((window as unknown as { loadMarker: number }).loadMarker = 42));

  // Live progress: the steps advance to "Waiting for an agent" while the page sits there.
  await customer.locator('.steps li[data-step="review"][aria-current="step"]').waitFor();
  await customer.getByText('Live: this page updates by itself.').waitFor();
  assert.equal(await customer.locator('.steps li.done').count(), 3);
  // Longer than the session TTL with nothing happening on the ticket: the heartbeat keeps the stream open (the
  // same one: no second stream opened, none closed as idle). Counted, not timed: a loaded machine may be slow
  // to draw, never to keep the stream.
  const streamsBefore = customerStreams.length;
  assert.ok(streamsBefore >= 1, 'the page streams its ticket');
  await customer.waitForTimeout(4_500);
  await customer.getByText('Live: this page updates by itself.').waitFor();
  assert.equal(customerStreams.length, streamsBefore, `streams opened: ${customerStreams.join(', ')}`);
  assert.equal(await idleCloses(), 0, 'no stream closed as idle');

  // The agent finds it in the review queue and opens it.
  const agent = await openConsole(agentToken);
  const card = agent.locator(`[data-queue="review"] [data-ticket-id="${ticketId}"]`);
  await card.waitFor();
  await card.click();
  await agent.waitForURL(new RegExp(`/console/tickets/${ticketId}$`));
  const editor = agent.getByLabel('Reply to the customer');
  await waitFor(async () => (await editor.inputValue()).length > 40, {
    timeoutMs: TIMEOUT,
    message: 'the draft in the editor',
  });
  await agent.getByRole('button', { name: 'Approve' }).waitFor();
  assert.equal(await agent.getByRole('button', { name: 'Approve' }).isEnabled(), true);
  assert.equal(await agent.getByRole('button', { name: 'Edit and send' }).isEnabled(), false, 'nothing edited yet');
  await agent.locator('.facts').getByText('Billing').waitFor();
  await agent.locator('.tool-runs').getByText('verify_transaction').first().waitFor();
  const temporalLink = await agent.getByRole('link', { name: 'Open workflow in Temporal UI' }).getAttribute('href');
  assert.equal(
    temporalLink,
    `${stack.config.temporal.uiUrl}/namespaces/${stack.config.temporal.namespace}/workflows/ticket-${ticketId}`,
  );
  await agent.locator('.event-log li[data-type="draft"]').first().waitFor();
  await agent.locator('.stream-state.live').waitFor();
  await assertAxeClean(agent, 'console: a draft to review');
  await agent.screenshot({ path: path.join(SCREENSHOTS, 'console.png'), fullPage: true });

  const edited = `${await editor.inputValue()}\n\nYour refund of the duplicate charge was issued today.`;
  await editor.fill(edited);
  assert.equal(
    await agent.getByRole('button', { name: 'Approve' }).isEnabled(),
    false,
    'approve sends the draft as written, not edits',
  );
  await agent.getByRole('button', { name: 'Edit and send' }).click();
  await agent.getByText('Your edited reply is on its way to the customer.').waitFor();
  await agent.locator('.history').getByText('Edited and sent').waitFor();
  await agent.locator('.history').getByText('by agent-ann', { exact: false }).waitFor();

  // The customer's page shows the reply and the resolved state, without a reload.
  await customer.getByTestId('reply-text').getByText('Your refund of the duplicate charge was issued today.').waitFor();
  await customer.locator('.status-line[data-status="resolved"]').waitFor();
  await customer.locator('.steps li[data-step="answered"][aria-current="step"]').waitFor();
  assert.equal(
    await customer.evaluate(() => (window as unknown as { loadMarker?: number }).loadMarker),
    42,
    'the page was not reloaded',
  );
  assert.equal(await idleCloses(), 0, 'no stream was closed as idle: the pages kept theirs alive');
  await customer.getByRole('heading', { name: 'Your feedback' }).waitFor();
  await assertAxeClean(customer, 'customer: the reply and the feedback form');
  await customer.screenshot({ path: path.join(SCREENSHOTS, 'customer.png'), fullPage: true });

  await customer.getByLabel('Yes').check();
  await customer.getByLabel('How was our help?').selectOption('5');
  await customer.getByRole('button', { name: 'Send feedback' }).click();
  await customer.getByText('Thank you for your feedback.').waitFor();
  const state = await stack.tickets.getState(ticketId);
  assert.equal(state.feedback?.rating, 5);
  // The agent's words as sent, but for the draft's sentence about the refund, now told from its outcome.
  const stale = /The refund of txn_48214 \(4\.00 USD\) will be made once our team approves this reply\./;
  assert.match(edited, stale);
  assert.equal(state.proposals?.[0]?.status, 'executed');
  assert.equal(state.reply?.text, edited.replace(stale, `We have ${state.proposals[0].outcome}.`));

  // Reloading the page resumes the ticket from the URL and the token kept in sessionStorage.
  await customer.reload();
  await customer.getByTestId('reply-text').getByText('Your refund of the duplicate charge was issued today.').waitFor();
});

test('reject with a reason: the workflow writes a new draft (over a stream that dropped and resumed)', async () => {
  const ticketId = await createTicket(
    'octo-dev',
    'How do I raise the spending limit for Actions minutes on our org? Our budget ran out and builds are queued.',
  );
  const agent = await openConsole(stack.token('agent', 'agent-bo'), ticketId);
  const sockets: string[] = [];
  agent.on('websocket', (ws) => sockets.push(ws.url()));
  await agent.locator('.draft-meta').getByText('Draft v1').waitFor();
  await agent.locator('.stream-state.live').waitFor();

  // The gateway drops every socket (1001, draining): the console resumes after the last seq on a new socket at
  // once, without alarming the agent (ui/src/shared/stream.ts; a socket that keeps dropping shows it does).
  const lastSeq = (await stack.tickets.getState(ticketId)).lastSeq;
  const opened = sockets.length;
  stack.gateway.hub.closeAll('GOING_AWAY');
  await waitFor(async () => sockets.length > opened, { timeoutMs: TIMEOUT, message: 'a new socket after the drop' });
  assert.match(sockets.at(-1) ?? '', new RegExp(`since=${lastSeq}&`), sockets.join('\n'));
  await agent.locator('.stream-state.live').waitFor();

  await agent.getByRole('button', { name: 'Reject' }).click();
  await agent.getByText('Say why the draft is rejected').waitFor(); // the reason is required, shown in place
  await agent.getByLabel('Reason for rejecting').fill('Give the exact settings page path.');
  await agent.getByRole('button', { name: 'Reject' }).click();
  await agent.getByText('Rejected: a new draft is being written.').waitFor();
  await agent.locator('.draft-meta').getByText('Draft v2').waitFor();
  await agent.locator('.history').getByText('Reason: Give the exact settings page path.').waitFor();
  await waitFor(async () => (await agent.locator('.event-log li[data-type="draft"]').count()) === 2, {
    timeoutMs: TIMEOUT,
    message: 'both drafts in the live log',
  });
  const state = await stack.tickets.getState(ticketId);
  assert.equal(state.draft?.version, 2);
  assert.deepEqual(
    state.reviewHistory.map((r) => [r.action, r.reviewer, r.reason]),
    [['reject', 'agent-bo', 'Give the exact settings page path.']],
  );
});

test('an SOP provided in the console resumes a ticket that waited for one', async () => {
  const ticketId = await createTicket(
    'demo-user',
    "Hi, I lost my phone and now I can't get past the two-factor prompt. I don't have my recovery codes either. How do I get back into my account?",
  );
  const agent = await openConsole(stack.token('agent', 'agent-cy'));
  await agent.locator(`[data-queue="needs_sop"] [data-ticket-id="${ticketId}"]`).click();
  await agent.getByRole('heading', { name: 'Provide an SOP' }).waitFor();
  await agent.getByLabel('SOP title').fill('2FA lockout without recovery codes');
  await agent
    .getByLabel('Procedure')
    .fill(
      '1. Verify identity with a signed SSH challenge or a verified device.\n2. Never disable 2FA on request alone.\n3. Offer account recovery through the documented flow.',
    );
  await agent.getByRole('button', { name: 'Save SOP and resume' }).click();
  // The confirmation lives in the SOP panel, which hides as soon as the ticket resumes (sometimes before a
  // check could see it): the outcome is what counts, the draft written from the new SOP.
  await agent.locator('.draft-meta').getByText('Draft v1').waitFor();
  assert.equal(await agent.getByRole('heading', { name: 'Provide an SOP' }).isVisible(), false);
  const state = await stack.tickets.getState(ticketId);
  assert.ok(
    state.sops.some((s) => s.source === 'human'),
    JSON.stringify(state.sops),
  );
  assert.equal(state.pendingReview?.draftVersion, 1);
});

test('a customer token does not open the console, and its API answers 403', async () => {
  const page = await newPage('/console', stack.token('customer', 'mona'));
  await page.getByRole('heading', { name: 'Agents only' }).waitFor();
  const status = await page.evaluate(async () => {
    const token = sessionStorage.getItem('ticketflow.token.agent');
    const res = await fetch('/v1/tickets', { headers: { authorization: `Bearer ${token}` } });
    return res.status;
  });
  assert.equal(status, 403);
});
