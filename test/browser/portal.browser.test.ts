import {
  CreateDomainCommand,
  CreatePresignedDomainUrlCommand,
  CreateUserProfileCommand,
} from '@aws-sdk/client-sagemaker';
import { CreateApplicationAssignmentCommand, CreateApplicationCommand } from '@aws-sdk/client-sso-admin';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { base32Decode, totp } from '../../src/modules/portal/totp.js';
import type { AddUserResponse } from '../../src/web/admin/users.routes.js';
import { chromiumMissing, launchChromium, screenshot } from '../support/browser.js';
import { EXECUTION_ROLE, type PortalFixture, startPortalFixture } from '../support/portal-fixture.js';
import { linkIn } from '../support/smtp-receiver.js';

const skip = chromiumMissing();
const PASSWORD = 'velvet orchard lantern';
const MINUTE = 60_000;

/**
 * The access portal in a real browser (Debian's Chromium through playwright-core): what a person
 * sees and clicks, from the invitation e-mail to Studio. Each step saves a screenshot to
 * test-output/screenshots/.
 */
describe.skipIf(skip !== undefined)(
  `the access portal in Chromium${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let fixture: PortalFixture;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;

    /** Clicks the button and waits for the page it leads to. */
    const press = async (name: string) => {
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
    };
    const heading = async () => (await page.locator('h1').first().textContent())?.trim();
    // biome-ignore lint/performance/useDomNodeTextContent: the text as laid out is what a person reads
    const bodyText = async () => (await page.locator('body').innerText()).replace(/\s+/g, ' ');

    const signIn = async (userName: string, password = PASSWORD) => {
      await page.goto(`${fixture.server.url}/start`);
      await page.getByLabel('Username').fill(userName);
      await press('Next');
      await page.getByLabel('Password').fill(password);
      await press('Sign in');
    };
    const signOut = async () => {
      await press('Sign out');
      expect(await bodyText()).toContain('You have signed out.');
    };

    beforeAll(async () => {
      fixture = await startPortalFixture();
      browser = await launchChromium();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await fixture?.close();
    });

    beforeEach(async () => {
      // A fresh browser profile per test: no cookies from the one before.
      context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      page = await context.newPage();
    });
    afterEach(async () => {
      await context?.close();
    });

    it('takes an invited user from the e-mail to Studio, then signs out', async () => {
      const added = await fixture.admin.post<AddUserResponse>('/users', {
        userName: 'alice',
        email: 'alice@example.com',
        givenName: 'Alice',
        familyName: 'Liddell',
        displayName: 'Alice Liddell',
        passwordSetup: 'send-email',
        groups: ['Data Scientists'],
      });
      expect(added.invitation?.state).toBe('pending');
      await fixture.createProfile('alice');
      // A second application for the group, started at its own address.
      const { ApplicationArn } = await fixture.sso.send(
        new CreateApplicationCommand({
          InstanceArn: fixture.instanceArn,
          ApplicationProviderArn: 'arn:aws:sso::aws:applicationProvider/custom',
          Name: 'Team wiki',
          Description: 'Runbooks and notes',
          PortalOptions: {
            Visibility: 'ENABLED',
            SignInOptions: { Origin: 'APPLICATION', ApplicationUrl: 'https://wiki.example.com/' },
          },
        }),
      );
      await fixture.sso.send(
        new CreateApplicationAssignmentCommand({
          ApplicationArn,
          PrincipalType: 'GROUP',
          PrincipalId: fixture.groups.dataScientists,
        }),
      );
      const mail = await fixture.receiver.waitFor((m) => m.to.includes('alice@example.com'));
      const link = linkIn(mail.text, '/start/accept-invitation');

      await page.goto(link);
      expect(await heading()).toBe('Set your password');
      await screenshot(page, '01-accept-invitation');
      await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
      await page.getByLabel('Confirm password').fill(PASSWORD);
      await press('Set new password');

      expect(new URL(page.url()).pathname).toBe('/start');
      expect(await heading()).toBe('Welcome, Alice Liddell');
      const tile = page.getByRole('link', {
        name: new RegExp(`Amazon SageMaker Studio \\(${fixture.domainId}\\)`),
      });
      await expect(tile.count()).resolves.toBe(1);
      expect(await page.locator('.tile .name').allTextContents()).toEqual([
        `Amazon SageMaker Studio (${fixture.domainId})`,
        'Team wiki',
      ]);
      await screenshot(page, '02-portal-applications');

      await Promise.all([page.waitForNavigation(), tile.click()]);
      expect(new URL(page.url()).pathname).toBe(`/studio/${fixture.domainId}`);
      const studio = await bodyText();
      for (const part of [
        'Amazon SageMaker Studio',
        'Signed in as Alice Liddell (alice)',
        `Domain ml-team (${fixture.domainId})`,
        'user profile alice',
        EXECUTION_ROLE,
        'DefaultLandingUri',
        'app:JupyterServer:',
        'SharingSettings',
        'Domain default',
      ]) {
        expect(studio).toContain(part);
      }
      await screenshot(page, '03-studio');
      // On a phone: the same pages, one column.
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, '03b-studio-phone');
      await page.goto(`${fixture.server.url}/start`);
      await screenshot(page, '02b-portal-phone');
      await page.setViewportSize({ width: 1280, height: 800 });

      await signOut();
      await screenshot(page, '04-signed-out');
      // The session is gone: Studio's URL leads to sign-in, not to the page.
      await page.goto(`${fixture.server.url}/studio/${fixture.domainId}`);
      expect(new URL(page.url()).pathname).toBe('/start');
      expect(await bodyText()).toContain('Username');
    });

    it('registers an authenticator app when MFA is required, then asks for its code at sign-in', async () => {
      await fixture.admin.request('PATCH', '/settings', { mfaRequired: true });
      try {
        await fixture.addActiveUser('bob', PASSWORD, ['Data Scientists']);
        await page.goto(`${fixture.server.url}/start`);
        await page.getByLabel('Username').fill('bob');
        await screenshot(page, '05-sign-in-username');
        await press('Next');
        await page.getByLabel('Password').fill(PASSWORD);
        await screenshot(page, '06-sign-in-password');
        await press('Sign in');

        expect(await heading()).toBe('Register an authenticator app');
        expect(await bodyText()).toContain('Your administrator requires multi-factor authentication');
        const qr = page.getByRole('img', { name: /QR code/ });
        expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
        expect(
          await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
        ).toBeGreaterThan(0);
        await screenshot(page, '07-mfa-enrolment');
        const secret = base32Decode((await page.locator('#secret-key').textContent()) ?? '');
        if (secret === undefined) throw new Error('no secret key on the page');
        expect(secret).toHaveLength(20);

        await page
          .getByLabel('MFA code')
          .fill('000000' === totp(secret, fixture.clock.now().getTime()) ? '111111' : '000000');
        await press('Register authenticator app');
        expect(await bodyText()).toContain('That code is not right.');
        await page.getByLabel('MFA code').fill(totp(secret, fixture.clock.now().getTime()));
        await press('Register authenticator app');
        expect(await heading()).toBe('Save your recovery codes');
        const codes = await page
          .getByRole('list', { name: 'Recovery codes' })
          .locator('li')
          .allTextContents();
        expect(codes).toHaveLength(10);
        for (const code of codes) expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
        await screenshot(page, '08-mfa-recovery-codes');
        await Promise.all([
          page.waitForNavigation(),
          page.getByRole('link', { name: 'Continue to the portal' }).click(),
        ]);
        expect(await heading()).toBe('Welcome, Bob Tester');

        await Promise.all([
          page.waitForNavigation(),
          page.getByRole('link', { name: 'MFA settings' }).click(),
        ]);
        expect(await bodyText()).toContain('10 of 10 unused');
        await screenshot(page, '09-mfa-settings');
        await signOut();

        // The next sign-in asks for a code; the one used to register is spent, the next one works.
        const used = totp(secret, fixture.clock.now().getTime());
        await signIn('bob');
        expect(await heading()).toBe('Additional verification required');
        await page.getByLabel('MFA code').fill(used);
        await press('Sign in');
        expect(await bodyText()).toContain('That code was already used.');
        await screenshot(page, '10-mfa-code-used');
        fixture.clock.advance(30_000);
        await page.getByLabel('MFA code').fill(totp(secret, fixture.clock.now().getTime()));
        await press('Sign in');
        expect(await heading()).toBe('Welcome, Bob Tester');
        await signOut();

        // A recovery code works once, in place of a code.
        await signIn('bob');
        await screenshot(page, '11-mfa-code');
        await page.getByLabel('MFA code').fill(codes[0]?.toLowerCase() ?? '');
        await press('Sign in');
        expect(await heading()).toBe('Welcome, Bob Tester');
        await signOut();
        await signIn('bob');
        await page.getByLabel('MFA code').fill(codes[0] ?? '');
        await press('Sign in');
        expect(await bodyText()).toContain('That code is not right.');
      } finally {
        await fixture.admin.request('PATCH', '/settings', { mfaRequired: false });
      }
    });

    it('shows a user only in a nested group "You do not have any applications." and refuses typed launch URLs', async () => {
      await fixture.addActiveUser('carol', PASSWORD, ['Interns']);
      await signIn('carol');
      expect(await heading()).toBe('Welcome, Carol Tester');
      const text = await bodyText();
      expect(text).toContain('Applications');
      expect(text).toContain('You do not have any applications.');
      expect(await page.locator('.tile').count()).toBe(0);
      await screenshot(page, '12-portal-no-applications');

      const response = await page.goto(`${fixture.server.url}/studio/${fixture.domainId}`);
      expect(response?.status()).toBe(403);
      expect(await heading()).toBe('You cannot open this application');
      expect(await bodyText()).not.toContain('ml-team');
      await screenshot(page, '13-launch-forbidden');
    });

    it('tells a user with access but no profile AWS’s Access Denied', async () => {
      await fixture.addActiveUser('dave', PASSWORD, ['Data Scientists']);
      await signIn('dave');
      const tile = page.getByRole('link', { name: /Amazon SageMaker Studio/ });
      const [response] = await Promise.all([page.waitForNavigation(), tile.click()]);
      expect(response?.status()).toBe(403);
      expect(await bodyText()).toContain(
        `Access Denied. Please check if user is assigned to Studio Domain [${fixture.domainId}] and SSO Application [Amazon SageMaker Studio (${fixture.domainId})] is Active.`,
      );
      await screenshot(page, '14-studio-access-denied');
    });

    it('resets a forgotten password through the e-mailed link, once', async () => {
      await fixture.addActiveUser('erin', PASSWORD, ['Data Scientists']);
      await page.goto(`${fixture.server.url}/start`);
      await page.getByLabel('Username').fill('erin');
      await press('Next');
      await Promise.all([
        page.waitForNavigation(),
        page.getByRole('link', { name: 'Forgot password?' }).click(),
      ]);
      expect(await heading()).toBe('Forgot password');
      expect(await page.getByLabel('Username').inputValue()).toBe('erin');
      await screenshot(page, '15-forgot-password');
      await press('Reset password');
      expect(await heading()).toBe('Check your e-mail');
      await screenshot(page, '16-forgot-password-sent');

      const mail = await fixture.receiver.waitFor((m) => m.to.includes('erin@example.com'));
      expect(mail.subject).toBe('Reset your studio-sso password');
      const link = linkIn(mail.text, '/start/reset-password');
      await page.goto(link);
      expect(await heading()).toBe('Reset your password');
      await screenshot(page, '17-reset-password');
      await page.getByLabel('New password', { exact: true }).fill('granite tulip harbor');
      await page.getByLabel('Confirm password').fill('granite tulip harbor');
      await press('Set new password');
      expect(await heading()).toBe('Your password has been changed');

      await signIn('erin', PASSWORD);
      expect(await bodyText()).toContain('Incorrect username or password.');
      await signIn('erin', 'granite tulip harbor');
      expect(await heading()).toBe('Welcome, Erin Tester');
      const again = await page.goto(link);
      expect(again?.status()).toBe(410);
    });

    it('locks a user name after five wrong passwords, and lets it in again 15 minutes later', async () => {
      await fixture.addActiveUser('frank', PASSWORD);
      for (let i = 0; i < 5; i++) {
        await signIn('frank', `wrong password ${i}`);
        expect(await bodyText()).toContain('Incorrect username or password.');
      }
      await signIn('frank', PASSWORD);
      expect(await bodyText()).toContain('Too many attempts, try again in 15 minutes.');
      await screenshot(page, '18-lockout');
      fixture.clock.advance(15 * MINUTE);
      try {
        await signIn('frank', PASSWORD);
        expect(await heading()).toBe('Welcome, Frank Tester');
      } finally {
        // SigV4 allows 15 minutes of skew: the admin calls of later tests sign with the real time.
        fixture.clock.advance(-15 * MINUTE);
      }
    });

    it('opens a presigned domain URL of an IAM domain on the same Studio page, once', async () => {
      const domain = await fixture.sagemaker.send(
        new CreateDomainCommand({
          DomainName: 'iam-team',
          AuthMode: 'IAM',
          DefaultUserSettings: { ExecutionRole: EXECUTION_ROLE },
        }),
      );
      fixture.clock.advance(1000);
      await fixture.sagemaker.send(
        new CreateUserProfileCommand({ DomainId: domain.DomainId, UserProfileName: 'analyst' }),
      );
      fixture.clock.advance(1000);
      const { AuthorizedUrl } = await fixture.sagemaker.send(
        new CreatePresignedDomainUrlCommand({ DomainId: domain.DomainId, UserProfileName: 'analyst' }),
      );
      const response = await page.goto(AuthorizedUrl ?? '');
      expect(response?.status()).toBe(200);
      const text = await bodyText();
      expect(text).toContain(`Signed in to Studio as analyst in iam-team (${domain.DomainId})`);
      expect(text).toContain('with a presigned domain URL');
      await screenshot(page, '19-studio-presigned');
      expect((await page.goto(AuthorizedUrl ?? ''))?.status()).toBe(410);
    });
  },
);
