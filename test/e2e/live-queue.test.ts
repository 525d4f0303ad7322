/**
 * The live queue in Chromium on the real stack (worker, Kafka, gateway, the shared desk store): agent Ann's
 * console, opened before anything happens, shows a ticket created afterwards, and agent Bob's view and claim
 * of it, without a reload and without asking the desk again: the queue stream's frames do it. Waits are on
 * the DOM, never on a clock. axe clean on the live console.
 * Screenshots go to test-results/screenshots/ (docs/screenshots/ with UPDATE_SCREENSHOTS=1).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { uniqueName } from '../helpers/infra';
import { waitFor } from '../helpers/wait';
import { assertAxeClean } from './axe';
import { openPage, PAGE_TIMEOUT as TIMEOUT, SCREENSHOTS } from './browser';
import { createTicket, type Stack } from './stack';
import { stackAndBrowserPerFile } from './per-file';

let stack: Stack;
let browser: Browser;
stackAndBrowserPerFile((s, b) => ([stack, browser] = [s, b]));

const openAs = (agent: string, where: string): Promise<Page> =>
  openPage(browser, `${stack.url}${where}#token=${stack.token('agent', agent)}`, { height: 1100, bypassCSP: true });

test("Ann's open console shows a new ticket, then Bob viewing and claiming it, from the queue stream alone", async () => {
  const customer = uniqueName('cust-live');
  const ann = await openAs('agent-ann', '/console');
  const finder = ann.getByRole('region', { name: 'Find tickets' });
  await ann.locator('.board[data-live="true"]').waitFor();
  // Her finder shows this customer's tickets: none yet.
  await finder.getByLabel('Search tickets').fill(customer);
  await finder.getByText('No tickets match.').waitFor();
  const navigations: string[] = [];
  ann.on('framenavigated', (f) => navigations.push(f.url()));

  const ticketId = await createTicket(
    stack,
    customer,
    'I was charged twice for my Pro plan (txn_61213 and txn_61214). Please refund one.',
  );
  const row = finder.locator(`.finder-row[data-ticket-id="${ticketId}"]`);
  await row.waitFor();

  // Once it waits for review nothing moves it, so what follows on Ann's page comes from the desk alone.
  await waitFor(async () => (await stack.tickets.getState(ticketId)).pendingReview !== null, {
    timeoutMs: TIMEOUT,
    message: 'the ticket waiting for review',
  });
  // Its status event has reached her row too (that frame reloads her page, and the desk with it).
  await row.getByText('Awaiting review').waitFor();
  const deskReads: string[] = [];
  ann.on('request', (r) => {
    if (new URL(r.url()).pathname === '/v1/desk') deskReads.push(r.url());
  });

  const bob = await openAs('agent-bob', `/console/tickets/${ticketId}`);
  const cell = row.locator('.desk-cell');
  await cell.getByText('viewing: agent-bob').waitFor();
  await bob.getByRole('region', { name: 'Assignment' }).getByRole('button', { name: 'Claim' }).click();
  await cell.getByText('held by agent-bob').waitFor();
  assert.deepEqual(deskReads, [], "Ann's console never asked the desk: the stream told it");
  assert.deepEqual(navigations, [], 'no reload');

  await assertAxeClean(ann, 'the live console');
  await ann.screenshot({ path: path.join(SCREENSHOTS, 'console-live.png'), fullPage: true });
});
