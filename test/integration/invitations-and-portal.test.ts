import { CreateGroupCommand, CreateUserCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateInstanceCommand, DescribeInstanceCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../../src/cli/admin-client.js';
import { ManualClock } from '../../src/core/clock.js';
import type { Scope } from '../../src/core/scope.js';
import type { OutboxListResponse } from '../../src/web/admin/outbox.routes.js';
import type {
  AddUserResponse,
  InvitationResponse,
  UserOnboardingResponse,
} from '../../src/web/admin/users.routes.js';
import { runStudioSso } from '../support/run-cli.js';
import { linkIn, type ReceivedMail, type SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver.js';
import { postgresUnavailableReason, testDialects } from '../support/test-databases.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { hiddenFields, textOf, WebClient, type WebPage } from '../support/web-client.js';

const postgresSkip = await postgresUnavailableReason();

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
const GOOD_PASSWORD = 'velvet orchard lantern';
const ACCEPT = '/start/accept-invitation';

const expectText = (page: WebPage, ...parts: string[]) => {
  const text = textOf(page.html);
  for (const part of parts) expect(text, `page ${page.url} (${page.status})`).toContain(part);
};

for (const dialect of testDialects()) {
  const skip = dialect === 'postgres' ? postgresSkip : undefined;
  describe.skipIf(skip !== undefined)(
    `invitations, one-time passwords and portal sign-in on ${dialect}${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let server: TestServer;
      let receiver: SmtpReceiver;
      let admin: AdminClient;
      let identityStore: IdentitystoreClient;
      let identityStoreId: string;
      let scope: Scope;
      const clock = new ManualClock();
      const start = clock.now();

      const cli = async (...args: string[]) => {
        const result = await runStudioSso(server, args);
        return { ...result, json: () => JSON.parse(result.stdout) as unknown };
      };
      const mailTo = (address: string, subject?: string, except: ReceivedMail[] = []) =>
        receiver.waitFor(
          (m) =>
            m.to.includes(address) && (subject === undefined || m.subject === subject) && !except.includes(m),
        );
      const addUser = (
        userName: string,
        passwordSetup: 'send-email' | 'one-time-password',
        groups?: string[],
      ) =>
        admin.post<AddUserResponse>('/users', {
          userName,
          email: `${userName}@example.com`,
          givenName: userName[0]?.toUpperCase() + userName.slice(1),
          familyName: 'Tester',
          displayName: `${userName[0]?.toUpperCase()}${userName.slice(1)} Tester`,
          passwordSetup,
          groups,
        });
      const signInPage = async (browser: WebClient, userName: string) => {
        const first = await browser.get('/start');
        expectText(first, 'Username', 'Next');
        return browser.submit(first, '/start/sign-in', { username: userName });
      };

      beforeAll(async () => {
        receiver = await startSmtpReceiver();
        server = await startTestServer({ database: dialect, clock, env: { SMTP_URL: receiver.url } });
        admin = new AdminClient({
          endpoint: server.url,
          region: server.region,
          credentials: server.credentials,
        });
        scope = {
          accountId: server.accountId,
          region: server.region,
          principalArn: `arn:aws:iam::${server.accountId}:root`,
        };
        const ssoAdmin = new SSOAdminClient(server.sdkConfig());
        const { InstanceArn } = await ssoAdmin.send(new CreateInstanceCommand({ Name: 'portal' }));
        const described = await ssoAdmin.send(new DescribeInstanceCommand({ InstanceArn }));
        identityStoreId = described.IdentityStoreId ?? '';
        ssoAdmin.destroy();
        identityStore = new IdentitystoreClient(server.sdkConfig());
        await identityStore.send(
          new CreateGroupCommand({ IdentityStoreId: identityStoreId, DisplayName: 'engineers' }),
        );
      });
      afterAll(async () => {
        identityStore?.destroy();
        await server?.close();
        await receiver?.close();
      });

      it('invites by e-mail; the link sets the password and signs the user in, once', async () => {
        const added = await cli(
          'users',
          'add',
          '--user-name',
          'alice',
          '--email',
          'alice@example.com',
          '--given-name',
          'Alice',
          '--family-name',
          'Liddell',
          '--display-name',
          'Alice Liddell',
          '--group',
          'engineers',
          '--send-email',
          '--json',
        );
        expect(added.stderr).toBe('');
        const response = added.json() as AddUserResponse;
        expect(response.user).toMatchObject({
          userName: 'alice',
          email: 'alice@example.com',
          status: 'ENABLED',
        });
        expect(response.groupIds).toHaveLength(1);
        expect(response.invitation?.state).toBe('pending');
        expect(Date.parse(response.invitation?.expiresAt ?? '') - clock.now().getTime()).toBe(7 * DAY);
        expect(response.oneTimePassword).toBeUndefined();

        const mail = await mailTo('alice@example.com');
        expect(mail.subject).toBe('Invitation to join studio-sso');
        expect(mail.html).toContain('Accept invitation');
        expect(mail.text).toContain('Your user name: alice');
        const link = linkIn(mail.text, ACCEPT);
        expect(link.startsWith(`${server.url}${ACCEPT}?token=`)).toBe(true);
        expect(linkIn(mail.html, ACCEPT)).toBe(link);

        const browser = new WebClient(server.url);
        const page = await browser.get(link);
        expect(page.status).toBe(200);
        expectText(page, 'New password', 'Confirm password', 'Set new password', 'alice');
        expect(page.html).toContain('<label for="new-password">New password</label>');
        expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
        expect(page.headers.get('referrer-policy')).toBe('no-referrer');
        expect(page.headers.get('cache-control')).toBe('no-store');
        const token = hiddenFields(page.html, ACCEPT).token ?? '';

        // CSRF: no token, or another browser's token, and nothing happens.
        const noToken = await browser.post(ACCEPT, {
          token,
          newPassword: GOOD_PASSWORD,
          confirmPassword: GOOD_PASSWORD,
        });
        expect(noToken.status).toBe(403);
        expectText(noToken, 'This form has expired');
        const stranger = new WebClient(server.url);
        const strangerPage = await stranger.get(link);
        const foreign = await browser.post(ACCEPT, {
          _csrf: hiddenFields(strangerPage.html, ACCEPT)._csrf ?? '',
          token,
          newPassword: GOOD_PASSWORD,
          confirmPassword: GOOD_PASSWORD,
        });
        expect(foreign.status).toBe(403);

        // The policy says exactly what to change; the link stays usable meanwhile.
        const cases: [string, string, string][] = [
          ['short', 'short', 'Use at least 12 characters; this password has 5.'],
          [
            GOOD_PASSWORD,
            `${GOOD_PASSWORD}!`,
            "The passwords don't match. Type the same new password in both fields.",
          ],
          ['password1234', 'password1234', 'list of common or breached passwords'],
          [
            'alice in wonderland',
            'alice in wonderland',
            "Don't use your user name (alice) in your password.",
          ],
        ];
        for (const [newPassword, confirmPassword, message] of cases) {
          const refused = await browser.submit(page, ACCEPT, { newPassword, confirmPassword });
          expect(refused.status, message).toBe(400);
          expectText(refused, message, 'Set new password');
        }

        const accepted = await browser.submit(
          page,
          ACCEPT,
          { newPassword: GOOD_PASSWORD, confirmPassword: GOOD_PASSWORD },
          false,
        );
        expect(accepted.status).toBe(303);
        expect(accepted.location).toBe('/start');
        const sessionCookie = accepted.setCookies.find((c) => c.startsWith('studio-sso-session='));
        expect(sessionCookie).toMatch(
          /^studio-sso-session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=28800$/,
        );
        const portal = await browser.get('/start');
        expectText(portal, 'Welcome, Alice Liddell', 'signed in to the access portal as alice', 'Sign out');

        // Single use: the link, and the form it showed, now say what happened.
        const reopened = await browser.get(link);
        expect(reopened.status).toBe(410);
        expectText(reopened, 'This invitation was already used');
        const resubmitted = await browser.submit(page, ACCEPT, {
          newPassword: 'another fine password',
          confirmPassword: 'another fine password',
        });
        expect(resubmitted.status).toBe(403); // the form's token belonged to the session before sign-in
        const fresh = new WebClient(server.url);
        const freshForm = await fresh.get('/start');
        const replay = await fresh.post(ACCEPT, {
          ...hiddenFields(freshForm.html, '/start/sign-in'),
          token,
          newPassword: 'another fine password',
          confirmPassword: 'another fine password',
        });
        expect(replay.status).toBe(410);

        const shown = (await cli('users', 'show', 'alice', '--json')).json() as UserOnboardingResponse;
        expect(shown.status).toBe('active');
        expect(shown.password).toMatchObject({ hasPassword: true, kind: 'password' });
        expect(shown.invitations).toHaveLength(1);
        expect(shown.invitations[0]).toMatchObject({
          state: 'accepted',
          delivery: { state: 'sent', attempts: 1 },
        });
        const text = await cli('users', 'show', 'alice');
        expect(text.stdout).toContain('status:    active');
        expect(text.stdout).toContain('accepted');

        const outbox = (await cli('outbox', '--json')).json() as OutboxListResponse;
        const sent = outbox.messages.find((m) => m.to === 'alice@example.com');
        expect(sent).toMatchObject({ state: 'sent', attempts: 1, subject: 'Invitation to join studio-sso' });
        // The link carried the token: once delivered it is not kept in clear.
        expect(sent?.link).toBeUndefined();

        // Sign out ends the session: the cookie is cleared and the old ID no longer works.
        const oldSession = browser.cookies.get('studio-sso-session') ?? '';
        const signedOut = await browser.submit(portal, '/start/sign-out');
        expectText(signedOut, 'Username', 'Next');
        expect(browser.cookies.has('studio-sso-session')).toBe(false);
        const replayed = new WebClient(server.url);
        replayed.cookies.set('studio-sso-session', oldSession);
        expectText(await replayed.get('/start'), 'Username');
      });

      it('signs in with user name and password, answering a wrong name and a wrong password alike', async () => {
        const browser = new WebClient(server.url);
        // A session ID the browser brought before signing in is never the one it gets.
        browser.cookies.set('studio-sso-session', 'A'.repeat(43));
        const passwordPage = await signInPage(browser, 'alice');
        expectText(passwordPage, 'Password', 'Sign in');
        const wrong = await browser.submit(passwordPage, '/start/sign-in/password', {
          password: 'not the password at all',
        });
        const unknown = await browser.submit(await signInPage(browser, 'nobody'), '/start/sign-in/password', {
          password: GOOD_PASSWORD,
        });
        expect(wrong.status).toBe(401);
        expect(unknown.status).toBe(401);
        expectText(wrong, 'Incorrect username or password.');
        expectText(unknown, 'Incorrect username or password.');
        expect(textOf(wrong.html).replace('alice', 'X')).toBe(textOf(unknown.html).replace('nobody', 'X'));

        const signedIn = await browser.submit(passwordPage, '/start/sign-in/password', {
          password: GOOD_PASSWORD,
        });
        expectText(signedIn, 'Welcome, Alice Liddell');
        expect(browser.cookies.get('studio-sso-session')).not.toBe('A'.repeat(43));
      });

      it('resends with a new link that revokes the old one, and revokes on demand', async () => {
        await addUser('bob', 'send-email');
        const first = await mailTo('bob@example.com');
        const resent = await cli('users', 'resend-invitation', 'bob', '--json');
        expect((resent.json() as InvitationResponse).state).toBe('pending');
        const second = await mailTo('bob@example.com', undefined, [first]);
        const [link1, link2] = [linkIn(first.text, ACCEPT), linkIn(second.text, ACCEPT)];
        expect(link2).not.toBe(link1);

        const browser = new WebClient(server.url);
        const replaced = await browser.get(link1);
        expect(replaced.status).toBe(410);
        expectText(replaced, 'This invitation link was replaced', 'most recent invitation e-mail');
        expect((await browser.get(link2)).status).toBe(200);

        const revoked = await cli('users', 'revoke-invitation', 'bob');
        expect(revoked.code).toBe(0);
        const withdrawn = await browser.get(link2);
        expect(withdrawn.status).toBe(410);
        expectText(withdrawn, 'This invitation was withdrawn');

        const listed = (await cli('users', 'invitations', 'bob', '--json')).json() as InvitationResponse[];
        // (Both were sent in the same millisecond of the fake clock, so their order is not asserted.)
        expect(listed.map((i) => `${i.state}:${i.revokedReason}`).sort()).toEqual([
          'revoked:replaced',
          'revoked:revoked',
        ]);
        const again = await cli('users', 'revoke-invitation', 'bob');
        expect(again.code).toBe(1);
        expect(again.stderr).toContain('User bob has no pending invitation.');
        expect((await browser.get(`${ACCEPT}?token=${'x'.repeat(43)}`)).status).toBe(404);
      });

      it('expires invitations after the configured validity (a fake clock)', async () => {
        await addUser('carol', 'send-email');
        const link = linkIn((await mailTo('carol@example.com')).text, ACCEPT);
        const browser = new WebClient(server.url);
        const page = await browser.get(link);
        try {
          clock.advance(7 * DAY - 60_000);
          expect((await browser.get(link)).status).toBe(200);
          clock.advance(2 * 60_000);
          const expired = await browser.get(link);
          expect(expired.status).toBe(410);
          expectText(
            expired,
            'This invitation has expired',
            'Ask your administrator to send you a new invitation',
          );
          const late = await browser.submit(page, ACCEPT, {
            newPassword: GOOD_PASSWORD,
            confirmPassword: GOOD_PASSWORD,
          });
          expect(late.status).toBe(410);
          const onboarding = await server.server.app.services.invitations.describeOnboarding(scope, 'carol');
          expect(onboarding.status).toBe('invitation-expired');
          expect(onboarding.invitations[0]?.state).toBe('expired');
        } finally {
          clock.set(start);
        }

        const shorter = await cli('settings', 'set', '--invitation-validity-days', '2', '--json');
        expect(shorter.code).toBe(0);
        const dave = await addUser('dave', 'send-email');
        expect(Date.parse(dave.invitation?.expiresAt ?? '') - clock.now().getTime()).toBe(2 * DAY);
        await cli('settings', 'set', '--invitation-validity-days', '7');
        const invalid = await cli('settings', 'set', '--invitation-validity-days', '0');
        expect(invalid.code).toBe(1);
        expect(invalid.stderr).toContain(
          'invitationValidityDays must be a whole number from 1 to 90; got 0.',
        );
      });

      it('gives a one-time password once, which must be replaced at first sign-in', async () => {
        const added = await cli(
          'users',
          'add',
          '--user-name',
          'erin',
          '--email',
          'erin@example.com',
          '--given-name',
          'Erin',
          '--family-name',
          'Tester',
          '--display-name',
          'Erin Tester',
          '--one-time-password',
          '--json',
        );
        const otp = (added.json() as AddUserResponse).oneTimePassword?.password ?? '';
        expect(otp).toMatch(/^[A-Za-z0-9]{6}(-[A-Za-z0-9]{6}){3}$/);
        const plain = await cli('users', 'show', 'erin');
        expect(plain.stdout).toContain('one-time password: must choose a password at first sign-in');
        expect(plain.stdout).not.toContain(otp);

        const browser = new WebClient(server.url);
        const choose = await browser.submit(await signInPage(browser, 'erin'), '/start/sign-in/password', {
          password: otp,
        });
        expect(choose.status).toBe(200);
        expectText(choose, 'Choose a new password', 'New password', 'Confirm password', 'Set new password');
        expect(browser.cookies.has('studio-sso-session')).toBe(false);
        const same = await browser.submit(choose, '/start/choose-password', {
          newPassword: otp,
          confirmPassword: otp,
        });
        expectText(same, 'not the one-time password you were given');
        const done = await browser.submit(choose, '/start/choose-password', {
          newPassword: 'granite tulip harbor',
          confirmPassword: 'granite tulip harbor',
        });
        expectText(done, 'Welcome, Erin Tester');
        // The step was used up with the password.
        const replay = await browser.submit(choose, '/start/choose-password', {
          newPassword: 'marble tulip harbor',
          confirmPassword: 'marble tulip harbor',
        });
        expect(replay.status).toBe(403);

        const other = new WebClient(server.url);
        const oldOtp = await other.submit(await signInPage(other, 'erin'), '/start/sign-in/password', {
          password: otp,
        });
        expectText(oldOtp, 'Incorrect username or password.');
        const status = (await cli('users', 'show', 'erin', '--json')).json() as UserOnboardingResponse;
        expect(status.status).toBe('active');
        // No mail for a one-time password.
        expect(receiver.received.some((m) => m.to.includes('erin@'))).toBe(false);

        const regenerated = await cli('users', 'one-time-password', 'erin', '--json');
        const again = (regenerated.json() as { password: string }).password;
        try {
          clock.advance(7 * DAY + 60_000);
          const late = await other.submit(await signInPage(other, 'erin'), '/start/sign-in/password', {
            password: again,
          });
          expect(late.status).toBe(401);
          expectText(late, 'Your one-time password has expired');
        } finally {
          clock.set(start);
        }
      });

      it('e-mails a code at the first sign-in of an API-created user when "send email OTP" is on', async () => {
        const createUser = (name: string) =>
          identityStore.send(
            new CreateUserCommand({
              IdentityStoreId: identityStoreId,
              UserName: name,
              DisplayName: `${name} api`,
              Name: { GivenName: name, FamilyName: 'Api' },
              Emails: [{ Value: `${name}@example.com`, Primary: true }],
            }),
          );
        await createUser('grace');
        // As in AWS, a user created through the API gets no mail.
        await server.server.app.mailDelivery.deliverDue();
        const outbox = await server.server.app.services.outbox.listMessages({ limit: 500 });
        expect(outbox.items.some((m) => m.to === 'grace@example.com')).toBe(false);
        // With the setting off, the user has nothing to sign in with: the password step, which fails.
        const browser = new WebClient(server.url);
        const off = await signInPage(browser, 'grace');
        expectText(off, 'Password', 'Sign in');

        expect((await cli('settings', 'set', '--send-email-otp', 'on')).code).toBe(0);
        try {
          const codePage = await signInPage(browser, 'grace');
          expectText(codePage, 'Check your e-mail', 'g•••@example.com', 'Verification code');
          const mail = await mailTo('grace@example.com', 'Your studio-sso verification code');
          const code = /verification code is (\d{6})/.exec(mail.text)?.[1] ?? '';
          expect(code).toMatch(/^\d{6}$/);
          const wrongCode = code === '000000' ? '111111' : '000000';
          const wrong = await browser.submit(codePage, '/start/sign-in/code', { code: wrongCode });
          expect(wrong.status).toBe(401);
          expectText(wrong, 'That code is not right. You can try 4 more times.');
          const choose = await browser.submit(codePage, '/start/sign-in/code', { code });
          expectText(choose, 'Choose a new password');
          const reused = await browser.submit(codePage, '/start/sign-in/code', { code });
          expectText(reused, 'This code can no longer be used', 'each code works once');
          const done = await browser.submit(choose, '/start/choose-password', {
            newPassword: 'cobalt heron meadow',
            confirmPassword: 'cobalt heron meadow',
          });
          expectText(done, 'Welcome, grace api');
          // With a password, the next sign-in asks for it and sends nothing.
          const next = new WebClient(server.url);
          expectText(await signInPage(next, 'grace'), 'Password');

          await createUser('heidi');
          const heidi = await signInPage(new WebClient(server.url), 'heidi');
          const heidiCode =
            /verification code is (\d{6})/.exec((await mailTo('heidi@example.com')).text)?.[1] ?? '';
          clock.advance(10 * 60_000 + 1);
          const expired = await new WebClient(server.url).post('/start/sign-in/code', {
            ...hiddenFields(heidi.html, '/start/sign-in/code'),
            code: heidiCode,
          });
          expect(expired.status).toBe(403); // another browser: no CSRF cookie
          const heidiBrowser = new WebClient(server.url);
          clock.set(start);
          const heidiAgain = await signInPage(heidiBrowser, 'heidi');
          clock.advance(10 * 60_000 + 1);
          const late = await heidiBrowser.submit(heidiAgain, '/start/sign-in/code', { code: heidiCode });
          expectText(late, 'This code can no longer be used', 'The code has expired');
          clock.set(start);

          await createUser('ivan');
          const ivanBrowser = new WebClient(server.url);
          const ivan = await signInPage(ivanBrowser, 'ivan');
          const ivanCode =
            /verification code is (\d{6})/.exec((await mailTo('ivan@example.com')).text)?.[1] ?? '';
          const bad = ivanCode === '000000' ? '111111' : '000000';
          for (let i = 0; i < 4; i++) await ivanBrowser.submit(ivan, '/start/sign-in/code', { code: bad });
          const fifth = await ivanBrowser.submit(ivan, '/start/sign-in/code', { code: bad });
          expectText(fifth, 'entered wrongly too many times');
          const right = await ivanBrowser.submit(ivan, '/start/sign-in/code', { code: ivanCode });
          expectText(right, 'This code can no longer be used');
        } finally {
          clock.set(start);
          await cli('settings', 'set', '--send-email-otp', 'off');
        }
      });

      it('creates users with the AWS API’s rules, all or nothing', async () => {
        const duplicate = await cli(
          'users',
          'add',
          '--user-name',
          'ALICE',
          '--email',
          'other@example.com',
          '--given-name',
          'A',
          '--family-name',
          'B',
          '--display-name',
          'A B',
          '--send-email',
        );
        expect(duplicate.code).toBe(1);
        expect(duplicate.stderr).toContain('Duplicate UserName');
        const reserved = await cli(
          'users',
          'add',
          '--user-name',
          'Administrator',
          '--email',
          'adm@example.com',
          '--given-name',
          'A',
          '--family-name',
          'B',
          '--display-name',
          'A B',
          '--one-time-password',
        );
        expect(reserved.stderr).toContain('reserved name');
        const neither = await cli(
          'users',
          'add',
          '--user-name',
          'judy',
          '--email',
          'judy@example.com',
          '--given-name',
          'J',
          '--family-name',
          'B',
          '--display-name',
          'J B',
        );
        expect(neither.code).not.toBe(0);
        expect(neither.stderr).toContain('--send-email or --one-time-password');
        const unknownGroup = await cli(
          'users',
          'add',
          '--user-name',
          'judy',
          '--email',
          'judy@example.com',
          '--given-name',
          'J',
          '--family-name',
          'B',
          '--display-name',
          'J B',
          '--group',
          'engineers',
          '--group',
          'nope',
          '--send-email',
        );
        expect(unknownGroup.code).toBe(1);
        expect(unknownGroup.stderr).toContain('No group has the ID or display name nope');
        // Nothing of it remains: no user, no invitation, no mail.
        const missing = await cli('users', 'show', 'judy');
        expect(missing.stderr).toContain('No user has the ID or user name judy');
        const outbox = (await cli('outbox', '--json')).json() as OutboxListResponse;
        expect(outbox.messages.some((m) => m.to === 'judy@example.com')).toBe(false);
        const sameEmail = await cli(
          'users',
          'add',
          '--user-name',
          'alice2',
          '--email',
          'ALICE@example.com',
          '--given-name',
          'A',
          '--family-name',
          'B',
          '--display-name',
          'A B',
          '--send-email',
        );
        expect(sameEmail.stderr).toContain('Another user already has the e-mail address ALICE@example.com');
      });

      it('verifies the management e-mail address from CreateOrganization’s mail, within 24 hours', async () => {
        const organizations = new OrganizationsClient(server.sdkConfig());
        await organizations.send(new CreateOrganizationCommand({}));
        organizations.destroy();
        const subject = 'Verify your e-mail address for your studio-sso organization';
        const first = await mailTo('admin@studio-sso.local', subject);
        const link1 = linkIn(first.text, '/verify-email');
        const before = (await cli('organization', '--json')).json() as {
          verified: boolean;
          latestLink: { state: string };
        };
        expect(before).toMatchObject({ verified: false, latestLink: { state: 'pending' } });

        const browser = new WebClient(server.url);
        try {
          clock.advance(DAY + 60_000);
          const expired = await browser.get(link1);
          expect(expired.status).toBe(410);
          expectText(expired, 'This verification link has expired', 'valid for 24 hours');
        } finally {
          clock.set(start);
        }
        const resent = await cli('organization', '--resend-verification');
        expect(resent.code).toBe(0);
        const second = await mailTo('admin@studio-sso.local', subject, [first]);
        const link2 = linkIn(second.text, '/verify-email');
        expectText(await browser.get(link1), 'This verification link was replaced');

        const verified = await browser.get(link2);
        expect(verified.status).toBe(200);
        expectText(verified, 'E-mail address verified', 'admin@studio-sso.local');
        expectText(await browser.get(link2), 'already verified');
        const after = (await cli('organization', '--json')).json() as {
          verified: boolean;
          verifiedAt: string;
        };
        expect(after.verified).toBe(true);
        expect((await cli('organization', '--resend-verification')).stderr).toContain('is already verified');
      });
    },
  );
}
