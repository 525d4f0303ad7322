/**
 * What a browser-test file runs against: the built UI, the stack and Chromium, made before its tests (with the
 * screenshot dir) and closed after them. Call at the file's top level; `started` gets them.
 */
import fs from 'node:fs';
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildUi } from '../../ui/build';
import { launchBrowser, SCREENSHOTS } from './browser';
import { startStack, type Stack, type StackOptions } from './stack';

export function stackAndBrowserPerFile(started: (stack: Stack, browser: Browser) => void, opts?: StackOptions): void {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  before(async () => {
    await buildUi({ quiet: true });
    [stack, browser] = await Promise.all([startStack(opts), launchBrowser()]);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    started(stack, browser);
  });
  after(async () => {
    for (const c of browser?.contexts() ?? []) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });
}
