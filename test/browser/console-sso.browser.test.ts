import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleExtension } from '../../src/console/console-extension.js';
import type { Db } from '../../src/db/db.js';
import { systemActor } from '../../src/domain/actor.js';
import { createUserRepository } from '../../src/security/user-repository.js';
import { startApp, type RunningApp } from '../../src/server/start-app.js';
import { launchHeadlessChromium, skipWithoutChromium } from '../support/headless-chromium.js';
import { LocalOidcIssuer } from '../support/local-oidc-issuer.js';
import { testAppConfig } from '../support/test-app-config.js';
import { openTestDb } from '../support/test-db.js';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

// The console's sign-on link as a browser follows it: console -> issuer -> callback -> console.
describe.skipIf(skipWithoutChromium('console single sign-on browser test'))('console single sign-on in headless Chromium', () => {
  let db: Db;
  let running: RunningApp;
  let chromium: Awaited<ReturnType<typeof launchHeadlessChromium>>;
  let issuer: LocalOidcIssuer;

  beforeAll(async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    issuer = new LocalOidcIssuer({ id: 'orderops-console', secret: 'browser-client-secret-0123456789', redirectUri: `${publicUrl}/auth/oidc/callback` });
    await issuer.start();
    db = await openTestDb('pglite');
    await createUserRepository(db, { hashRounds: 4 }).add({ email: 'ana@example.com', role: 'approver', name: 'Ana Approver', password: 'correct horse battery staple' }, systemActor('test'));
    const config = testAppConfig('console-sso', {
      PORT: String(port),
      PASSWORD_HASH_ROUNDS: '4',
      PUBLIC_URL: publicUrl,
      OIDC_ISSUER: issuer.url,
      OIDC_CLIENT_ID: issuer.client.id,
      OIDC_CLIENT_SECRET: issuer.client.secret,
    });
    running = await startApp(config, { db, extensions: [consoleExtension()], log: () => {} });
    chromium = await launchHeadlessChromium();
  }, 120_000);
  afterAll(async () => {
    await chromium?.close();
    await running?.stop();
    await db?.close();
    await issuer?.stop();
  });

  it('signs in through the issuer from the login page and lands in the inbox', async () => {
    issuer.signIn({ sub: 'ana-at-issuer', email: 'ana@example.com', email_verified: true });
    const page = await chromium.context.newPage();
    await page.goto(`${running.url}/console/`);
    await page.locator('body[data-page="login"]').waitFor();
    await Promise.all([page.waitForURL(`${running.url}/console/`), page.getByRole('link', { name: 'Sign in with single sign-on' }).click()]);
    await page.locator('body[data-page="inbox"]').waitFor();
    expect(await page.locator('#who').innerText()).toBe('Ana Approver (approver)');
    await page.close();
  });

  it('brings a refused sign-on back to the login page with the reason shown', async () => {
    await chromium.context.clearCookies();
    issuer.signIn({ sub: 'eve-at-issuer', email: 'eve@elsewhere.net', email_verified: true });
    const page = await chromium.context.newPage();
    await page.goto(`${running.url}/console/`);
    await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
    await page.waitForURL(`${running.url}/console/?sso_failed=no_account`);
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/no orderops account for that email/);
    await page.close();
  });
});
