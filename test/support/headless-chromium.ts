import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

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

/** Signs in to the console at `baseUrl` through its form and waits for the inbox. */
export async function signInToConsole(context: BrowserContext, baseUrl: string, email: string, password: string): Promise<Page> {
  await context.clearCookies();
  const page = await context.newPage();
  await page.setViewportSize({ width: 1200, height: 900 });
  await page.goto(`${baseUrl}/console/`);
  await page.locator('body[data-page="login"]').waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL(`${baseUrl}/console/`), page.getByRole('button', { name: 'Sign in' }).click()]);
  await page.locator('body[data-page="inbox"]').waitFor();
  return page;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe's serious and critical findings on the page, as "rule: targets". */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  // Code run in the page is passed as strings: this project's Node TypeScript has no DOM library.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate<string[]>(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`,
  );
}
