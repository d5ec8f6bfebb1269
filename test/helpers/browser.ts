/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser): headless, none of its
 * background network traffic, a fresh profile per launch. Screenshots go to test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REPO_ROOT } from './run-cli.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-artifacts', 'screenshots');

export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  // launch() gives every browser a fresh temporary profile of its own (it refuses --user-data-dir).
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    browser,
    close: async () => {
      await browser.close();
    },
  };
}
