import {
  CreateGroupCommand,
  DescribeUserCommand,
  IdentitystoreClient,
  ListGroupMembershipsForMemberCommand,
} from '@aws-sdk/client-identitystore';
import { CreateInstanceCommand, DescribeInstanceCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, screenshot } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const skip = chromiumMissing();
const ROOT_PASSWORD = 'harbour violet sextant plume';

/** Identity Center → Users in a real browser: Add user with groups, the user's page, its actions. */
describe.skipIf(skip !== undefined)(
  `the console's Users pages in Chromium${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let server: TestServer;
    let browser: Browser;
    let page: Page;
    let identity: IdentitystoreClient;
    let storeId: string;
    let groupId: string;

    const press = async (name: string) => {
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
    };
    const follow = async (name: string) => {
      await Promise.all([page.waitForNavigation(), page.getByRole('link', { name, exact: true }).click()]);
    };
    // biome-ignore lint/performance/useDomNodeTextContent: the text as laid out is what a person reads
    const bodyText = async () => (await page.locator('body').innerText()).replace(/\s+/g, ' ');

    beforeAll(async () => {
      server = await startTestServer();
      const sso = new SSOAdminClient(server.sdkConfig());
      const instanceArn = (await sso.send(new CreateInstanceCommand({}))).InstanceArn;
      storeId =
        (await sso.send(new DescribeInstanceCommand({ InstanceArn: instanceArn }))).IdentityStoreId ?? '';
      sso.destroy();
      identity = new IdentitystoreClient(server.sdkConfig());
      for (const name of ['Analysts', 'Data Scientists', 'Interns']) {
        const group = await identity.send(
          new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName: name }),
        );
        if (name === 'Data Scientists') groupId = group.GroupId ?? '';
      }
      browser = await launchChromium();
      page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
      await page.goto((await server.server.app.services.consoleAdmin.issueSetupLink()).url);
      await page.getByLabel('New password').fill(ROOT_PASSWORD);
      await page.getByLabel('Confirm password').fill(ROOT_PASSWORD);
      await press('Set password and sign in');
    }, 60_000);
    afterAll(async () => {
      identity?.destroy();
      await browser?.close();
      await server?.close();
    });

    it('adds a user with groups, opens them, disables, enables and resets their password', async () => {
      await page.goto(`${server.url}/console/users`);
      await follow('Add user');
      await page.getByLabel('Username').fill('lin');
      await page.getByLabel('Email address', { exact: true }).fill('lin@example.com');
      await page.getByLabel('Confirm email address').fill('lin@example.com');
      await page.getByLabel('First name').fill('Lin');
      await page.getByLabel('Last name').fill('Chen');
      await page.getByLabel('Display name').fill('Lin Chen');
      await page.getByLabel(/Send an e-mail to the user/).check();
      await screenshot(page, 'console-users-add-details');
      await press('Next: Groups');

      expect(await bodyText()).toContain('Add user to groups (optional)');
      await page.getByLabel('Data Scientists').check();
      await screenshot(page, 'console-users-add-groups');
      await press('Add user');
      expect(await bodyText()).toContain('An invitation to set a password is in the Outbox for lin@example.com');
      expect(await bodyText()).toContain('Groups: Data Scientists');
      await screenshot(page, 'console-users-added');

      await follow('View user');
      const userId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
      expect(await bodyText()).toMatch(/State invited .* pending (queued|kept)/);
      await screenshot(page, 'console-users-detail');
      const memberships = await identity.send(
        new ListGroupMembershipsForMemberCommand({ IdentityStoreId: storeId, MemberId: { UserId: userId } }),
      );
      expect(memberships.GroupMemberships?.map((m) => m.GroupId)).toEqual([groupId]);

      await press('Disable user');
      expect(await bodyText()).toContain('lin is disabled and cannot sign in. No portal session was open.');
      await screenshot(page, 'console-users-disabled');
      const disabled = await identity.send(
        new DescribeUserCommand({ IdentityStoreId: storeId, UserId: userId }),
      );
      expect(disabled.UserStatus).toBe('DISABLED');
      await press('Enable user');
      expect(await bodyText()).toContain('lin is enabled and can sign in again.');
      const enabled = await identity.send(
        new DescribeUserCommand({ IdentityStoreId: storeId, UserId: userId }),
      );
      expect(enabled.UserStatus).toBe('ENABLED');

      await follow('Reset password');
      await page.getByLabel(/Generate a one-time password/).check();
      await screenshot(page, 'console-users-reset-password');
      await press('Reset password');
      const oneTimePassword = (await page.locator('#one-time-password').textContent()) ?? '';
      expect(oneTimePassword).toMatch(/^[A-Za-z0-9]{6}(-[A-Za-z0-9]{6}){3}$/);
      await screenshot(page, 'console-users-one-time-password');

      await follow('Back to lin');
      expect(await bodyText()).toContain('State one-time password');
      await Promise.all([
        page.waitForNavigation(),
        page.getByRole('button', { name: 'Delete user' }).click(),
      ]);
      expect(await bodyText()).toContain('Delete user lin?');
      await screenshot(page, 'console-users-delete');
      await follow('Cancel');

      await page.goto(`${server.url}/console/users`);
      expect(await bodyText()).toContain('lin Lin Chen lin@example.com Enabled one-time password');
      await screenshot(page, 'console-users-list');
    });
  },
);
