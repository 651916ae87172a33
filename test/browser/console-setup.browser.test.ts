import { DescribeOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../../src/cli/admin-client.js';
import { ManualClock } from '../../src/core/clock.js';
import { base32Decode, totp } from '../../src/modules/portal/totp.js';
import type { SettingsResponse } from '../../src/web/admin/settings.routes.js';
import { chromiumMissing, launchChromium, screenshot } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const skip = chromiumMissing();
const PASSWORD = 'saffron beacon meadow tundra';

/** The guide's first steps in a real browser: Enable SSO, the verification mail, Settings, root MFA. */
describe.skipIf(skip !== undefined)(
  `the console setup in Chromium${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let server: TestServer;
    let browser: Browser;
    let page: Page;
    /** Still, so a TOTP code is computed for the server's time step; moved by 30 s for the next code. */
    const clock = new ManualClock();

    const press = async (name: string) => {
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
    };
    const follow = async (name: string | RegExp, within = page.locator('body')) => {
      await Promise.all([
        page.waitForNavigation(),
        within.getByRole('link', { name, exact: true }).first().click(),
      ]);
    };
    const clickNav = (name: string) => follow(name, page.getByRole('navigation', { name: 'Console' }));
    // biome-ignore lint/performance/useDomNodeTextContent: the text as laid out is what a person reads
    const bodyText = async () => (await page.locator('body').innerText()).replace(/\s+/g, ' ');

    beforeAll(async () => {
      server = await startTestServer({ clock });
      browser = await launchChromium();
      page = await (await browser.newContext({ viewport: { width: 1366, height: 800 } })).newPage();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('creates the organization, verifies its address from the Outbox, enables Identity Center, changes a setting', async () => {
      const consoleAdmin = server.server.app.services.consoleAdmin;
      const rootEmail = consoleAdmin.rootEmail();
      await page.goto((await consoleAdmin.issueSetupLink()).url);
      await page.getByLabel('New password').fill(PASSWORD);
      await page.getByLabel('Confirm password').fill(PASSWORD);
      await press('Set password and sign in');
      expect(page.url()).toMatch(/\/console\/identity-center$/);
      expect(await bodyText()).toContain('Step 1: Create the organization To do');
      await screenshot(page, 'console-dashboard-start');

      await press('Create organization');
      const text = await bodyText();
      expect(text).toContain(`unverified — a verification link was sent to ${rootEmail}`);
      const organizations = new OrganizationsClient(server.sdkConfig());
      const { Organization } = await organizations.send(new DescribeOrganizationCommand({}));
      organizations.destroy();
      expect(text).toContain(`Organization ID ${Organization?.Id}`);
      await screenshot(page, 'console-dashboard-unverified');

      await clickNav('Outbox');
      expect(await bodyText()).toContain(`${rootEmail} Verify your e-mail address`);
      await screenshot(page, 'console-outbox');
      await follow(/\/verify-email\?token=/);
      expect(await bodyText()).toContain(`${rootEmail} is now verified`);
      await page.goBack();
      await clickNav('Dashboard');
      expect(await bodyText()).toContain(`${rootEmail} verified on`);

      await press('Enable IAM Identity Center');
      const sso = new SSOAdminClient(server.sdkConfig());
      const [instance] = (await sso.send(new ListInstancesCommand({}))).Instances ?? [];
      sso.destroy();
      const enabled = await bodyText();
      expect(enabled).toContain('Step 2: IAM Identity Center Done');
      expect(enabled).toContain(`Instance ARN ${instance?.InstanceArn}`);
      expect(enabled).toContain(`Identity store ID ${instance?.IdentityStoreId}`);
      await screenshot(page, 'console-dashboard-enabled');

      await clickNav('Settings');
      await page.getByLabel('Invitation lifetime (days)').fill('14');
      await page.getByLabel('Require MFA').check();
      await press('Save settings');
      expect(await bodyText()).toContain('Settings saved.');
      await screenshot(page, 'console-settings');
      const admin = new AdminClient({
        endpoint: server.url,
        region: server.region,
        credentials: server.credentials,
      });
      expect((await admin.get<SettingsResponse>('/settings')).settings).toMatchObject({
        invitationValidityDays: 14,
        mfaRequired: true,
      });
    });

    it('registers an authenticator app for the root from the top bar; sign-in then asks for its code', async () => {
      await follow('MFA settings', page.getByRole('navigation', { name: 'Root admin' }));
      await follow('Register an authenticator app');
      await screenshot(page, 'console-security-register');
      const secret = base32Decode((await page.locator('#secret-key').textContent()) ?? '') ?? Buffer.alloc(0);
      await page.getByLabel('MFA code').fill(totp(secret, clock.now().getTime()));
      await press('Register authenticator app');
      expect(await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').count()).toBe(10);
      await follow('I have saved them');
      expect(await bodyText()).toContain('Authenticator app Registered');
      await screenshot(page, 'console-security');

      // From now on, sign-in asks for the app's next code after the password.
      await press('Sign out');
      await page.getByLabel('Root e-mail').fill(server.server.app.services.consoleAdmin.rootEmail());
      await page.getByLabel('Password').fill(PASSWORD);
      await press('Sign in');
      expect(await bodyText()).toContain('Additional verification required');
      clock.advance(30_000);
      await page.getByLabel('MFA code').fill(totp(secret, clock.now().getTime()));
      await screenshot(page, 'console-security-sign-in-code');
      await press('Sign in');
      expect(page.url()).toMatch(/\/console\/identity-center$/);
    });
  },
);
