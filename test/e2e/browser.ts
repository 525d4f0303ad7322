/** Debian's Chromium driven by playwright-core, headless and quiet (no network calls of its own). */
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath } from '../helpers/infra';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/** Where tests put screenshots: the committed images in docs/ are refreshed on purpose (UPDATE_SCREENSHOTS=1),
 * so a test run leaves the tree clean. */
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? path.resolve(__dirname, '..', '..', 'docs', 'screenshots')
  : path.resolve(__dirname, '..', '..', 'test-results', 'screenshots');
export const PAGE_TIMEOUT = 30_000;

/**
 * A page in a context of its own (its own session storage, so two pages can be two people) opened at `url`,
 * typically `…#token=…` to sign in. An error thrown in the page fails the test. `bypassCSP` only so a test can
 * inject axe-core; the page's own scripts are unchanged.
 */
export async function openPage(
  browser: Browser,
  url: string,
  opts: { height?: number; bypassCSP?: boolean } = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: opts.height ?? 1000 },
    bypassCSP: opts.bypassCSP ?? false,
  });
  context.setDefaultTimeout(PAGE_TIMEOUT);
  const page = await context.newPage();
  page.on('pageerror', (err) => {
    throw new Error(`page error on ${page.url()}: ${err.message}`);
  });
  await page.goto(url);
  return page;
}
