import {
  AWSOrganizationsNotInUseException,
  DescribeOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { CreateInstanceCommand, ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../../src/cli/admin-client.js';
import type { MailMessage } from '../../src/mail/mail.types.js';
import type { SettingsResponse } from '../../src/web/admin/settings.routes.js';
import type { AddUserResponse } from '../../src/web/admin/users.routes.js';
import { setUpConsoleRoot } from '../support/console-session.js';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver.js';
import { postgresUnavailableReason, testDialects } from '../support/test-databases.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../support/test-server.js';
import { hiddenFields, textOf, WebClient, type WebPage } from '../support/web-client.js';

const postgresSkip = await postgresUnavailableReason();
const PASSWORD = 'marble kettle orchard signal';

/** Sets the root password through a fresh setup link: a signed-in browser, on the page it landed on. */
const signedInConsole = async (server: TestServer): Promise<{ browser: WebClient; landing: WebPage }> => {
  const browser = new WebClient(server.url);
  return { browser, landing: await setUpConsoleRoot(server, browser, PASSWORD) };
};

const adminOf = (server: TestServer) =>
  new AdminClient({ endpoint: server.url, region: server.region, credentials: server.credentials });

const addUser = (server: TestServer, userName: string) =>
  adminOf(server).post<AddUserResponse>('/users', {
    userName,
    email: `${userName}@example.com`,
    givenName: userName,
    familyName: 'Outbox',
    displayName: `${userName} Outbox`,
    passwordSetup: 'send-email',
  });

/** The links of a page's table rows, in order. */
const linksIn = (html: string, path: string): string[] =>
  [...html.matchAll(/<a href="([^"]+)" class="code break-anywhere">/g)]
    .map((m) => m[1] ?? '')
    .filter((l) => l.includes(path));

const expectText = (page: WebPage, ...parts: string[]) => {
  const text = textOf(page.html);
  for (const part of parts) expect(text, `${page.url} (${page.status})`).toContain(part);
};

for (const dialect of testDialects()) {
  const skip = dialect === 'postgres' ? postgresSkip : undefined;
  describe.skipIf(skip !== undefined)(
    `the console's Dashboard, Settings and Outbox on ${dialect}${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let server: TestServer;
      let browser: WebClient;
      let landing: WebPage;
      let rootEmail: string;

      beforeAll(async () => {
        server = await startTestServer({ database: dialect });
        rootEmail = server.server.app.services.consoleAdmin.rootEmail();
        ({ browser, landing } = await signedInConsole(server));
      }, 60_000);
      afterAll(async () => {
        await server?.close();
      });

      it('lands on the Dashboard and takes the Enable SSO steps, checked through the AWS API', async () => {
        const organizationsApi = new OrganizationsClient(server.sdkConfig());
        const ssoAdmin = new SSOAdminClient(server.sdkConfig());
        try {
          // Sign-in lands on the setup: nothing done yet, one button for the first step.
          expect(landing.url).toMatch(/\/console\/identity-center$/);
          expectText(
            landing,
            'Step 1: Create the organization To do',
            `Your account ${server.accountId} becomes its management account`,
            'Step 2: Enable IAM Identity Center To do',
            'Create the organization first',
          );
          expect(landing.html).toContain('aria-current="page">Dashboard</a>');
          expect(landing.html).not.toContain('>Enable IAM Identity Center</button>');
          // Settings wait for IAM Identity Center, and say where to enable it.
          const noSettings = await browser.get('/console/settings');
          expectText(
            noSettings,
            'IAM Identity Center is not enabled yet, so there are no settings to change.',
          );
          expect(noSettings.html).toContain('<a class="button" href="/console/identity-center">');
          const notSaved = await browser.post('/console/settings', {
            ...hiddenFields(noSettings.html, '/console/sign-out'),
            invitationValidityDays: '9',
          });
          expect(notSaved.status).toBe(400);
          expectText(notSaved, 'IAM Identity Center is not enabled yet');
          await expect(organizationsApi.send(new DescribeOrganizationCommand({}))).rejects.toBeInstanceOf(
            AWSOrganizationsNotInUseException,
          );

          const created = await browser.submit(landing, '/console/identity-center/organization');
          expect(created.url).toMatch(/\/console\/identity-center$/);
          const { Organization } = await organizationsApi.send(new DescribeOrganizationCommand({}));
          const organizationId = Organization?.Id ?? '';
          expect(organizationId).toMatch(/^o-[a-z0-9]{10,32}$/);
          expectText(
            created,
            `Organization ${organizationId} created. A verification e-mail is in the Outbox for ${rootEmail}: no mail server is set up, so copy its link from the Outbox and pass it on.`,
            'Step 1: Organization Done',
            `Organization ID ${organizationId}`,
            `Management account ${server.accountId}`,
            `unverified — a verification link was sent to ${rootEmail}`,
          );
          expect(Organization?.MasterAccountEmail).toBe(rootEmail);
          // The notice shows once; a reload shows only the state.
          expect(textOf((await browser.get('/console/identity-center')).html)).not.toContain('created.');

          // Creating it again is the service's refusal, in words.
          const csrf = hiddenFields(created.html, '/console/identity-center/resend-verification');
          const again = await browser.post('/console/identity-center/organization', csrf);
          expect(again.status).toBe(400);
          expectText(again, 'The AWS account is already a member of an organization.');

          // Resend: a new link, the first one replaced; the Outbox shows both, newest first.
          const resent = await browser.submit(created, '/console/identity-center/resend-verification');
          expectText(
            resent,
            `A new verification e-mail is in the Outbox for ${rootEmail}: no mail server is set up, so copy its link from the Outbox and pass it on. Earlier links no longer work.`,
          );
          const outbox = await browser.get(
            `/console/outbox?to=${encodeURIComponent(rootEmail.toUpperCase())}`,
          );
          const [newest, first] = linksIn(outbox.html, '/verify-email?token=');
          expect(newest).toBeDefined();
          expect(first).toBeDefined();
          expect((await fetch(first ?? '')).status).toBe(410);
          const verified = await fetch(newest ?? '');
          expect(verified.status).toBe(200);
          expect(textOf(await verified.text())).toContain(`${rootEmail} is now verified`);

          // Read anew on each load: verified now, and nothing to resend.
          const dashboard = await browser.get('/console/identity-center');
          expectText(dashboard, `${rootEmail} verified on`);
          expect(dashboard.html).not.toContain('Resend verification e-mail');
          const late = await browser.post('/console/identity-center/resend-verification', csrf);
          expect(late.status).toBe(400);
          expectText(late, `The address ${rootEmail} is already verified.`);

          // Step 2.
          expect((await ssoAdmin.send(new ListInstancesCommand({}))).Instances ?? []).toHaveLength(0);
          const enabled = await browser.submit(dashboard, '/console/identity-center/enable');
          const [instance] = (await ssoAdmin.send(new ListInstancesCommand({}))).Instances ?? [];
          expect(instance).toBeDefined();
          expectText(
            enabled,
            `IAM Identity Center is enabled. Its identity store is ${instance?.IdentityStoreId}`,
            'Step 2: IAM Identity Center Done',
            'Status ACTIVE',
            `Instance ARN ${instance?.InstanceArn}`,
            `Identity store ID ${instance?.IdentityStoreId}`,
            `Access portal URL ${server.url}/start`,
            `Organization instance of ${organizationId}`,
          );
          expect(enabled.html).toContain(`<a href="${server.url}/start">`);
          for (const next of [
            '/console/users',
            '/console/groups',
            '/console/applications',
            '/console/studio',
          ]) {
            expect(enabled.html).toContain(`<a href="${next}">`);
          }
          const twice = await browser.post('/console/identity-center/enable', csrf);
          expect(twice.status).toBe(400);
          expectText(twice, 'An instance of IAM Identity Center already exists for this account.');
          expect((await ssoAdmin.send(new ListInstancesCommand({}))).Instances ?? []).toHaveLength(1);
        } finally {
          organizationsApi.destroy();
          ssoAdmin.destroy();
        }
      });

      it('changes the settings, and says in words why a value is refused, keeping the form', async () => {
        const admin = adminOf(server);
        const page = await browser.get('/console/settings');
        expect(page.status).toBe(200);
        expect(page.html).toContain('aria-current="page">Settings</a>');
        expect(page.html).toMatch(/name="invitationValidityDays" value="7"/);
        expect(page.html).toMatch(/name="sessionDurationHours" value="8"/);
        expect(page.html).toMatch(/name="minimumPasswordLength" value="12"/);
        expect(page.html).not.toMatch(/name="mfaRequired" value="on"[^>]*checked/);
        expectText(
          page,
          'Invitation lifetime (days)',
          'From 1 to 90 days.',
          'Require MFA',
          'Send e-mail OTP',
        );

        const typed = {
          invitationValidityDays: '0',
          sessionDurationHours: '12',
          minimumPasswordLength: '10',
          mfaRequired: 'on',
        };
        const refused = await browser.submit(page, '/console/settings', typed);
        expect(refused.status).toBe(400);
        expectText(refused, 'invitationValidityDays must be a whole number from 1 to 90; got 0.');
        expect(refused.html).toContain('role="alert"');
        expect(refused.html).toMatch(/name="invitationValidityDays" value="0"/);
        expect(refused.html).toMatch(/name="sessionDurationHours" value="12"/);
        expect(refused.html).toMatch(/name="mfaRequired" value="on"[^>]*checked/);
        expect(refused.html).not.toMatch(/name="sendEmailOtp" value="on"[^>]*checked/);
        const notNumbers = await browser.submit(page, '/console/settings', {
          ...typed,
          sessionDurationHours: 'a day',
        });
        expect(notNumbers.status).toBe(400);
        expectText(notNumbers, 'Enter the session length as a whole number of hours.');
        expect(notNumbers.html).toContain('value="a day"');
        // Nothing was changed by either.
        expect((await admin.get<SettingsResponse>('/settings')).settings.invitationValidityDays).toBe(7);

        const saved = await browser.submit(page, '/console/settings', {
          ...typed,
          invitationValidityDays: '14',
          sendEmailOtp: 'on',
        });
        expect(saved.url).toMatch(/\/console\/settings$/);
        expectText(saved, 'Settings saved.');
        expect(saved.html).toMatch(/name="invitationValidityDays" value="14"/);
        expect((await admin.get<SettingsResponse>('/settings')).settings).toEqual({
          invitationValidityDays: 14,
          sessionDurationHours: 12,
          minimumPasswordLength: 10,
          mfaRequired: true,
          sendEmailOtp: true,
        });
        // Unticking a box turns it off.
        const off = await browser.submit(saved, '/console/settings', {
          invitationValidityDays: '14',
          sessionDurationHours: '12',
          minimumPasswordLength: '10',
        });
        expectText(off, 'Settings saved.');
        expect((await admin.get<SettingsResponse>('/settings')).settings).toMatchObject({
          mfaRequired: false,
          sendEmailOtp: false,
        });
        // The setting is applied: an invitation now lasts 14 days.
        const added = await addUser(server, 'fortnight');
        const created = new Date(added.invitation?.createdAt ?? 0).getTime();
        expect(new Date(added.invitation?.expiresAt ?? 0).getTime() - created).toBe(14 * 24 * 60 * 60_000);
      });

      it('lists every message newest first, paged, filtered by recipient, with its link', async () => {
        for (let i = 1; i <= 27; i++) await addUser(server, `paged${String(i).padStart(2, '0')}`);
        const first = await browser.get('/console/outbox');
        expect(first.html).toContain('aria-current="page">Outbox</a>');
        const rows = (html: string) =>
          [...html.matchAll(/<tr><td class="nowrap">[\s\S]*?<\/tr>/g)].map((m) => textOf(m[0]));
        const firstRows = rows(first.html);
        expect(firstRows).toHaveLength(25);
        expect(firstRows[0]).toContain('paged27@example.com');
        expect(firstRows[24]).toContain('paged03@example.com');
        expect(firstRows[0]).toMatch(/Invitation (queued|kept)/);
        // Each row carries its message's link, to hand over without SMTP.
        expect(linksIn(first.html, '/start/accept-invitation?token=')).toHaveLength(25);

        const nextHref =
          /<a class="button secondary small" href="([^"]+)">Next page<\/a>/.exec(first.html)?.[1] ?? '';
        const second = await browser.get(nextHref.replace(/&amp;/g, '&'));
        const secondRows = rows(second.html);
        expect(secondRows[0]).toContain('paged02@example.com');
        expect(secondRows[1]).toContain('paged01@example.com');
        expect(secondRows.at(-1)).toContain(rootEmail);
        expect(secondRows.join('\n')).toContain('fortnight@example.com');

        const one = await browser.get('/console/outbox?to=Paged07%40Example.com');
        expect(rows(one.html)).toHaveLength(1);
        expectText(one, 'paged07@example.com', 'Show all');
        expect(one.html).toContain('value="Paged07@Example.com"');
        const none = await browser.get('/console/outbox?to=nobody%40example.com');
        expectText(none, 'No messages to nobody@example.com.');
        const foreignToken = await browser.get(
          `/console/outbox?to=nobody%40example.com&${new URL(nextHref.replace(/&amp;/g, '&'), server.url).searchParams.toString()}`,
        );
        expect(foreignToken.status).toBe(400);
        expectText(foreignToken, 'The NextToken provided is invalid.');
      });
    },
  );
}

/** Polls the outbox until the message to `to` is in a state that `done` accepts. */
const messageTo = async (server: TestServer, to: string, done: (m: MailMessage) => boolean) => {
  for (let i = 0; i < 200; i++) {
    const [message] = (await server.server.app.services.outbox.listMessages({ to, limit: 1 })).items;
    if (message !== undefined && done(message)) return message;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no message to ${to} reached the expected state`);
};

describe('the console Outbox with an SMTP server', () => {
  let server: TestServer;
  let receiver: SmtpReceiver;

  beforeAll(async () => {
    receiver = await startSmtpReceiver();
    const options: TestServerOptions = { env: { SMTP_URL: receiver.url } };
    server = await startTestServer(options);
    const ssoAdmin = new SSOAdminClient(server.sdkConfig());
    await ssoAdmin.send(new CreateInstanceCommand({}));
    ssoAdmin.destroy();
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await receiver?.close().catch(() => undefined);
  });

  it('shows a delivered message without its link, and a failed one with attempts, error and next retry', async () => {
    await addUser(server, 'delivered');
    await messageTo(server, 'delivered@example.com', (m) => m.state === 'sent');
    await receiver.close();
    await addUser(server, 'bounced');
    await messageTo(server, 'bounced@example.com', (m) => m.state === 'failed');

    const { browser } = await signedInConsole(server);
    const outbox = textOf((await browser.get('/console/outbox')).html);
    expect(outbox).toMatch(
      /bounced@example\.com .* Invitation failed after 1 attempt: .*ECONNREFUSED.*\. Next retry \d{4}-\d\d-\d\d \d\d:\d\d UTC\. .*accept-invitation\?token=/,
    );
    expect(outbox).toMatch(
      /delivered@example\.com .* Invitation sent \d{4}-\d\d-\d\d \d\d:\d\d UTC Removed once delivered: it carried a one-time token\./,
    );
  });
});
