import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's package; .ci/run installs it when it is missing. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_FLAGS = [
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

/**
 * Whether a browser suite should be skipped: only when Chromium is missing outside CI, and then
 * it says so. Under CI a missing Chromium is a failure (launchHeadlessChromium throws), never a skip.
 */
export function skipWithoutChromium(suite: string): boolean {
  if (existsSync(CHROMIUM_PATH) || onCi) return false;
  console.warn(`${suite} skipped: ${CHROMIUM_PATH} is missing (apt-get install -y chromium); under CI=true it fails instead`);
  return true;
}

export interface HeadlessChromium {
  /** A persistent context of its own: cookies and cache live in a temporary profile. */
  context: BrowserContext;
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
}

/** Launches Debian's Chromium headless through Playwright, with a throwaway profile. */
export async function launchHeadlessChromium(): Promise<HeadlessChromium> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install -y --no-install-recommends chromium)`);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'orderops-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
    return {
      context,
      async close() {
        await context.close();
        rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
}
