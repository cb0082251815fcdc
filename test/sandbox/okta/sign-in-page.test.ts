// The sandbox's sign-in form in a real headless Chromium: the page works under its own CSP and the browser follows the
// POST's redirect to the client's callback with a code openid-client redeems.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DialpadSandbox } from '../../../sandbox/dialpad/sandbox.js';
import { consoleClient } from '../../../sandbox/okta/oidc-client.js';
import { OktaSandbox } from '../../../sandbox/okta/sandbox.js';
import { SAMPLE_CONSOLE_LOGINS, seedSampleOrg } from '../../../sandbox/sample-org.js';
import { launchBrowser, saveScreenshot } from '../../support/browser.js';

let callbackServer: Server;
let consoleUrl: string;
let okta: OktaSandbox;
const dialpad = new DialpadSandbox();
let browser: Browser;

beforeAll(async () => {
  // The client's callback: answers every request with a plain page, so the browser lands somewhere.
  callbackServer = createServer((_req, res) => res.end('callback reached'));
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  consoleUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}`;
  okta = new OktaSandbox({ oidc: { clients: [consoleClient({ consoleUrl })] } });
  await Promise.all([okta.start(), dialpad.start()]);
  seedSampleOrg(okta, dialpad);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
  await Promise.all([okta.stop(), dialpad.stop()]);
  await new Promise<void>((resolve) => callbackServer.close(() => resolve()));
});

describe('the Okta sandbox sign-in page in Chromium', () => {
  it('shows an error for a wrong password, then signs in and lands on the callback with a code', async () => {
    const client = okta.consoleClient;
    const config = await oidc.discovery(new URL(okta.issuer), client.clientId, undefined, oidc.ClientSecretBasic(client.clientSecret), { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${consoleUrl}/auth/callback`,
      scope: 'openid profile email',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const page = await browser.newPage();
    // Chromium reports what the page's Content-Security-Policy blocked on the console.
    const refusals: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/.test(message.text())) refusals.push(message.text());
    });
    try {
      await page.goto(url.toString());
      await page.getByLabel('Username').fill(SAMPLE_CONSOLE_LOGINS.admin);
      await page.getByLabel('Password').fill('not-the-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('Unable to sign in');
      await saveScreenshot(page, 'okta-sandbox-sign-in-refused');

      await page.getByLabel('Password').fill(okta.userPassword);
      await Promise.all([page.waitForURL(`${consoleUrl}/auth/callback?**`), page.getByRole('button', { name: 'Sign in' }).click()]);
      expect(await page.textContent('body')).toContain('callback reached');
      const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: verifier, expectedState: state });
      expect(tokens.claims()?.groups).toEqual(['dialsync-admins']);
      expect(refusals).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
