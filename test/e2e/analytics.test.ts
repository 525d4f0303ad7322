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
import type { SopLibraryEntry } from '../../activities/knowledge/library';
import type { AnalyticsFigures, DeskFigures } from '../../client/figures';
import { connectTicketClient } from '../../client/ticket-client';
import { buildUi } from '../../ui/build';
import { stackCalls } from '../actions/stack-calls';
import { assertAxeClean } from './axe';
import { launchBrowser, openPage, SCREENSHOTS } from './browser';
import { waitFor } from '../helpers/wait';
import { seedTickets, type Seeded } from './seed';
import { startStack, type Stack } from './stack';

let stack: Stack;
let browser: Browser;
let seeded: Seeded | undefined;
type Outcome = {
  status: string;
  awaiting: string | null;
  pendingReview: { draftVersion: number } | null;
  reviewHistory: { action: string }[];
};

before(async () => {
  await buildUi({ quiet: true });
  // Sampled every 2 s here (15 min by default), so the queue sizes over time fill while the tests run.
  [stack, browser] = await Promise.all([startStack({ env: { QUEUE_SAMPLE_INTERVAL: '2s' } }), launchBrowser()]);
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

/**
 * A ticket started with a review SLA and a feedback window of a second or two (the durations a starter passes),
 * on the stack's own task queue: its review lapses before anyone decides, and its resolution is assumed.
 */
async function openHurriedTicket(text: string): Promise<string> {
  const hurried = connectTicketClient({
    ...stack.config,
    ticket: { ...stack.config.ticket, reviewSlaMs: 1500, feedbackWindowMs: 1000 },
  });
  try {
    return (await hurried.createTicket({ text, userId: 'mona', orgId: 'acme-corp' })).ticketId;
  } finally {
    await hurried.disconnect();
  }
}

test('CSAT, reopen rate, review time, the share sent as drafted, confirmed vs assumed resolutions and SLA breaches come from the tickets the stack finished, on the API and the page', async () => {
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
  const [happy, unhappy, late] = await Promise.all([
    openTicket('mona', text(71213)),
    openTicket('mona', text(71313)),
    openHurriedTicket(text(71413)),
  ]);
  assert.equal(new Set([happy, unhappy, late]).size, 3);
  // One approved as drafted only after its review SLA lapsed, then resolved by the feedback window's timer.
  await waitState(late, (x) => x.reviewHistory.some((r) => r.action === 'sla_breached'), 'the review SLA lapsed');
  // Still pending past its due time: a breach the open tickets' figures count now (others' tickets may add).
  const pending = (await (await figures('?days=1&topic=Billing')).json()) as AnalyticsFigures;
  assert.ok(pending.overdueReviews >= 1, `a review past its SLA now: ${pending.overdueReviews}`);
  await review(late, { action: 'approve' });
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
  await Promise.all([closed(happy), closed(unhappy), closed(late)]);

  // The stack's memory database holds only these three tickets, so the figures are exact.
  const f = (await (await figures('?days=1')).json()) as AnalyticsFigures;
  const o = f.outcomes!;
  assert.deepEqual(
    [o.finished, o.ratings, o.csat, o.reopened, o.reopenRate, o.reviews],
    [3, 3, 2 / 3, 1, 1 / 3, 4],
    JSON.stringify(o),
  );
  // Sent as drafted: happy and late (unhappy's last reply was a person's); confirmed: happy and unhappy.
  assert.deepEqual(
    [o.automated, o.automatedShare, o.confirmed, o.assumed, o.slaBreaches],
    [2, 2 / 3, 2, 1, 1],
    JSON.stringify(o),
  );
  assert.ok(o.reviewP50Ms! > 0 && o.reviewP90Ms! >= o.reviewP50Ms!, JSON.stringify(o));
  // Which tickets used which SOP: the three Billing tickets were given the same shipped SOP.
  const library = (await (
    await fetch(`${stack.url}/v1/sops`, { headers: { authorization: `Bearer ${stack.token('agent', 'agent-f')}` } })
  ).json()) as { sops: SopLibraryEntry[] };
  const used = library.sops.filter((s) => s.usedBy?.length);
  assert.deepEqual(
    used.map((s) => [s.id, [...s.usedBy!].sort()]),
    [[used[0]?.id, [happy, unhappy, late].sort()]],
    JSON.stringify(used),
  );
  const sops = await openPage(browser, `${stack.url}/console/sops#token=${stack.token('agent', 'agent-f')}`, {
    bypassCSP: true, // for axe's script
  });
  const entry = sops.locator(`article[data-sop-id="${used[0]!.id}"]`).locator('.sop-used');
  assert.match(await entry.innerText(), new RegExp(`^Used by finished tickets: .*${late}`));
  await assertAxeClean(sops, 'the SOP library with its tickets');
  await sops.context().close();

  const other = (await (await figures('?days=1&topic=Workers')).json()) as AnalyticsFigures;
  assert.deepEqual([other.outcomes?.finished, other.outcomes?.csat], [0, null], 'the topic filter applies');

  const page = await openPage(browser, `${stack.url}/console/analytics#token=${stack.token('agent', 'agent-f')}`);
  const figure = (name: string) => page.locator('.figure', { hasText: name }).locator('dd');
  await page.getByRole('heading', { name: 'Outcomes of finished tickets' }).waitFor();
  assert.equal(await figure('CSAT (rated 4 or 5)').innerText(), '67% of 3 ratings');
  assert.equal(await figure('Reopen rate').innerText(), '33% of 3 finished');
  assert.match(await figure('Review time p90').innerText(), /^\d+ (s|min \d+ s) \(4 reviews\)$/);
  assert.equal(await figure('Sent as drafted (no edit)').innerText(), '67% (2 of 3)');
  assert.equal(await figure('Resolutions confirmed').innerText(), '2 (1 assumed)');
  assert.equal(await figure('Review SLA breaches').innerText(), '1');
  const finished = page.locator('canvas#chart-outcomes');
  assert.equal(
    await finished.getAttribute('aria-label'),
    'Finished tickets. Sent as drafted: 2, Confirmed by the customer: 2, Assumed resolved: 1, Reopened: 1',
  );
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
  // The gateway's samples (every 2 s) come to hold the 12 seeded tickets in the review queue, one per bucket.
  const seededAt = Date.now();
  const sampled = await waitFor(
    async () => {
      const f = (await (await figures('?days=1')).json()) as AnalyticsFigures;
      const later = f.queueSizes?.filter((s) => Date.parse(s.at) >= seededAt) ?? [];
      return later.some((s) => s.queues.review! >= 12) ? f.queueSizes : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 500, message: 'a queue sample with the seeded tickets' },
  );
  const buckets = sampled.map((s) => Date.parse(s.at));
  assert.ok(
    buckets.every((b, i) => b % 2000 === 0 && (i === 0 || b > buckets[i - 1]!)),
    `2 s buckets, ascending, each once: ${JSON.stringify(sampled)}`,
  );
  assert.deepEqual(Object.keys(sampled.at(-1)!.queues).sort(), Object.keys(after.queues).sort());

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
  assert.equal(await canvases.count(), 6);
  for (const label of await canvases.evaluateAll((cs) => cs.map((c) => c.getAttribute('aria-label') ?? '')))
    assert.match(
      label,
      /^(Tickets per day|Tickets by topic|Tickets by status|Open queues now|Finished tickets|Open queues over time)\. /,
    );
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
