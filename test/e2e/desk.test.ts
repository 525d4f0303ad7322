/**
 * The team desk in a real browser against the real stack: finding any ticket among many (search by customer
 * and ticket id, filters, urgency sort, paging through Temporal visibility with its total).
 * Screenshots go to test-results/screenshots/ (docs/screenshots/ with UPDATE_SCREENSHOTS=1).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildUi } from '../../ui/build';
import { waitFor } from '../helpers/wait';
import { launchBrowser } from './browser';
import { seedTickets, type Seeded } from './seed';
import { startStack, type Stack } from './stack';

const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? path.resolve(__dirname, '..', '..', 'docs', 'screenshots')
  : path.resolve(__dirname, '..', '..', 'test-results', 'screenshots');
const TIMEOUT = 30_000;
const SEEDED = 45;

let stack: Stack;
let browser: Browser;
let seeded: Seeded;

before(async () => {
  await buildUi({ quiet: true });
  [stack, browser, seeded] = await Promise.all([startStack(), launchBrowser(), seedTickets(SEEDED)]);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  for (const c of browser?.contexts() ?? []) await c.close().catch(() => undefined);
  await browser?.close();
  await seeded?.stop();
  await stack?.stop();
});

async function openConsole(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  page.on('pageerror', (err) => {
    throw new Error(`page error on ${page.url()}: ${err.message}`);
  });
  await page.goto(`${stack.url}/console#token=${stack.token('agent', 'agent-dee')}`);
  return page;
}

const finder = (page: Page) => page.getByRole('region', { name: 'Find tickets' });
const summary = (page: Page) => finder(page).locator('.finder-summary');
const rowIds = (page: Page) => finder(page).locator('.finder-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ticket-id')));
const rowUrgencies = (page: Page) => finder(page).locator('.finder-row .badge').allTextContents();

test('a customer\'s 45 tickets: searched, paged 20 at a time with the total, filtered, sorted by urgency', async () => {
  const page = await openConsole();
  await finder(page).getByLabel('Search tickets').fill(seeded.customer);
  await summary(page).getByText(`1–20 of ${SEEDED} tickets · page 1`).waitFor();
  const newestFirst = [...seeded.ticketIds].reverse();
  assert.deepEqual(await rowIds(page), newestFirst.slice(0, 20));
  await page.screenshot({ path: path.join(SCREENSHOTS, 'console-find.png'), fullPage: true });

  await finder(page).getByRole('button', { name: 'Next page' }).click();
  await summary(page).getByText(`21–40 of ${SEEDED} tickets · page 2`).waitFor();
  assert.deepEqual(await rowIds(page), newestFirst.slice(20, 40));
  await finder(page).getByRole('button', { name: 'Next page' }).click();
  await summary(page).getByText(`41–45 of ${SEEDED} tickets · page 3`).waitFor();
  assert.deepEqual(await rowIds(page), newestFirst.slice(40));
  assert.equal(await finder(page).getByRole('button', { name: 'Next page' }).isDisabled(), true);
  await finder(page).getByRole('button', { name: 'Previous page' }).click();
  await summary(page).getByText(`21–40 of ${SEEDED} tickets · page 2`).waitFor();

  // Filters narrow the search and start again from page 1.
  await finder(page).getByLabel('Urgency').selectOption('high');
  await summary(page).getByText('1–9 of 9 tickets · page 1').waitFor();
  assert.deepEqual(new Set(await rowUrgencies(page)), new Set(['high']));
  await finder(page).getByLabel('Topic').selectOption('Billing');
  // Urgency i%5 = 1 and topic i%3 = 0: i = 6, 21, 36.
  await summary(page).getByText('1–3 of 3 tickets · page 1').waitFor();
  assert.deepEqual(await rowIds(page), [36, 21, 6].map((i) => seeded.ticketIds[i]));
  await finder(page).getByLabel('Topic').selectOption('');

  // Most urgent first, across pages: 9 critical, 9 high, then medium on the first page.
  await finder(page).getByLabel('Urgency').selectOption('');
  await summary(page).getByText(`1–20 of ${SEEDED} tickets · page 1`).waitFor();
  await finder(page).getByLabel('Sort by').selectOption('urgency');
  const firstPage = [...Array(9).fill('critical'), ...Array(9).fill('high'), 'medium', 'medium'];
  await waitFor(async () => (await rowUrgencies(page)).join() === firstPage.join(), { timeoutMs: TIMEOUT, message: 'the most urgent first' });
  await finder(page).getByRole('button', { name: 'Next page' }).click();
  await summary(page).getByText(`21–40 of ${SEEDED} tickets · page 2`).waitFor();
  assert.deepEqual(await rowUrgencies(page), [...Array(7).fill('medium'), ...Array(9).fill('low'), ...Array(4).fill('untriaged')]);

  // A ticket id finds that ticket; opening it shows it selected.
  await finder(page).getByLabel('Search tickets').fill(seeded.ticketIds[12]!);
  await summary(page).getByText('1–1 of 1 tickets · page 1').waitFor();
  await finder(page).locator(`[data-ticket-id="${seeded.ticketIds[12]}"]`).click();
  await page.waitForURL(new RegExp(`/console/tickets/${seeded.ticketIds[12]}$`));

  // What cannot be an id is refused by the API, and said so in place.
  await finder(page).getByLabel('Search tickets').fill("x' OR 1=1");
  await summary(page).getByText('Could not search', { exact: false }).waitFor();
});
