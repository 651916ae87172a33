import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  GetGroupIdCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  ListGroupMembershipsCommand,
  ListGroupMembershipsForMemberCommand,
} from '@aws-sdk/client-identitystore';
import { DescribeOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { DescribeDomainCommand, ListUserProfilesCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  ListApplicationAssignmentsCommand,
  ListApplicationsCommand,
  ListInstancesCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, SCREENSHOTS, screenshot } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const skip = chromiumMissing();
const ROOT_PASSWORD = 'lantern quarry thistle mango';
const SAM_PASSWORD = 'copper meadow falcon drizzle';

/** The people of the guide: how each one is added, and what the onboarding table says about them. */
const PEOPLE = {
  lin: { first: 'Lin', last: 'Chen', password: 'send-email' },
  sam: { first: 'Sam', last: 'Okafor', password: 'one-time-password' },
  ivy: { first: 'Ivy', last: 'Novak', password: 'send-email' },
} as const;
type Person = keyof typeof PEOPLE;

/**
 * The AWS guide (../shared/seed/set-up-aws-sso-for-sagemaker-domain.md) from start to finish on a
 * fresh server, only by clicking and typing in Chromium, as a new admin would: the side navigation,
 * buttons and links taken from the pages; the only typed addresses are the setup link the server
 * prints at first start and the portal address the console shows. The result is then checked
 * through the AWS API, and the user with a one-time password opens Studio from the access portal.
 * Screenshots: test-output/screenshots/console-guide-NN-*.png.
 *
 * The server runs on the system clock, so the new domain goes Pending → InService while the admin
 * refreshes its page, as in the guide.
 */
describe.skipIf(skip !== undefined)(
  `the guide's whole flow in the console, in Chromium${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let server: TestServer;
    let browser: Browser;
    let page: Page;
    let shot = 0;
    /** Carried from step to step, as the admin would remember or copy it. */
    let oneTimePassword = '';
    let portalUrl = '';
    let domainId = '';
    let application = '';

    /** Clicks the button (exactly this name) and waits for the page it leads to. */
    const press = async (name: string, within: Page | Locator = page) => {
      await Promise.all([
        page.waitForNavigation(),
        within.getByRole('button', { name, exact: true }).click(),
      ]);
    };
    /** Follows a link (exactly this name, or matching) on the page. */
    const follow = async (name: string | RegExp, within: Page | Locator = page) => {
      await Promise.all([
        page.waitForNavigation(),
        within.getByRole('link', { name, exact: true }).first().click(),
      ]);
    };
    /** A page of the side navigation. */
    const nav = (name: string) => follow(name, page.getByRole('navigation', { name: 'Console' }));
    /** The text as laid out, which is what a person reads, on one line. */
    const textOf = async (locator: Locator) =>
      // biome-ignore lint/performance/useDomNodeTextContent: the text as laid out is what a person reads
      (await locator.innerText()).replace(/\s+/g, ' ').trim();
    const bodyText = () => textOf(page.locator('body'));
    const heading = () => textOf(page.locator('h1').first());
    /** A numbered screenshot, so the files read in the guide's order. */
    const snap = (name: string) =>
      screenshot(page, `console-guide-${String(++shot).padStart(2, '0')}-${name}`);

    /** On Add user: the details → Next: Groups → (no groups exist yet) → Add user. */
    const addUser = async (userName: Person) => {
      const person = PEOPLE[userName];
      const email = `${userName}@example.com`;
      await page.getByLabel('Username').fill(userName);
      await page.getByLabel('Email address', { exact: true }).fill(email);
      await page.getByLabel('Confirm email address').fill(email);
      await page.getByLabel('First name').fill(person.first);
      await page.getByLabel('Last name').fill(person.last);
      await page.getByLabel('Display name').fill(`${person.first} ${person.last}`);
      await page
        .getByLabel(
          person.password === 'send-email' ? /Send an e-mail to the user/ : /Generate a one-time password/,
        )
        .check();
      if (userName === 'lin') await snap('add-user-details');
      await press('Next: Groups');
      if (userName === 'lin') {
        expect(await bodyText()).toContain('This identity store has no groups yet.');
        await snap('add-user-groups');
      }
      await press('Add user');
      expect(await heading()).toBe('User added');
    };

    /** Groups → Create group, then Add users on the new group's page. */
    const createGroup = async (name: string, description: string, member: Person) => {
      await nav('Groups');
      await follow('Create group');
      await page.getByLabel('Group name').fill(name);
      await page.getByLabel('Description').fill(description);
      await press('Create group');
      expect(await bodyText()).toContain(`Group ${name} was created. Add users to it below.`);
      await follow('Add users');
      await page.getByRole('checkbox', { name: new RegExp(`^${member}\\b`) }).check();
      if (member === 'lin') await snap('group-add-users');
      await press('Add users');
      expect(await bodyText()).toContain(`Added ${member} to ${name}.`);
    };

    /** The onboarding table's row of a user, as one line of text. */
    const onboardingRow = async (userName: Person) => {
      const row = page
        .getByRole('row')
        .filter({ has: page.getByRole('link', { name: `Why? ${userName}`, exact: true }) });
      return textOf(row);
    };

    beforeAll(async () => {
      // This run's screenshots only: numbers from an earlier run would interleave with them.
      for (const file of await readdir(SCREENSHOTS).catch(() => [])) {
        if (file.startsWith('console-guide-')) await rm(path.join(SCREENSHOTS, file));
      }
      server = await startTestServer();
      browser = await launchChromium();
      page = await (await browser.newContext({ viewport: { width: 1366, height: 860 } })).newPage();
      // A missing label fails in seconds rather than after Playwright's 30.
      page.setDefaultTimeout(10_000);
    }, 60_000);
    // Each step builds on the one before: after a failure the rest are skipped, so the first
    // failure is the one reported.
    let failed = false;
    beforeEach((context) => {
      if (failed) context.skip();
    });
    afterEach((context) => {
      if (context.task.result?.state === 'fail') failed = true;
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('1. sets the root password through the setup link and lands on the Dashboard', async () => {
      await page.goto((await server.server.app.services.consoleAdmin.issueSetupLink()).url);
      await page.getByLabel('New password').fill(ROOT_PASSWORD);
      await page.getByLabel('Confirm password').fill(ROOT_PASSWORD);
      await press('Set password and sign in');
      expect(new URL(page.url()).pathname).toBe('/console/identity-center');
      expect(await heading()).toBe('IAM Identity Center');
      expect(await bodyText()).toContain('Step 1: Create the organization To do');
      await snap('dashboard');
    });

    it('2. creates the organization, verifies its address from the Outbox, enables IAM Identity Center', async () => {
      const rootEmail = server.server.app.services.consoleAdmin.rootEmail();
      await press('Create organization');
      expect(await bodyText()).toContain(`unverified — a verification link was sent to ${rootEmail}`);
      await snap('organization-unverified');

      await nav('Outbox');
      expect(await bodyText()).toContain(`${rootEmail} Verify your e-mail address`);
      await snap('outbox');
      await follow(/\/verify-email\?token=/);
      expect(await heading()).toBe('E-mail address verified');
      expect(await bodyText()).toContain(`${rootEmail} is now verified`);
      await snap('email-verified');
      // The verification page is the mail's, outside the console: back to it with the browser.
      await page.goBack();
      await nav('Dashboard');
      expect(await bodyText()).toMatch(new RegExp(`Management e-mail ${rootEmail} verified on \\d{4}-`));

      await press('Enable IAM Identity Center');
      expect(await bodyText()).toContain('Step 2: IAM Identity Center Done');
      await snap('identity-center-enabled');
    });

    it('3. adds lin (e-mail), sam (one-time password, shown once) and ivy (e-mail)', async () => {
      await nav('Users');
      await follow('Add user');
      await addUser('lin');
      expect(await bodyText()).toContain(
        'lin was added. An invitation to set a password is in the Outbox for lin@example.com: no mail server is set up',
      );
      await snap('user-added-invitation');

      await follow('Add another user');
      await addUser('sam');
      expect(await bodyText()).toContain(
        'sam was added. Give them this one-time password and the portal address',
      );
      oneTimePassword = await textOf(page.locator('#one-time-password'));
      expect(oneTimePassword).toMatch(/^[A-Za-z0-9]{6}(-[A-Za-z0-9]{6}){3}$/);
      portalUrl = (await page.getByRole('link', { name: `${server.url}/start` }).getAttribute('href')) ?? '';
      expect(portalUrl).toBe(`${server.url}/start`);
      await snap('user-added-one-time-password');

      await follow('Add another user');
      await addUser('ivy');
      await follow('Back to users');
      const users = await bodyText();
      expect(users).toContain('lin Lin Chen lin@example.com Enabled invited');
      expect(users).toContain('sam Sam Okafor sam@example.com Enabled one-time password');
      expect(users).toContain('ivy Ivy Novak ivy@example.com Enabled invited');
      await snap('users');
    });

    it('4. creates Data Scientists with lin and Interns with ivy, and nests Interns inside Data Scientists', async () => {
      await createGroup('Data Scientists', 'Work in SageMaker Studio', 'lin');
      await createGroup('Interns', 'Summer cohort', 'ivy');

      await nav('Groups');
      expect(await bodyText()).toContain('Data Scientists Work in SageMaker Studio 1 0');
      await follow('Data Scientists');
      await follow('Add group inside this group');
      await page.getByRole('radio', { name: /^Interns\b/ }).check();
      await snap('group-add-nested');
      await press('Add group');
      const detail = await bodyText();
      expect(detail).toContain('Interns is now inside Data Scientists.');
      expect(detail).toContain('Members 1 user, 1 nested group');
      expect(detail).toContain('Interns nested 1 0');
      const note = page.getByRole('note');
      expect(await note.isVisible()).toBe(true);
      expect(await textOf(note)).toContain('Nested groups do not grant application access.');
      await snap('group-data-scientists');
    });

    it('5. creates an SSO domain on the Control Panel and refreshes until it is InService', async () => {
      await nav('Control Panel');
      expect(await bodyText()).toContain('No domains yet.');
      await follow('Create domain');
      await page.getByLabel('Domain name').fill('data-science');
      await page.getByLabel('IAM Identity Center').check();
      // The network is optional: left empty, SageMaker manages it.
      expect(await page.getByLabel('VPC ID (optional)').inputValue()).toBe('');
      await snap('create-domain');
      await press('Create domain');
      domainId = /^\/console\/studio\/domains\/(d-[a-z0-9]+)$/.exec(new URL(page.url()).pathname)?.[1] ?? '';
      expect(domainId).not.toBe('');
      expect(await bodyText()).toContain(`Created the domain data-science (${domainId})`);
      application = `Amazon SageMaker Studio (${domainId})`;

      // AWS takes minutes, this server a second: the admin reloads the page until it says InService.
      for (let attempt = 0; (await heading()) !== 'data-science InService'; attempt++) {
        expect(await heading()).toBe('data-science Pending');
        expect(attempt, 'the domain should be InService within a few seconds').toBeLessThan(40);
        await page.waitForTimeout(250);
        await page.reload();
      }
      expect(await bodyText()).toContain(`IAM Identity Center application ${application}`);
      await snap('domain-in-service');
    });

    it("6. assigns Data Scientists to the domain's Studio application", async () => {
      await nav('Applications');
      expect(await bodyText()).toContain(
        `AWS managed: Amazon SageMaker created it for the domain data-science (${domainId})`,
      );
      await snap('applications');
      await follow(application);
      expect(await bodyText()).toContain(`Nobody is assigned to ${application} yet.`);
      await follow('Assign users and groups');
      await page.getByRole('checkbox', { name: /^Data Scientists\b/ }).check();
      await snap('assign');
      await press('Assign');
      expect(await bodyText()).toContain(`Assigned Data Scientists to ${application}.`);
      await snap('application-assigned');
    });

    it('7. adds user profiles for lin (through the group) and sam (assigned on the way); Why? for ivy', async () => {
      await nav('Control Panel');
      await follow('data-science');
      expect(await onboardingRow('lin')).toBe(
        'lin Lin Chen Invited Through group Data Scientists No · Add Why?',
      );
      expect(await onboardingRow('sam')).toBe('sam Sam Okafor One-time password Not assigned No · Add Why?');
      expect(await onboardingRow('ivy')).toBe(
        'ivy Ivy Novak Invited Denied: only through nested group Interns inside assigned group Data Scientists No · Add Why?',
      );

      // lin from the onboarding table's Add: the user and the profile name come filled in.
      await follow('Add user profile for lin');
      expect(await page.getByRole('radio', { name: /^lin\b/ }).isChecked()).toBe(true);
      expect(await page.getByLabel('User profile name (optional)').inputValue()).toBe('lin');
      await snap('add-profile-lin');
      await press('Add user profile');
      expect(await bodyText()).toContain(
        `Added the user profile lin for lin, who already had access to ${application} (access: group Data Scientists).`,
      );

      // sam from the User profiles panel's button: find, pick, add; sam is assigned on the way.
      await follow('Add user profile');
      await page.getByLabel('Find users by user name').fill('sa');
      await press('Search');
      await page.getByRole('radio', { name: /^sam\b/ }).check();
      await snap('add-profile-sam');
      await press('Add user profile');
      expect(await bodyText()).toContain(
        `Added the user profile sam for sam, and assigned sam to ${application}: sam can now open Studio from the access portal.`,
      );

      expect(await onboardingRow('lin')).toBe(
        'lin Lin Chen Invited Through group Data Scientists Yes: lin Why?',
      );
      expect(await onboardingRow('sam')).toBe(
        'sam Sam Okafor One-time password Assigned directly Yes: sam Why?',
      );
      expect(await onboardingRow('ivy')).toBe(
        'ivy Ivy Novak Invited Denied: only through nested group Interns inside assigned group Data Scientists No · Add Why?',
      );
      await snap('domain-onboarding');

      await follow('Why? ivy');
      const why = await bodyText();
      expect(await heading()).toBe(`Can ivy open ${application}?`);
      expect(why).toContain(
        'No. Access: denied: only through nested group Interns inside assigned group Data Scientists.',
      );
      expect(why).toContain('ivy is a direct member of Interns.');
      expect(why).toContain(`Interns is inside Data Scientists, assigned to ${application}.`);
      expect(why).toContain('ivy was invited and has not set a password yet');
      expect(why).toContain('ivy has no user profile in data-science.');
      expect(why).toContain(`Assign ivy or one of the groups ivy belongs to directly to ${application}.`);
      await snap('why-ivy');
    });

    it('8. shows the same result through the AWS API', async () => {
      const organizations = new OrganizationsClient(server.sdkConfig());
      const sso = new SSOAdminClient(server.sdkConfig());
      const ids = new IdentitystoreClient(server.sdkConfig());
      const sagemaker = new SageMakerClient(server.sdkConfig());
      try {
        const { Organization } = await organizations.send(new DescribeOrganizationCommand({}));
        expect(Organization?.MasterAccountId).toBe(server.accountId);
        expect(Organization?.MasterAccountEmail).toBe(server.server.app.services.consoleAdmin.rootEmail());

        const { Instances = [] } = await sso.send(new ListInstancesCommand({}));
        expect(Instances).toHaveLength(1);
        const [{ InstanceArn, IdentityStoreId } = {}] = Instances;
        const store = IdentityStoreId ?? '';
        const userId = async (userName: Person) =>
          (
            await ids.send(
              new GetUserIdCommand({
                IdentityStoreId: store,
                AlternateIdentifier: {
                  UniqueAttribute: { AttributePath: 'userName', AttributeValue: userName },
                },
              }),
            )
          ).UserId ?? '';
        const groupId = async (displayName: string) =>
          (
            await ids.send(
              new GetGroupIdCommand({
                IdentityStoreId: store,
                AlternateIdentifier: {
                  UniqueAttribute: { AttributePath: 'displayName', AttributeValue: displayName },
                },
              }),
            )
          ).GroupId ?? '';
        const [lin, sam, ivy] = [await userId('lin'), await userId('sam'), await userId('ivy')];
        const [dataScientists, interns] = [await groupId('Data Scientists'), await groupId('Interns')];

        // The Studio application: Data Scientists (the group) and sam (directly), nobody else.
        const { Applications = [] } = await sso.send(new ListApplicationsCommand({ InstanceArn }));
        const applicationArn = Applications.find((a) => a.Name === application)?.ApplicationArn;
        expect(applicationArn).toBeDefined();
        const { ApplicationAssignments = [] } = await sso.send(
          new ListApplicationAssignmentsCommand({ ApplicationArn: applicationArn }),
        );
        expect(ApplicationAssignments.map((a) => `${a.PrincipalType}:${a.PrincipalId}`).sort()).toEqual(
          [`GROUP:${dataScientists}`, `USER:${sam}`].sort(),
        );

        // Memberships: lin in Data Scientists (the nested Interns is no user membership), ivy in Interns.
        const members = await ids.send(
          new ListGroupMembershipsCommand({ IdentityStoreId: store, GroupId: dataScientists }),
        );
        expect(members.GroupMemberships?.map((m) => m.MemberId?.UserId)).toEqual([lin]);
        const ivyGroups = await ids.send(
          new ListGroupMembershipsForMemberCommand({ IdentityStoreId: store, MemberId: { UserId: ivy } }),
        );
        expect(ivyGroups.GroupMemberships?.map((m) => m.GroupId)).toEqual([interns]);

        const domain = await sagemaker.send(new DescribeDomainCommand({ DomainId: domainId }));
        expect(domain).toMatchObject({ DomainName: 'data-science', Status: 'InService', AuthMode: 'SSO' });
        const { UserProfiles = [] } = await sagemaker.send(
          new ListUserProfilesCommand({ DomainIdEquals: domainId }),
        );
        expect(UserProfiles.map((p) => p.UserProfileName).sort()).toEqual(['lin', 'sam']);
      } finally {
        organizations.destroy();
        sso.destroy();
        ids.destroy();
        sagemaker.destroy();
      }
    });

    it('9. sam signs in to the access portal with the one-time password, chooses a password and opens Studio', async () => {
      // A new browser profile: sam's own, with none of the admin's cookies.
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      page = await context.newPage();
      page.setDefaultTimeout(10_000);
      try {
        // The address the admin hands over, as the console shows it (a link there).
        await page.goto(portalUrl);
        await page.getByLabel('Username').fill('sam');
        await press('Next');
        await page.getByLabel('Password').fill(oneTimePassword);
        await press('Sign in');
        expect(await heading()).toBe('Choose a new password');
        await page.getByLabel('New password', { exact: true }).fill(SAM_PASSWORD);
        await page.getByLabel('Confirm password').fill(SAM_PASSWORD);
        await snap('portal-choose-password');
        await press('Set new password');

        expect(await heading()).toBe('Welcome, Sam Okafor');
        expect(await page.locator('.tile .name').allTextContents()).toEqual([application]);
        await snap('portal-applications');
        await follow(new RegExp(`^${application.replace(/[()]/g, '\\$&')}`));
        expect(new URL(page.url()).pathname).toBe(`/studio/${domainId}`);
        const studio = await bodyText();
        expect(studio).toContain('Signed in as Sam Okafor (sam)');
        expect(studio).toContain(`Domain data-science (${domainId})`);
        expect(studio).toContain('user profile sam');
        await snap('studio');
      } finally {
        await context.close();
      }
    });
  },
);
