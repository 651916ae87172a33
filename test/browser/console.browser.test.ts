import { CreateInstanceCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, screenshot } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const skip = chromiumMissing();
const PASSWORD = 'amber quarry heron window';

/** The console in a real browser: setup link, sign-in, Add user, the Users list. */
describe.skipIf(skip !== undefined)(`the console in Chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  const press = async (name: string) => {
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
  };
  /** Signing in lands on the Dashboard; a section is a click in the side navigation away. */
  const clickNav = async (name: string) => {
    const link = page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name, exact: true });
    await Promise.all([page.waitForNavigation(), link.click()]);
  };
  // biome-ignore lint/performance/useDomNodeTextContent: the text as laid out is what a person reads
  const bodyText = async () => (await page.locator('body').innerText()).replace(/\s+/g, ' ');

  beforeAll(async () => {
    server = await startTestServer();
    const ssoAdmin = new SSOAdminClient(server.sdkConfig());
    await ssoAdmin.send(new CreateInstanceCommand({}));
    ssoAdmin.destroy();
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('sets the root password, signs in and adds a user by clicking', async () => {
    const consoleAdmin = server.server.app.services.consoleAdmin;
    const link = await consoleAdmin.issueSetupLink();
    await page.goto(link.url);
    await page.getByLabel('New password').fill(PASSWORD);
    await page.getByLabel('Confirm password').fill(PASSWORD);
    await screenshot(page, 'console-setup');
    await press('Set password and sign in');
    await clickNav('Users');
    expect(await bodyText()).toContain('No users');

    await press('Sign out');
    await page.getByLabel('Root e-mail').fill(consoleAdmin.rootEmail());
    await page.getByLabel('Password').fill(PASSWORD);
    await screenshot(page, 'console-sign-in');
    await press('Sign in');
    await clickNav('Users');

    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Add user' }).click()]);
    await page.getByLabel('Username').fill('lin');
    await page.getByLabel('Email address', { exact: true }).fill('lin@example.com');
    await page.getByLabel('Confirm email address').fill('lin@example.com');
    await page.getByLabel('First name').fill('Lin');
    await page.getByLabel('Last name').fill('Chen');
    await page.getByLabel('Display name').fill('Lin Chen');
    await page.getByLabel(/Generate a one-time password/).check();
    await screenshot(page, 'console-add-user');
    await press('Next: Groups');
    await press('Add user');
    expect(await bodyText()).toContain('it is shown only this once');
    await screenshot(page, 'console-user-added');

    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Back to users' }).click()]);
    expect(await bodyText()).toContain('lin Lin Chen lin@example.com Enabled one-time password');
    await screenshot(page, 'console-users');
  });
});
