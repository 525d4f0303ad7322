/** A Chromium for the browser tests: CHROMIUM_PATH, a system browser, or Debian's `chromium` package. */
import { aptInstall, canAptInstall } from './apt';
import { isExecutable, which } from './proc';

const candidates = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

export function findChromium(configured?: string): string | undefined {
  if (configured) return isExecutable(configured) ? configured : undefined;
  return candidates.find(isExecutable) ?? which('chromium') ?? which('chromium-browser');
}

/** Finds or installs Chromium; throws a message saying what to do when neither works. */
export function ensureChromium(configured?: string): string {
  if (configured && !isExecutable(configured)) throw new Error(`CHROMIUM_PATH=${configured} is not an executable file`);
  const found = findChromium(configured);
  if (found) return found;
  if (!canAptInstall()) {
    throw new Error(
      'browser tests need Chromium: install it (apt-get install chromium) or set CHROMIUM_PATH to a Chrome/Chromium binary',
    );
  }
  aptInstall(['chromium']);
  const installed = findChromium();
  if (!installed) throw new Error('apt-get installed chromium but no chromium binary was found');
  return installed;
}
