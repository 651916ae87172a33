import {
  CreateUserCommand,
  GetGroupIdCommand,
  IdentitystoreClient,
  ListGroupMembershipsCommand,
  ListGroupsCommand,
} from '@aws-sdk/client-identitystore';
import { CreateInstanceCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, screenshot } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const skip = chromiumMissing();
const PASSWORD = 'saffron glacier otter ribbon';
const NOTE =
  'Nested groups do not grant application access. Members of a nested group can open an application only if they, or a group they belong to directly, are assigned to it.';

/** Identity Center → Groups in a real browser: create, add a user, nest, move, rename, delete. */
describe.skipIf(skip !== undefined)(
  `the console's Groups pages in Chromium${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let server: TestServer;
    let browser: Browser;
    let page: Page;
    let ids: IdentitystoreClient;
    let storeId: string;

    const press = async (name: string) => {
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
    };
    const follow = async (name: string) => {
      await Promise.all([page.waitForNavigation(), page.getByRole('link', { name, exact: true }).click()]);
    };
    /** A page of the side navigation (the breadcrumb links to some of them too). */
    const navigate = async (name: string) => {
      const nav = page.getByRole('navigation', { name: 'Console' });
      await Promise.all([page.waitForNavigation(), nav.getByRole('link', { name, exact: true }).click()]);
    };
    // biome-ignore lint/performance/useDomNodeTextContent: the text as laid out is what a person reads
    const bodyText = async () => (await page.locator('body').innerText()).replace(/\s+/g, ' ');

    const groupIdOf = async (displayName: string): Promise<string> =>
      (
        await ids.send(
          new GetGroupIdCommand({
            IdentityStoreId: storeId,
            AlternateIdentifier: {
              UniqueAttribute: { AttributePath: 'displayName', AttributeValue: displayName },
            },
          }),
        )
      ).GroupId as string;
    const memberCount = async (displayName: string): Promise<number> =>
      (
        await ids.send(
          new ListGroupMembershipsCommand({
            IdentityStoreId: storeId,
            GroupId: await groupIdOf(displayName),
          }),
        )
      ).GroupMemberships?.length ?? 0;

    beforeAll(async () => {
      server = await startTestServer();
      const sso = new SSOAdminClient(server.sdkConfig());
      await sso.send(new CreateInstanceCommand({}));
      sso.destroy();
      ids = new IdentitystoreClient(server.sdkConfig());
      const scope = {
        accountId: server.accountId,
        region: server.region,
        principalArn: `arn:aws:iam::${server.accountId}:root`,
      };
      storeId = (await server.server.app.services.settings.callerInstance(scope)).identityStoreId;
      await ids.send(
        new CreateUserCommand({
          IdentityStoreId: storeId,
          UserName: 'lin',
          DisplayName: 'Lin Chen',
          Name: { GivenName: 'Lin', FamilyName: 'Chen' },
        }),
      );
      browser = await launchChromium();
      page = await (await browser.newContext({ viewport: { width: 1366, height: 800 } })).newPage();
    }, 60_000);
    afterAll(async () => {
      ids?.destroy();
      await browser?.close();
      await server?.close();
    });

    it('creates two groups, adds a user, nests one in the other, moves the user, renames and deletes by clicking', async () => {
      const link = await server.server.app.services.consoleAdmin.issueSetupLink();
      await page.goto(link.url);
      await page.getByLabel('New password').fill(PASSWORD);
      await page.getByLabel('Confirm password').fill(PASSWORD);
      await press('Set password and sign in');

      await navigate('Groups');
      expect(await bodyText()).toContain('No groups');
      for (const [name, description] of [
        ['Engineers', 'Builds the models'],
        ['Interns', 'Summer cohort'],
      ] as const) {
        await navigate('Groups');
        await follow('Create group');
        await page.getByLabel('Group name').fill(name);
        await page.getByLabel('Description').fill(description);
        if (name === 'Engineers') await screenshot(page, 'console-groups-create');
        await press('Create group');
        expect(await bodyText()).toContain(`Group ${name} was created`);
      }
      await navigate('Groups');
      expect(await bodyText()).toContain('Engineers Builds the models 0 0');
      await screenshot(page, 'console-groups-list');

      // Add lin to Engineers.
      await follow('Engineers');
      await follow('Add users');
      await page.getByLabel('Find users by user name').fill('LI');
      await press('Search');
      await page.getByLabel(/lin/).check();
      await screenshot(page, 'console-groups-add-users');
      await press('Add users');
      expect(await bodyText()).toContain('Added lin to Engineers.');
      expect(await memberCount('Engineers')).toBe(1);

      // Nest Interns inside Engineers: the note is on the picker and on the group's page.
      await follow('Add group inside this group');
      expect(await bodyText()).toContain(NOTE);
      await page.getByLabel(/Interns/).check();
      await screenshot(page, 'console-groups-add-nested');
      await press('Add group');
      const detail = await bodyText();
      expect(detail).toContain('Interns is now inside Engineers.');
      expect(detail).toContain(NOTE);
      expect(await page.getByRole('note').isVisible()).toBe(true);
      await screenshot(page, 'console-groups-detail');

      // Move lin from Engineers to Interns.
      await follow('Move lin to another group');
      await page.getByLabel(/Interns/).check();
      await screenshot(page, 'console-groups-move');
      await press('Move user');
      expect(await bodyText()).toContain('lin was moved from Engineers to Interns.');
      expect(await memberCount('Engineers')).toBe(0);
      expect(await memberCount('Interns')).toBe(1);

      // Rename Interns (it keeps lin).
      await follow('Interns');
      expect(await bodyText()).toContain('Member of Engineers');
      await follow('Rename or edit description');
      await page.getByLabel('Group name').fill('Apprentices');
      await screenshot(page, 'console-groups-edit');
      await press('Save changes');
      expect(await bodyText()).toContain('Group Interns was renamed to Apprentices.');
      expect(await memberCount('Apprentices')).toBe(1);

      // Delete Engineers through its confirmation page.
      await navigate('Groups');
      await follow('Engineers');
      await follow('Delete group');
      const confirm = await bodyText();
      expect(confirm).toContain('Delete group Engineers?');
      expect(confirm).toContain('1 nested group taken out of it (those groups stay)');
      await screenshot(page, 'console-groups-delete');
      await press('Delete group');
      expect(await bodyText()).toContain('Group Engineers was deleted.');
      await screenshot(page, 'console-groups-after-delete');

      const { Groups } = await ids.send(new ListGroupsCommand({ IdentityStoreId: storeId }));
      expect(Groups?.map((g) => g.DisplayName)).toEqual(['Apprentices']);
    });
  },
);
