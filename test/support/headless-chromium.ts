import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

// Debian's package; .ci/run installs it when it is missing.
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const onCi = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';

/** Whether a browser test runs here: with Chromium installed, and always under CI (where a missing one fails). */
export function browserTestsRun(name: string): boolean {
  const have = existsSync(CHROMIUM);
  if (!have && !onCi) console.warn(`${name} skipped: ${CHROMIUM} is missing (apt-get install -y chromium); under CI=true it fails instead`);
  return have || onCi;
}

/** A headless Chromium with its own profile directory; `close` removes both. */
export async function launchHeadlessChromium(): Promise<{ browser: BrowserContext; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y --no-install-recommends chromium)`);
  const userDataDir = mkdtempSync(join(tmpdir(), 'orderops-chromium-'));
  const browser = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
