/**
 * What the desk and board tests share: a stack, a browser and `count` seeded review tickets for the file
 * (started before its tests, stopped after), the console opened as an agent, and the ticket finder's parts.
 */
import fs from 'node:fs';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildUi } from '../../ui/build';
import { launchBrowser, openPage, SCREENSHOTS } from './browser';
import { seedTickets, type Seeded } from './seed';
import { startStack, type Stack } from './stack';

export interface DeskFixture {
  stack(): Stack;
  seeded(): Seeded;
  openConsole(): Promise<Page>;
}

export function useDeskFixture(count: number): DeskFixture {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let seeded: Seeded | undefined;
  before(async () => {
    await buildUi({ quiet: true });
    [stack, browser, seeded] = await Promise.all([startStack(), launchBrowser(), seedTickets(count)]);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });
  after(async () => {
    for (const c of browser?.contexts() ?? []) await c.close().catch(() => undefined);
    await browser?.close();
    await seeded?.stop();
    await stack?.stop();
  });
  return {
    stack: () => stack!,
    seeded: () => seeded!,
    openConsole: () =>
      openPage(browser!, `${stack!.url}/console#token=${stack!.token('agent', 'agent-dee')}`, { bypassCSP: true }),
  };
}

export const finder = (page: Page) => page.getByRole('region', { name: 'Find tickets' });
export const summary = (page: Page) => finder(page).locator('.finder-summary');
export const rowIds = (page: Page) =>
  finder(page)
    .locator('.finder-row')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ticket-id')));
export const rowUrgencies = (page: Page) => finder(page).locator('.finder-row .badge').allTextContents();
