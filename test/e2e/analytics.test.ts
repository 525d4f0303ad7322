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
import type { AnalyticsFigures, DeskFigures } from '../../client/figures';
import { buildUi } from '../../ui/build';
import { stackCalls } from '../actions/stack-calls';
import { assertAxeClean } from './axe';
import { launchBrowser, openPage, SCREENSHOTS } from './browser';
import { seedTickets, type Seeded } from './seed';
import { startStack, type Stack } from './stack';

let stack: Stack;
let browser: Browser;
let seeded: Seeded | undefined;
type Outcome = { status: string; awaiting: string | null; pendingReview: { draftVersion: number } | null };

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

test('CSAT, reopen rate and review time come from the tickets the stack finished, on the API and the page', async () => {
  const { openTicket, agent, waitState } = stackCalls<Outcome>(() => stack);
  const feedback = async (id: string, body: { resolved: boolean; rating: number }) => {
    const res = await fetch(`${stack.url}/v1/tickets/${id}/feedback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.token('customer', 'mona')}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 202, await res.text());
  };
  const review = async (id: string, body: Record<string, unknown>) => {
    const s = await waitState(id, (x) => x.pendingReview !== null, 'a review');
    const res = await agent(id, 'review', { ...body, draftVersion: s.pendingReview!.draftVersion });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };
  const awaitingFeedback = (id: string) => waitState(id, (x) => x.awaiting === 'feedback', 'waiting for feedback');
  const closed = (id: string) => waitState(id, (x) => x.status === 'closed', 'closed after the memory step');
  const text = (a: number) => `I was charged twice for my Pro plan (txn_${a} and txn_${a + 1}). Please refund one.`;
  const [happy, unhappy] = await Promise.all([openTicket('mona', text(71213)), openTicket('mona', text(71313))]);
  assert.notEqual(happy, unhappy);
  // One resolved at once (rated 5); one reopened (rated 2), answered by a person, then resolved (rated 4).
  await review(happy, { action: 'approve' });
  await review(unhappy, { action: 'approve' });
  await awaitingFeedback(happy);
  await feedback(happy, { resolved: true, rating: 5 });
  await awaitingFeedback(unhappy);
  await feedback(unhappy, { resolved: false, rating: 2 });
  await waitState(unhappy, (x) => x.status === 'reopened' && x.pendingReview !== null, 'reopened for a person');
  await review(unhappy, {
    action: 'edit',
    text: 'Sorry for the trouble: both charges are on your invoice page; write back if one still looks wrong.',
  });
  await awaitingFeedback(unhappy);
  await feedback(unhappy, { resolved: true, rating: 4 });
  await Promise.all([closed(happy), closed(unhappy)]);

  // The stack's memory database holds only these two tickets, so the figures are exact.
  const f = (await (await figures('?days=1')).json()) as AnalyticsFigures;
  const o = f.outcomes!;
  assert.deepEqual(
    [o.finished, o.ratings, o.csat, o.reopened, o.reopenRate, o.reviews],
    [2, 3, 2 / 3, 1, 0.5, 3],
    JSON.stringify(o),
  );
  assert.ok(o.reviewP50Ms! > 0 && o.reviewP90Ms! >= o.reviewP50Ms!, JSON.stringify(o));
  const other = (await (await figures('?days=1&topic=Workers')).json()) as AnalyticsFigures;
  assert.deepEqual([other.outcomes?.finished, other.outcomes?.csat], [0, null], 'the topic filter applies');

  const page = await openPage(browser, `${stack.url}/console/analytics#token=${stack.token('agent', 'agent-f')}`);
  const figure = (name: string) => page.locator('.figure', { hasText: name }).locator('dd');
  await page.getByRole('heading', { name: 'Outcomes of finished tickets' }).waitFor();
  assert.equal(await figure('CSAT (rated 4 or 5)').innerText(), '67% of 3 ratings');
  assert.equal(await figure('Reopen rate').innerText(), '50% of 2 finished');
  assert.match(await figure('Review time p90').innerText(), /^\d+ (s|min \d+ s) \(3 reviews\)$/);
  await page.context().close();
});

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
  await assertAxeClean(page, 'the analytics page');
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
