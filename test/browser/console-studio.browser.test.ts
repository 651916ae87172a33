import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  IdentitystoreClient,
} from '@aws-sdk/client-identitystore';
import {
  DescribeUserProfileCommand,
  ListUserProfilesCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  CreateInstanceCommand,
  ListApplicationAssignmentsCommand,
  ListApplicationsCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { chromiumMissing, launchChromium, screenshot } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const skip = chromiumMissing();
const PASSWORD = 'pebble horizon cobalt willow';

/**
 * The guide's Studio path in a real browser: create an SSO domain, assign a group to its Studio
 * application, add a user profile for an unassigned user (who is assigned on the way), read the
 * onboarding table, and ask Why? for a user who is only in a nested group.
 */
describe.skipIf(skip !== undefined)(
  `the Studio Control Panel in Chromium${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const clock = new ManualClock();
    let server: TestServer;
    let browser: Browser;
    let page: Page;
    let sso: SSOAdminClient;
    let sagemaker: SageMakerClient;
    let instanceArn: string;
    const user: Record<string, string> = {};

    const press = async (name: string) => {
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
    };
    const follow = async (name: string | RegExp) => {
      await Promise.all([
        page.waitForNavigation(),
        page.getByRole('link', { name, exact: true }).first().click(),
      ]);
    };
    // biome-ignore lint/performance/useDomNodeTextContent: the text as laid out is what a person reads
    const bodyText = async () => (await page.locator('body').innerText()).replace(/\s+/g, ' ');

    beforeAll(async () => {
      server = await startTestServer({ clock });
      sso = new SSOAdminClient(server.sdkConfig());
      sagemaker = new SageMakerClient(server.sdkConfig());
      const ids = new IdentitystoreClient(server.sdkConfig());
      instanceArn = (await sso.send(new CreateInstanceCommand({}))).InstanceArn as string;
      const scope = {
        accountId: server.accountId,
        region: server.region,
        principalArn: `arn:aws:iam::${server.accountId}:root`,
      };
      const storeId = (await server.server.app.services.settings.callerInstance(scope)).identityStoreId;
      for (const [userName, displayName] of [
        ['lin', 'Lin Chen'],
        ['mo', 'Mo Farah'],
        ['ana', 'Ana Silva'],
      ] as const) {
        const created = await ids.send(
          new CreateUserCommand({
            IdentityStoreId: storeId,
            UserName: userName,
            DisplayName: displayName,
            Name: { GivenName: displayName.split(' ')[0], FamilyName: displayName.split(' ')[1] },
          }),
        );
        user[userName] = created.UserId as string;
      }
      const groupId = async (name: string) =>
        (await ids.send(new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName: name })))
          .GroupId as string;
      const engineers = await groupId('Engineers');
      const interns = await groupId('Interns');
      for (const [group, member] of [
        [engineers, user.ana],
        [interns, user.mo],
      ]) {
        await ids.send(
          new CreateGroupMembershipCommand({
            IdentityStoreId: storeId,
            GroupId: group,
            MemberId: { UserId: member as string },
          }),
        );
      }
      // Interns nested inside Engineers, as a directory would bring it (the AWS API cannot).
      await server.server.app.services.identityStore.addGroupToGroup(scope, storeId, engineers, interns);
      ids.destroy();
      browser = await launchChromium();
      page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      sso?.destroy();
      sagemaker?.destroy();
      await server?.close();
    });

    it('creates an SSO domain, onboards users by clicking, and explains a nested-group refusal', async () => {
      const link = await server.server.app.services.consoleAdmin.issueSetupLink();
      await page.goto(link.url);
      await page.getByLabel('New password').fill(PASSWORD);
      await page.getByLabel('Confirm password').fill(PASSWORD);
      await press('Set password and sign in');

      await follow('Control Panel');
      expect(await bodyText()).toContain('No domains yet.');
      await follow('Create domain');
      await page.getByLabel('Domain name').fill('research');
      await page.getByLabel('IAM Identity Center').check();
      await screenshot(page, 'console-studio-create-domain');
      await press('Create domain');
      const domainId = /\/console\/studio\/domains\/(d-[a-z0-9]+)$/.exec(new URL(page.url()).pathname)?.[1];
      expect(domainId).toBeDefined();
      expect(await bodyText()).toContain(`Created the domain research (${domainId})`);
      expect(await bodyText()).toContain('research Pending');
      clock.advance(1500);
      await page.reload();
      expect(await bodyText()).toContain('research InService');
      const application = `Amazon SageMaker Studio (${domainId})`;

      // Assign the Engineers group to the domain's Studio application, from its Applications page.
      await follow(application);
      await screenshot(page, 'console-applications-studio-application');
      await follow('Assign users and groups');
      await page.getByLabel('Find groups by name').fill('eng');
      await press('Search');
      await page.getByRole('checkbox', { name: 'Engineers' }).check();
      await screenshot(page, 'console-applications-assign');
      await press('Assign');
      expect(await bodyText()).toContain(`Assigned Engineers to ${application}.`);
      await screenshot(page, 'console-applications-assigned');
      await follow('Applications');
      expect(await bodyText()).toContain(
        `AWS managed: Amazon SageMaker created it for the domain research (${domainId})`,
      );
      await screenshot(page, 'console-applications-list');

      // The onboarding table: ana through Engineers, mo only through the nested Interns, lin nowhere.
      await follow('Control Panel');
      await screenshot(page, 'console-studio-control-panel');
      await follow('research');
      const onboarding = await bodyText();
      expect(onboarding).toContain('ana Ana Silva No password Through group Engineers No · Add');
      expect(onboarding).toContain(
        'mo Mo Farah No password Denied: only through nested group Interns inside assigned group Engineers No · Add',
      );
      expect(onboarding).toContain('lin Lin Chen No password Not assigned No · Add');
      await screenshot(page, 'console-studio-domain');

      // Add user profile for lin, who is not assigned: the console assigns lin on the way.
      await follow('Add user profile');
      await page.getByLabel('Find users by user name').fill('li');
      await press('Search');
      await page.getByRole('radio', { name: /^lin\b/ }).check();
      await screenshot(page, 'console-studio-add-profile');
      await press('Add user profile');
      expect(await bodyText()).toContain(
        `Added the user profile lin for lin, and assigned lin to ${application}: lin can now open Studio from the access portal.`,
      );
      expect(await bodyText()).toContain('lin Lin Chen No password Assigned directly Yes: lin');
      await screenshot(page, 'console-studio-profile-added');

      const listed = await sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn }));
      const applicationArn = (listed.Applications ?? []).find((a) => a.Name === application)?.ApplicationArn;
      const assignments = await sso.send(
        new ListApplicationAssignmentsCommand({ ApplicationArn: applicationArn }),
      );
      expect(
        (assignments.ApplicationAssignments ?? []).map((a) => `${a.PrincipalType}:${a.PrincipalId}`),
      ).toContain(`USER:${user.lin}`);
      const profiles = await sagemaker.send(new ListUserProfilesCommand({ DomainIdEquals: domainId }));
      expect((profiles.UserProfiles ?? []).map((p) => p.UserProfileName)).toEqual(['lin']);
      const profile = await sagemaker.send(
        new DescribeUserProfileCommand({ DomainId: domainId, UserProfileName: 'lin' }),
      );
      expect(profile.SingleSignOnUserValue).toBe('lin');

      // Why? for mo.
      await follow('Why? mo');
      const why = await bodyText();
      expect(why).toContain(`Can mo open ${application}?`);
      expect(why).toContain('mo is a direct member of Interns.');
      expect(why).toContain(`Interns is inside Engineers, assigned to ${application}.`);
      expect(why).toContain(`Assign mo or one of the groups mo belongs to directly to ${application}.`);
      await screenshot(page, 'console-studio-why');
    });
  },
);
