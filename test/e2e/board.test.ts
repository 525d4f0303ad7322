/**
 * The console's board in a real browser against the real stack: each column lists its queue's newest open
 * tickets under the queue's count, says when its page left tickets out and lists them all in the finder;
 * finished tickets, which keep the queue they ended in, neither fill a column nor hide its open ones.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../helpers/wait';
import { PAGE_TIMEOUT as TIMEOUT } from './browser';
import { finder, summary, useDeskFixture } from './finder-page';
import { seedTickets } from './seed';

const SEEDED = 45;
const desk = useDeskFixture(SEEDED);
const { openConsole } = desk;

test("the board's review column shows its newest page, says so, and lists all of them in the finder", async () => {
  const page = await openConsole();
  const review = page.locator('[data-queue="review"]');
  // The 45 seeded reviews alone fill the column's page: the oldest are left out, and the column says so.
  const more = review.getByRole('button', { name: 'List all: Awaiting review' });
  await more.waitFor({ timeout: TIMEOUT });
  assert.equal(await review.locator('.ticket-card').count(), 25);
  // The heading counts the whole queue, not the page, and still does once a ticket is selected (it drew the page's
  // length after a selection before).
  const count = async () => Number(await review.locator('h2 .count').textContent());
  await waitFor(async () => (await count()) >= SEEDED || undefined, { timeoutMs: TIMEOUT, message: 'the count' });
  await review.locator('.ticket-card').first().click();
  await review.locator('.ticket-card.selected').waitFor();
  assert.ok((await count()) >= SEEDED, `the count after a selection: ${await count()}`);
  await more.click();
  assert.equal(await finder(page).getByLabel('Queue').inputValue(), 'review');
  assert.equal(await finder(page).getByLabel('Sort by').inputValue(), 'newest');
  // Every row the finder lists is in the review queue, and its total counts at least the seeded ones.
  const total = await waitFor(
    async () => {
      // A row's fifth cell is its queue's label.
      const queues = await finder(page).locator('.finder-row > span:nth-child(5)').allTextContents();
      const of = Number(/ of (\d+) tickets/.exec((await summary(page).textContent()) ?? '')?.[1] ?? 0);
      return queues.length === 20 && queues.every((q) => q === 'Awaiting review') ? of : undefined;
    },
    { timeoutMs: TIMEOUT, message: 'the finder lists the review queue' },
  );
  assert.ok(total >= SEEDED, `${total} reviews listed, ${SEEDED} seeded`);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'finder-heading', 'the finder takes focus');
  await page.close();
});

test('finished tickets keep the queue they ended in, and neither fill a column nor hide its open ones', async () => {
  const ended = await seedTickets(30, undefined, 'security');
  await ended.stop(); // terminated: still listed under the security queue, no longer running
  const page = await openConsole();
  const security = page.locator('[data-queue="security"]');
  await security.locator('h2 .count').filter({ hasText: /^\d+$/ }).waitFor({ timeout: TIMEOUT });
  const cards = await security
    .locator('.ticket-card')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-ticket-id')));
  assert.ok(!cards.some((id) => ended.ticketIds.includes(id!)), 'no finished ticket on the board');
  // Before: the page read the 30 finished ones, showed none of them, and said "Only the newest are shown".
  const notice = await security.getByText('Only the newest are shown.').count();
  assert.equal(notice, cards.length >= 25 ? 1 : 0, `${cards.length} cards, notice ${notice}`);
  await page.close();
});
