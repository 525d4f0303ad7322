/**
 * Issue 14: while an agent holds a ticket on the desk, only they decide for it, in two browser contexts on the
 * real stack. Bob's proposal decision, SOP and security release on Ann's tickets are refused by the workflow's
 * validators (in his console, and straight through the Temporal client as the CLI would send them); Ann's go
 * through. And a ticket the desk holds but was never told (a claim recorded by a gateway that did not tell
 * it) learns its holder when a gateway starts, without waiting for the next claim.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { ProposalRecord } from '../../core/domain';
import { TicketflowError } from '../../core/errors';
import { rootLogger } from '../../core/logger';
import { tellHolders } from '../../gateway/desk/tell-holders';
import { stackCalls } from '../actions/stack-calls';
import { call } from '../api/http';
import { waitFor } from '../helpers/wait';
import { openPage } from './browser';
import { stackAndBrowserPerFile } from './per-file';
import type { Stack } from './stack';

let stack: Stack;
let browser: Browser;
// No A&S SOPs: the 2FA ticket waits for one (as in console.test.ts).
const sops = fs.readdirSync(path.resolve(__dirname, '..', '..', 'sops')).filter((f) => !f.startsWith('as-'));
stackAndBrowserPerFile((s, b) => ([stack, browser] = [s, b]), { sops });

type State = {
  awaiting: string | null;
  queue: string;
  pendingReview: { draftVersion: number } | null;
  proposals?: ProposalRecord[];
};
const { openTicket, waitState, store } = stackCalls<State>(() => stack);

const openAs = (agent: string, ticketId: string, url = stack.url): Promise<Page> =>
  openPage(browser, `${url}/console/tickets/${ticketId}#token=${stack.token('agent', agent)}`, { height: 1400 });
const refusal = (ticketId: string) => `ticket ${ticketId} is assigned to agent-ann; take it over with a reason first`;
const refusedAs = (ticketId: string) => (err: unknown) =>
  err instanceof TicketflowError && err.code === 'conflict' && err.message === refusal(ticketId);
const post = (agent: string, ticketId: string, action: string, body: unknown) =>
  call(stack.url, 'POST', `/v1/tickets/${ticketId}/${action}`, { token: stack.token('agent', agent), body });
const claim = async (ticketId: string) =>
  assert.equal((await post('agent-ann', ticketId, 'assign', { to: 'agent-ann' })).status, 200);

const pages = async (ticketId: string): Promise<[Page, Page]> => [
  await openAs('agent-ann', ticketId),
  await openAs('agent-bob', ticketId),
];

test("a proposed refund Ann holds: Bob's Confirm is refused in his console and his Decline by the workflow", async () => {
  const db = store();
  db.prepare(
    "INSERT INTO transactions (id, user_id, org_id, amount_cents, currency, description, created_at, plan) VALUES ('txn_47990', 'mona', 'acme-corp', 50000, 'USD', 'Pro plan, yearly', ?, 'pro-yearly')",
  ).run(new Date(Date.now() - 4 * 86_400_000).toISOString());
  db.close();
  const id = await openTicket('mona', 'I was charged twice: txn_48213 and txn_47990. Please refund the duplicate.');
  await waitState(id, (s) => s.pendingReview !== null && (s.proposals?.length ?? 0) > 0, 'a proposal');
  const [ann, bob] = await pages(id);
  await ann.getByRole('region', { name: 'Assignment' }).getByRole('button', { name: 'Claim' }).click();
  await ann.getByRole('region', { name: 'Assignment' }).locator('.desk-status').getByText('Assigned to you').waitFor();
  const item = (page: Page) => page.locator('[data-proposal-id="refund:txn_47990"]');
  await item(bob).getByRole('button', { name: 'Confirm refund' }).click();
  await bob.getByText(`Refused: ${refusal(id)}`).waitFor();
  const decline = { proposalId: 'refund:txn_47990', decision: 'decline' as const, by: 'agent-bob' };
  await assert.rejects(stack.tickets.decideProposal(id, decline), refusedAs(id), 'straight to Temporal');
  assert.equal((await stack.tickets.getState(id)).proposals?.[0]?.status, 'pending', 'nothing was recorded');
  await item(ann).getByRole('button', { name: 'Confirm refund' }).click();
  await item(ann).getByText('confirmed: runs when the reply is approved').waitFor();
});

test("a ticket waiting for an SOP that Ann holds: Bob's SOP is refused; Ann's resumes it", async () => {
  const id = await openTicket(
    'demo-user',
    "I lost my phone and now I can't get past the two-factor prompt. I don't have my recovery codes either.",
  );
  await waitState(id, (s) => s.awaiting === 'sop', 'the ticket waiting for an SOP');
  await claim(id);
  const [ann, bob] = await pages(id);
  await ann.getByRole('region', { name: 'Assignment' }).locator('.desk-status').getByText('Assigned to you').waitFor();
  await bob.getByLabel('SOP title').fill('2FA lockout without recovery codes');
  await bob.getByLabel('Procedure').fill('1. Verify identity with a signed SSH challenge.\n2. Never disable 2FA.');
  await bob.getByRole('button', { name: 'Save SOP and resume' }).click();
  await bob.getByText(refusal(id)).waitFor();
  const sop = { title: '2FA lockout', body: '1. Verify identity first.', author: 'agent-bob' };
  await assert.rejects(stack.tickets.provideSop(id, sop), refusedAs(id), 'straight to Temporal');
  assert.equal((await stack.tickets.getState(id)).awaiting, 'sop', 'still waiting');
  const { title, body } = sop;
  assert.equal((await post('agent-ann', id, 'sop', { title, body })).status, 200);
});

test("a security hold Ann holds: Bob's release is refused; Ann's lets the automation continue", async () => {
  const id = await openTicket(
    'mona',
    'My CI keeps failing with ghp_Lq3Rt8Vx2Zb5Nm7Kp4Jh6Gf1Ds9Aw0Ec3Yu8J as the credential. Please fix it today.',
  );
  await waitState(id, (s) => s.queue === 'security' && s.awaiting === 'human', 'the security hold');
  await claim(id);
  const [ann, bob] = await pages(id);
  await ann.getByRole('region', { name: 'Assignment' }).locator('.desk-status').getByText('Assigned to you').waitFor();
  await bob.getByRole('button', { name: 'Release to automation' }).click();
  await bob.getByText(`Refused: ${refusal(id)}`).waitFor();
  await assert.rejects(stack.tickets.release(id, { reviewer: 'agent-bob' }), refusedAs(id), 'straight to Temporal');
  const released = await post('agent-ann', id, 'release', { note: 'contained' });
  assert.equal(released.status, 200, JSON.stringify(released.body));
});

test('a ticket the desk holds but was never told learns its holder when a gateway starts', async () => {
  const id = await openTicket('cust-untold', 'I was charged twice for my Pro plan (txn_52213 and txn_52214).');
  const pending = await waitState(id, (s) => s.pendingReview !== null, 'the draft waiting for review');
  // Claimed in the desk store only, as a gateway that never told the ticket left it.
  await stack.desk.assign({ ticketId: id, by: 'agent-ann', to: 'agent-ann' });
  assert.equal((await stack.tickets.getState(id)).holder, undefined);

  const second = await stack.addGateway();
  const held = await waitFor(async () => (await stack.tickets.getState(id)).holder?.agent, {
    timeoutMs: 30_000,
    message: 'the ticket told its holder by the new gateway',
  });
  assert.equal(held, 'agent-ann');
  const ann = await openAs('agent-ann', id, second);
  const bob = await openAs('agent-bob', id, second);
  await ann.getByRole('region', { name: 'Assignment' }).locator('.desk-status').getByText('Assigned to you').waitFor();
  await bob.getByRole('region', { name: 'Assignment' }).getByText('Assigned to agent-ann').waitFor();
  const approve = bob.getByRole('button', { name: 'Approve' });
  await approve.click();
  await bob.getByText(refusal(id)).waitFor();
  await assert.rejects(
    stack.tickets.review(id, { action: 'approve', draftVersion: pending.pendingReview!.draftVersion, reviewer: 'x' }),
    (err: unknown) => err instanceof TicketflowError && err.code === 'conflict',
  );
  assert.deepEqual((await stack.tickets.getState(id)).reviewHistory, []);

  // Told again (another gateway's start), the ticket refuses what it knows: nothing new enters its history.
  const again = await tellHolders({ desk: stack.desk, tickets: stack.tickets, logger: rootLogger() });
  assert.equal(again.told, 0, JSON.stringify(again));
});
