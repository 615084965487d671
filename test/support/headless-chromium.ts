import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

// Debian's package; .ci/run installs it when it is missing.
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const haveChromium = existsSync(CHROMIUM);
const onCi = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
/** Browser suites run where Chromium is; under CI=true they run anyway, and fail without it. */
export const skipBrowserSuite = !haveChromium && !onCi;

/** A headless Chromium with a profile of its own; `close` removes the profile too. */
export async function launchChromium(): Promise<{ browser: BrowserContext; close: () => Promise<void> }> {
  if (!haveChromium) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y --no-install-recommends chromium)`);
  const userDataDir = mkdtempSync(join(tmpdir(), 'orderops-chromium-'));
  const browser = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in to the console at `baseUrl` through its form and waits for the inbox. */
export async function signInToConsole(browser: BrowserContext, baseUrl: string, email: string, password: string): Promise<Page> {
  await browser.clearCookies();
  const page = await browser.newPage();
  await page.setViewportSize({ width: 1200, height: 900 });
  await page.goto(`${baseUrl}/console/`);
  await page.locator('body[data-page="login"]').waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL(`${baseUrl}/console/`), page.getByRole('button', { name: 'Sign in' }).click()]);
  await page.locator('body[data-page="inbox"]').waitFor();
  return page;
}

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
