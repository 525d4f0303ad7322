/**
 * The team desk in a real browser against the real stack: finding any ticket among many (search by customer
 * and ticket id, filters, urgency and review-deadline sorts, paging through Temporal visibility with its total).
 * The board's columns: board.test.ts.
 * Screenshots go to test-results/screenshots/ (docs/screenshots/ with UPDATE_SCREENSHOTS=1).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { waitFor } from '../helpers/wait';
import { assertAxeClean } from './axe';
import { PAGE_TIMEOUT as TIMEOUT, SCREENSHOTS } from './browser';
import { seedTickets } from './seed';
import { finder, rowIds, rowUrgencies, summary, useDeskFixture } from './finder-page';

const SEEDED = 45;
const desk = useDeskFixture(SEEDED);
const { openConsole } = desk;

test("a customer's 45 tickets: searched, paged 20 at a time with the total, filtered, sorted by urgency", async () => {
  const page = await openConsole();
  await finder(page).getByLabel('Search tickets').fill(desk.seeded().customer);
  await summary(page).getByText(`1–20 of ${SEEDED} tickets · page 1`).waitFor();
  const newestFirst = [...desk.seeded().ticketIds].reverse();
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
  assert.deepEqual(
    await rowIds(page),
    [36, 21, 6].map((i) => desk.seeded().ticketIds[i]),
  );
  await finder(page).getByLabel('Topic').selectOption('');

  // Most urgent first, across pages: 9 critical, 9 high, then medium on the first page.
  await finder(page).getByLabel('Urgency').selectOption('');
  await summary(page).getByText(`1–20 of ${SEEDED} tickets · page 1`).waitFor();
  await finder(page).getByLabel('Sort by').selectOption('urgency');
  const firstPage = [...Array<string>(9).fill('critical'), ...Array<string>(9).fill('high'), 'medium', 'medium'];
  await waitFor(async () => (await rowUrgencies(page)).join() === firstPage.join(), {
    timeoutMs: TIMEOUT,
    message: 'the most urgent first',
  });
  await finder(page).getByRole('button', { name: 'Next page' }).click();
  await summary(page).getByText(`21–40 of ${SEEDED} tickets · page 2`).waitFor();
  assert.deepEqual(await rowUrgencies(page), [
    ...Array<string>(7).fill('medium'),
    ...Array<string>(9).fill('low'),
    ...Array<string>(4).fill('untriaged'),
  ]);

  // A ticket id finds that ticket (not opened: no worker answers a seeded ticket's state).
  await finder(page).getByLabel('Search tickets').fill(desk.seeded().ticketIds[12]!);
  await summary(page).getByText('1–1 of 1 tickets · page 1').waitFor();
  assert.deepEqual(await rowIds(page), [desk.seeded().ticketIds[12]]);

  // What cannot be an id is refused by the API, and said so in place.
  await finder(page).getByLabel('Search tickets').fill("x' OR 1=1");
  await summary(page).getByText('Could not search', { exact: false }).waitFor();
});

test('a queue of 300: exact counts under filters, and any ticket found by its id', async () => {
  const many = await seedTickets(300);
  try {
    const page = await openConsole();
    await finder(page).getByLabel('Search tickets').fill(many.customer);
    await summary(page).getByText('1–20 of 300 tickets · page 1').waitFor();
    await finder(page).getByLabel('Urgency').selectOption('critical'); // i % 5 = 0
    await summary(page).getByText('1–20 of 60 tickets · page 1').waitFor();
    await finder(page).getByLabel('Topic').selectOption('A&S'); // and i % 3 = 2: i = 5, 20, ..., 290
    await summary(page).getByText('1–20 of 20 tickets · page 1').waitFor();
    assert.deepEqual(
      await rowIds(page),
      Array.from({ length: 20 }, (_, k) => many.ticketIds[290 - 15 * k]),
    );
    await finder(page).getByLabel('Urgency').selectOption('');
    await finder(page).getByLabel('Topic').selectOption('');
    for (const i of [0, 157, 299]) {
      // The summary reads the same for every id: wait for the row itself.
      await finder(page).getByLabel('Search tickets').fill(many.ticketIds[i]!);
      await waitFor(async () => (await rowIds(page)).join() === many.ticketIds[i], {
        timeoutMs: TIMEOUT,
        message: `ticket ${i} found by its id`,
      });
      await summary(page).getByText('1–1 of 1 tickets · page 1').waitFor();
    }
  } finally {
    await many.stop();
  }
});

test('sorted by review deadline: only pending reviews, soonest due first, through the API and in the finder', async () => {
  const now = Date.now();
  // Ticket i is due in (7i mod 10) + 1 hours, so the seeding order is not the deadline order; every third
  // ticket has no review pending and is left out of this order.
  const dueHours = (i: number) => ((7 * i) % 10) + 1;
  const dueSeed = await seedTickets(10, (i) => (i % 3 === 2 ? undefined : new Date(now + dueHours(i) * 3_600_000)));
  try {
    const expected = dueSeed.ticketIds
      .map((id, i) => ({ id, i }))
      .filter(({ i }) => i % 3 !== 2)
      .sort((a, b) => dueHours(a.i) - dueHours(b.i))
      .map(({ id }) => id);

    // The API, 3 at a time: every page token continues the same order, and the total counts pending reviews.
    const listed: string[] = [];
    let token: string | null = null;
    do {
      const q = new URLSearchParams({ search: dueSeed.customer, sort: 'deadline', pageSize: '3', total: '1' });
      if (token) q.set('pageToken', token);
      const res = await fetch(`${desk.stack().url}/v1/tickets?${q.toString()}`, {
        headers: { authorization: `Bearer ${desk.stack().token('agent', 'agent-dee')}` },
      });
      assert.equal(res.status, 200, await res.clone().text());
      const body = (await res.json()) as {
        tickets: { ticketId: string; reviewDueAt: string | null }[];
        nextPageToken: string | null;
        total: number;
      };
      assert.equal(body.total, expected.length);
      assert.ok(body.tickets.every((t) => t.reviewDueAt !== null));
      listed.push(...body.tickets.map((t) => t.ticketId));
      token = body.nextPageToken;
    } while (token);
    assert.deepEqual(listed, expected);

    const page = await openConsole();
    await finder(page).getByLabel('Search tickets').fill(dueSeed.customer);
    await summary(page).getByText('1–10 of 10 tickets · page 1').waitFor();
    await finder(page).getByLabel('Sort by').selectOption('deadline');
    await summary(page).getByText(`1–${expected.length} of ${expected.length} tickets · page 1`).waitFor();
    assert.deepEqual(await rowIds(page), expected);
    const dueTexts = await finder(page).locator('.finder-row .review-due').allTextContents();
    assert.match(dueTexts[0] ?? '', /^review due in (59m|1h)$/);
    await assertAxeClean(page, 'the console sorted by review deadline');
  } finally {
    await dueSeed.stop();
  }
});

async function createTicket(text: string): Promise<string> {
  const res = await fetch(`${desk.stack().url}/v1/tickets`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${desk.stack().token('customer', desk.seeded().customer)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ text }),
  });
  assert.equal(res.status, 201);
  return ((await res.json()) as { ticketId: string }).ticketId;
}

test('from the keyboard: / searches, j and k move, e edits, r asks the reason, a approves, ? lists the keys', async () => {
  // Two real tickets on top of the seeded ones, so moving between them opens tickets a worker answers for.
  const older = await createTicket(
    'How do I raise the spending limit for Actions minutes on our org? Builds are queued.',
  );
  const real = await createTicket(
    'I was charged twice for my Pro plan this month (txn_48213 and txn_48214). Please refund the duplicate.',
  );
  await waitFor(async () => (await desk.stack().tickets.getState(real)).pendingReview !== null, {
    timeoutMs: TIMEOUT,
    message: 'the ticket waiting for review',
  });
  const page = await openConsole();
  await summary(page).getByText('tickets · page 1', { exact: false }).waitFor();

  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'search');
  await page.keyboard.type(desk.seeded().customer);
  await summary(page)
    .getByText(`1–20 of ${SEEDED + 2} tickets · page 1`)
    .waitFor();
  await page.keyboard.press('Escape');
  assert.deepEqual((await rowIds(page)).slice(0, 2), [real, older], 'the newest first');
  await page.keyboard.press('j');
  await page.waitForURL(new RegExp(`/console/tickets/${real}$`));
  await page.keyboard.press('j');
  await page.waitForURL(new RegExp(`/console/tickets/${older}$`));
  await page.keyboard.press('k');
  await page.waitForURL(new RegExp(`/console/tickets/${real}$`));
  await finder(page).locator(`[data-ticket-id="${real}"][aria-current="true"]`).waitFor();

  const approve = page.getByRole('button', { name: 'Approve' });
  await approve.waitFor();
  await waitFor(() => approve.isEnabled(), { timeoutMs: TIMEOUT, message: 'the draft ready to approve' });
  await page.keyboard.press('e');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'draft-editor');
  await page.keyboard.press('a'); // typed into the reply, not an approval
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Escape');
  await page.keyboard.press('r');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'reject-reason');
  await page.keyboard.press('Escape');

  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  await help.getByText('Approve the draft').waitFor();
  await assertAxeClean(page, 'the console with the shortcut list open');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'console-shortcuts.png') });
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'hidden' });

  await page.keyboard.press('a');
  await page.getByText('Approved: the reply is on its way to the customer.').waitFor();
  const state = await desk.stack().tickets.getState(real);
  assert.deepEqual(
    state.reviewHistory.map((r) => [r.action, r.reviewer]),
    [['approve', 'agent-dee']],
  );
});

test('axe: the customer page and the console have no serious or critical violations', async () => {
  const page = await openConsole();
  await finder(page).locator('.finder-summary').getByText('tickets · page 1', { exact: false }).waitFor();
  await assertAxeClean(page, 'console: the finder');
  await page.goto(`${desk.stack().url}/ticket#token=${desk.stack().token('customer', 'axe-customer')}`);
  await page.getByLabel('Describe your problem').waitFor();
  await assertAxeClean(page, 'customer: new request');
});
