/**
 * Free-text search on the real stack (worker with the real triage and redaction, gateway, Temporal's
 * visibility): a ticket is found by a word of its text, not by one it lacks, never by the PII triage redacted;
 * a search is read as words only, so quotes and operators cannot widen it. Then the console's finder, in
 * Chromium, finds it by a word typed into its search box (axe clean).
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import { uniqueName } from '../helpers/infra';
import { waitFor } from '../helpers/wait';
import { assertAxeClean } from './axe';
import { openPage, PAGE_TIMEOUT as TIMEOUT } from './browser';
import { createTicket as postTicket, type Stack } from './stack';
import { stackAndBrowserPerFile } from './per-file';

let stack: Stack;
let browser: Browser;
stackAndBrowserPerFile((s, b) => ([stack, browser] = [s, b]));

/** A word no other ticket on the shared server has: letters only, so no detector takes it for an id. */
function rareWord(prefix: string): string {
  return prefix + Array.from(crypto.randomBytes(8), (b) => String.fromCharCode(97 + (b % 26))).join('');
}

const createTicket = (customer: string, text: string) => postTicket(stack, customer, text);

async function search(params: Record<string, string>): Promise<{ status: number; ids: string[]; body: string }> {
  const res = await fetch(`${stack.url}/v1/tickets?${new URLSearchParams(params).toString()}`, {
    headers: { authorization: `Bearer ${stack.token('agent', 'agent-tess')}` },
  });
  const body = await res.text();
  const ids = res.status === 200 ? (JSON.parse(body) as { tickets: { ticketId: string }[] }).tickets : [];
  return { status: res.status, ids: ids.map((t) => t.ticketId), body };
}

let ticketId: string;
let marker: string;

test('GET /v1/tickets?text=: a word of the body finds the ticket; a missing word, a redacted address and operators do not', async () => {
  marker = rareWord('zorp');
  const mailbox = rareWord('mara');
  const customer = uniqueName('cust-text');
  ticketId = await createTicket(
    customer,
    `The ${marker} plan was charged twice on my card this month. Write to me at ${mailbox}@example.com please.`,
  );
  const state = await waitFor(
    async () => {
      const s = await stack.tickets.getState(ticketId);
      return s.redactedText !== null && s.status !== 'triaging' ? s : null;
    },
    { timeoutMs: TIMEOUT, message: 'the ticket triaged' },
  );
  // The premise of the PII check: the address was in what the customer wrote, and triage redacted it.
  assert.doesNotMatch(state.redactedText ?? '', new RegExp(mailbox));

  await waitFor(async () => (await search({ text: marker })).ids.includes(ticketId), {
    timeoutMs: TIMEOUT,
    message: 'the ticket found by a word of its body',
  });
  assert.deepEqual((await search({ text: marker })).ids, [ticketId], 'only that ticket has the word');
  assert.deepEqual((await search({ search: customer, text: 'charged TWICE card' })).ids, [ticketId], 'any case');
  assert.deepEqual((await search({ search: customer, text: 'refund' })).ids, [], 'a word the ticket lacks');
  assert.deepEqual((await search({ search: customer, text: `${marker} refund` })).ids, [], 'every word is needed');

  // The redacted address is findable by no part of it.
  assert.deepEqual((await search({ text: mailbox })).ids, []);
  assert.deepEqual((await search({ search: customer, text: `${mailbox}@example.com` })).ids, []);

  // Operators and quotes are read as words: an OR cannot widen the search, a quote cannot end the query's string.
  assert.deepEqual((await search({ search: customer, text: `nowhereword OR ${marker}` })).ids, []);
  assert.deepEqual((await search({ search: customer, text: `"${marker}" "charged"` })).ids, [ticketId]);
  const injected = await search({ search: customer, text: `${marker}' OR WorkflowType != 'x` });
  assert.equal(injected.status, 200, injected.body);
  assert.deepEqual(injected.ids, []);
  const noWords = await search({ text: `"*" -- ()` });
  assert.equal(noWords.status, 400);
  assert.match(noWords.body, /at least one word/);
});

test('the finder: a word typed into "Words in the text" lists the ticket; axe clean', async () => {
  assert.ok(ticketId, 'runs after the API test, on its ticket');
  const page = await openPage(browser, `${stack.url}/console#token=${stack.token('agent', 'agent-tess')}`, {
    bypassCSP: true,
  });
  const finder = page.getByRole('region', { name: 'Find tickets' });
  await finder.locator('.finder-summary').getByText('tickets · page 1', { exact: false }).waitFor();
  await finder.getByLabel('Words in the text').fill(marker.toUpperCase());
  await finder.locator('.finder-summary').getByText('1–1 of 1 tickets · page 1').waitFor();
  assert.deepEqual(
    await finder.locator('.finder-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ticket-id'))),
    [ticketId],
  );
  await assertAxeClean(page, 'the console with a text search');
  await page.context().close();
});
