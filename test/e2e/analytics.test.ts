/**
 * The analytics page in a real browser against the real stack: the figures come from Temporal visibility
 * (GET /v1/analytics), so seeded tickets move them; the charts are drawn (Chart.js, bundled) with their
 * numbers in tables; bad windows are refused; customers are refused; axe finds nothing serious. The shared
 * dev server holds other people's tickets too, so the checks are on what the seeded tickets add.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { DeskFigures } from '../../client/figures';
import { buildUi } from '../../ui/build';
import { seriousViolations } from './axe';
import { launchBrowser, openPage, SCREENSHOTS } from './browser';
import { seedTickets, type Seeded } from './seed';
import { startStack, type Stack } from './stack';

let stack: Stack;
let browser: Browser;
let seeded: Seeded | undefined;

before(async () => {
  await buildUi({ quiet: true });
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await seeded?.stop();
  await stack?.stop();
});

async function figures(query: string, role: 'agent' | 'customer' = 'agent'): Promise<Response> {
  return fetch(`${stack.url}/v1/analytics${query}`, {
    headers: { authorization: `Bearer ${stack.token(role, `${role}-figures`)}` },
  });
}

test('seeded tickets move the figures; the page draws them with their numbers; axe is clean', async () => {
  const read = async () => (await (await figures('?days=1&topic=Billing')).json()) as DeskFigures;
  const before = await read();
  seeded = await seedTickets(12); // topics i mod 3: Billing for i = 0, 3, 6, 9; all awaiting review
  const after = await read();
  assert.equal(after.topic, 'Billing');
  assert.ok(after.total - before.total >= 4, `4 more Billing tickets today (${before.total} -> ${after.total})`);
  assert.ok(after.byStatus.awaiting_review! - before.byStatus.awaiting_review! >= 4);
  assert.ok(after.open - before.open >= 4);
  assert.equal(after.perDay.length, 1);
  assert.equal(after.perDay[0]!.count, after.total);
  assert.deepEqual(Object.keys(after.byTopic), ['Billing']);

  const page = await openPage(
    browser,
    `${stack.url}/console/analytics#token=${stack.token('agent', 'agent-figures')}`,
    {
      height: 1200,
      bypassCSP: true,
    },
  );
  await page.getByRole('heading', { name: 'Desk analytics' }).waitFor();
  await page.getByText('Tickets by topic', { exact: true }).waitFor();
  const week = (await (await figures('')).json()) as DeskFigures;
  assert.equal(week.perDay.length, 7);
  // Every chart is drawn, with a spoken summary.
  const canvases = page.locator('canvas[role="img"]');
  assert.equal(await canvases.count(), 4);
  for (const label of await canvases.evaluateAll((cs) => cs.map((c) => c.getAttribute('aria-label') ?? '')))
    assert.match(label, /^(Tickets per day|Tickets by topic|Tickets by status|Open queues now)\. /);
  const drawn = await page.evaluate(() => {
    const c = document.getElementById('chart-topics') as HTMLCanvasElement;
    return (
      c.width > 0 &&
      c
        .getContext('2d')!
        .getImageData(0, 0, c.width, c.height)
        .data.some((v) => v !== 0)
    );
  });
  assert.ok(drawn, 'the topic chart has pixels');
  // The table under the topic chart has the seeded Billing tickets at least.
  // (textContent: the table sits in a closed <details>, which has no rendered text.)
  const billing =
    (await page
      .locator('figure', { hasText: 'Tickets by topic' })
      .locator('tbody tr', { hasText: 'Billing' })
      .textContent()) ?? '';
  assert.ok(Number(/\d+/.exec(billing)?.[0]) >= 4, billing);

  await page.locator('select[name="topic"]').selectOption('Billing');
  await page.getByText('· Billing', { exact: false }).waitFor();
  assert.deepEqual(await seriousViolations(page), [], 'axe on the analytics page');
  await page.locator('select[name="topic"]').selectOption('');
  await page
    .getByRole('status')
    .getByText(/^\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d$/)
    .waitFor();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'analytics.png'), fullPage: true });
  await page.context().close();
});

test('GET /v1/analytics: agents only, a window of 1 to 31 days, a known topic', async () => {
  assert.equal((await figures('', 'customer')).status, 403);
  assert.equal((await figures('?days=0')).status, 400);
  assert.equal((await figures('?days=32')).status, 400);
  assert.equal((await figures('?topic=Nope')).status, 400);
  assert.equal((await figures('?days=3&x=1')).status, 400);
  assert.equal((await figures('?days=3')).status, 200);
});
