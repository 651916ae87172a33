import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it). Never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Undefined when the browser tests can run; otherwise why not, for the skip message. */
export const chromiumMissing = (): string | undefined =>
  existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`;

/** Chromium headless as root in a sandbox-less container, with nothing that reaches the internet. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });

export const SCREENSHOTS = path.resolve(import.meta.dirname, '../../test-output/screenshots');

/** Saves a full-page screenshot as test-output/screenshots/<name>.png: what a reviewer looks at. */
export const screenshot = async (page: Page, name: string): Promise<string> => {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
};
