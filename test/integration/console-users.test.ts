import {
  CreateGroupCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DescribeUserCommand,
  GetUserIdCommand,
  ListGroupMembershipsForMemberCommand,
} from '@aws-sdk/client-identitystore';
import { DescribeUserProfileCommand } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpConsoleRoot } from '../support/console-session.js';
import { type PortalFixture, startPortalFixture } from '../support/portal-fixture.js';
import { linkIn } from '../support/smtp-receiver.js';
import { postgresUnavailableReason, testDialects } from '../support/test-databases.js';
import { hiddenFields, textOf, WebClient, type WebPage } from '../support/web-client.js';

const ROOT_PASSWORD = 'cobalt meadow lantern river';
const PASSWORD = 'quiet orchard seven lamps';
const ADD = '/console/users/add';
const ADD_GROUPS = '/console/users/add/groups';
const postgresSkip = await postgresUnavailableReason();

const expectText = (page: WebPage, ...parts: string[]): void => {
  const text = textOf(page.html);
  for (const part of parts) expect(text, `page text:\n${text}`).toContain(part);
};

/** The details of a user as the first step of Add user takes them. */
const details = (userName: string, passwordSetup: 'send-email' | 'one-time-password' = 'send-email') => ({
  userName,
  email: `${userName}@example.com`,
  confirmEmail: `${userName}@example.com`,
  givenName: userName[0]?.toUpperCase() + userName.slice(1),
  familyName: 'Tester',
  displayName: `${userName[0]?.toUpperCase()}${userName.slice(1)} Tester`,
  passwordSetup,
});

/** Posts a form with repeated names (the ticked boxes of a checkbox list). */
const postPairs = (browser: WebClient, path: string, pairs: [string, string][], follow = true) =>
  browser.request('POST', path, new URLSearchParams(pairs), follow);

const pairsOf = (fields: Record<string, string>): [string, string][] => Object.entries(fields);

/** Retries a check until it holds (mail delivery runs beside the request). */
const eventually = async (check: () => Promise<boolean>, what: string): Promise<void> => {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never happened: ${what}`);
};

for (const dialect of testDialects()) {
  const skip = dialect === 'postgres' ? postgresSkip : undefined;
  describe.skipIf(skip !== undefined)(
    `the console's Users pages on ${dialect}${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let fixture: PortalFixture;
      let admin: WebClient;
      let teams: Record<string, string>;
      const userIds = new Map<string, string>();

      const userIdOf = async (userName: string): Promise<string> => {
        const known = userIds.get(userName);
        if (known !== undefined) return known;
        const found = await fixture.identity.send(
          new GetUserIdCommand({
            IdentityStoreId: fixture.storeId,
            AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: userName } },
          }),
        );
        userIds.set(userName, found.UserId ?? '');
        return found.UserId ?? '';
      };
      const userPage = async (userName: string, action = '') =>
        admin.get(`/console/users/${await userIdOf(userName)}${action}`);
      /** Submits one of the forms on the user's page (Resend invitation, Disable user, …). */
      const act = async (userName: string, action: string): Promise<WebPage> => {
        const path = `/console/users/${await userIdOf(userName)}/${action}`;
        return admin.post(path, hiddenFields((await userPage(userName)).html, path));
      };
      /** A token of the console session, for a form the page does not show right now. */
      const csrf = async () => ({
        _csrf: hiddenFields((await admin.get('/console/users')).html, '/console/sign-out')._csrf ?? '',
      });

      const portalSignIn = async (browser: WebClient, userName: string, password = PASSWORD) => {
        const first = await browser.get('/start');
        const passwordStep = await browser.submit(first, '/start/sign-in', { username: userName });
        return browser.submit(passwordStep, '/start/sign-in/password', { password });
      };
      const mailsTo = (address: string, subject?: string) =>
        fixture.receiver.received.filter(
          (m) => m.to.includes(address) && (subject === undefined || m.subject === subject),
        );

      beforeAll(async () => {
        fixture = await startPortalFixture(dialect === 'postgres' ? { database: 'postgres' } : {});
        // Enough groups that the groups step offers a search.
        teams = {};
        for (let i = 1; i <= 10; i++) {
          const name = `Team ${String(i).padStart(2, '0')}`;
          const group = await fixture.identity.send(
            new CreateGroupCommand({ IdentityStoreId: fixture.storeId, DisplayName: name }),
          );
          teams[name] = group.GroupId ?? '';
        }
        admin = new WebClient(fixture.server.url);
        await setUpConsoleRoot(fixture.server, admin, ROOT_PASSWORD);
        expect((await admin.get('/console/users')).status).toBe(200);
      }, 60_000);
      afterAll(async () => {
        await fixture?.close();
      });

      it('adds a user in two steps: details, Next: Groups (searchable, Previous keeps everything), Add user', async () => {
        const groupsStep = await admin.submit(await admin.get(ADD), ADD, details('nina'));
        expect(groupsStep.status).toBe(200);
        expectText(
          groupsStep,
          'Step 2 of 2',
          'Add user to groups',
          'nina@example.com',
          'Data Scientists',
          'Team 10',
        );
        expect(groupsStep.html).toContain('id="groupSearch"');
        const carried = hiddenFields(groupsStep.html, ADD_GROUPS);
        expect(carried).toMatchObject({
          userName: 'nina',
          displayName: 'Nina Tester',
          passwordSetup: 'send-email',
        });

        // Search by name, keeping a ticked group that does not match.
        const searched = await postPairs(admin, ADD_GROUPS, [
          ...pairsOf(carried),
          ['groupId', teams['Team 01'] ?? ''],
          ['groupSearch', 'data'],
          ['step', 'search'],
        ]);
        expect(searched.status).toBe(200);
        expectText(searched, 'Data Scientists', 'Team 01');
        expect(textOf(searched.html)).not.toContain('Team 02');
        expect(searched.html).toContain(`value="${teams['Team 01']}" checked`);

        // Previous: the details come back as typed, the ticks ride along to the next Next.
        const back = await postPairs(admin, ADD_GROUPS, [
          ...pairsOf(carried),
          ['groupId', teams['Team 01'] ?? ''],
          ['step', 'back'],
        ]);
        expectText(back, 'Step 1 of 2', 'Specify user details');
        expect(back.html).toContain('value="Nina Tester"');
        for (const value of ['nina', 'nina@example.com', 'Nina', 'Tester', 'Nina Tester']) {
          expect(back.html).toContain(`value="${value}"`);
        }
        // (A browser sends the text fields as shown; this client sends only the hidden ones by itself.)
        const again = await admin.submit(back, ADD, { ...details('nina'), displayName: 'Nina T.' });
        expect(again.html).toContain(`value="${teams['Team 01']}" checked`);
        expectText(again, 'Nina T.');

        const added = await postPairs(admin, ADD_GROUPS, [
          ...pairsOf(hiddenFields(again.html, ADD_GROUPS)),
          ['groupId', teams['Team 01'] ?? ''],
          ['groupId', fixture.groups.dataScientists],
          ['step', 'add'],
        ]);
        expect(added.status).toBe(201);
        expectText(added, 'nina was added', 'invitation to set a password was sent to nina@example.com');
        expectText(added, 'Groups: Data Scientists', 'Team 01');

        const userId = await userIdOf('nina');
        expect(added.html).toContain(`href="/console/users/${userId}"`);
        const user = await fixture.identity.send(
          new DescribeUserCommand({ IdentityStoreId: fixture.storeId, UserId: userId }),
        );
        expect(user).toMatchObject({
          UserName: 'nina',
          DisplayName: 'Nina T.',
          Name: { GivenName: 'Nina', FamilyName: 'Tester' },
          Emails: [{ Value: 'nina@example.com', Primary: true }],
          UserStatus: 'ENABLED',
        });
        const memberships = await fixture.identity.send(
          new ListGroupMembershipsForMemberCommand({
            IdentityStoreId: fixture.storeId,
            MemberId: { UserId: userId },
          }),
        );
        expect(memberships.GroupMemberships?.map((m) => m.GroupId).sort()).toEqual(
          [fixture.groups.dataScientists, teams['Team 01']].sort(),
        );
        await fixture.receiver.waitFor((m) => m.to.includes('nina@example.com'));
      });

      it('leaves no user behind when a picked group is deleted between the steps, and keeps what was typed', async () => {
        const groupsStep = await admin.submit(
          await admin.get(ADD),
          ADD,
          details('omar', 'one-time-password'),
        );
        await fixture.identity.send(
          new DeleteGroupCommand({ IdentityStoreId: fixture.storeId, GroupId: teams['Team 02'] }),
        );
        const refused = await postPairs(admin, ADD_GROUPS, [
          ...pairsOf(hiddenFields(groupsStep.html, ADD_GROUPS)),
          ['groupId', fixture.groups.dataScientists],
          ['groupId', teams['Team 02'] ?? ''],
        ]);
        expect(refused.status).toBe(400);
        expectText(
          refused,
          'The user was not added',
          `No group has the ID or display name ${teams['Team 02']}`,
        );
        expect(refused.html).toContain('role="alert"');
        expect(textOf(refused.html)).not.toContain('Team 02');
        expect(refused.html).toContain(`value="${fixture.groups.dataScientists}" checked`);
        const lookup = fixture.identity.send(
          new GetUserIdCommand({
            IdentityStoreId: fixture.storeId,
            AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'omar' } },
          }),
        );
        await expect(lookup).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

        // Without the group that is gone: added, with the one-time password shown once.
        const added = await admin.submit(refused, ADD_GROUPS, { groupId: fixture.groups.dataScientists });
        expect(added.status).toBe(201);
        expect(added.html).toMatch(/id="one-time-password">[A-Za-z0-9]{6}(-[A-Za-z0-9]{6}){3}</);
        const memberships = await fixture.identity.send(
          new ListGroupMembershipsForMemberCommand({
            IdentityStoreId: fixture.storeId,
            MemberId: { UserId: await userIdOf('omar') },
          }),
        );
        expect(memberships.GroupMemberships?.map((m) => m.GroupId)).toEqual([fixture.groups.dataScientists]);

        // A problem with the user itself goes back to the details, with everything kept.
        const taken = await admin.submit(await admin.get(ADD), ADD, {
          ...details('OMAR'),
          email: 'o2@example.com',
          confirmEmail: 'o2@example.com',
        });
        const duplicate = await postPairs(admin, ADD_GROUPS, [
          ...pairsOf(hiddenFields(taken.html, ADD_GROUPS)),
          ['groupId', teams['Team 03'] ?? ''],
        ]);
        expect(duplicate.status).toBe(400);
        expectText(
          duplicate,
          'Duplicate UserName: another user already has the username OMAR',
          'Next: Groups',
        );
        expect(duplicate.html).toContain('value="o2@example.com"');
        expect(hiddenFields(duplicate.html, ADD).groupId).toBe(teams['Team 03']);
      });

      it('lists users with sign-in, invitation and delivery states, searchable and paged', async () => {
        for (let i = 0; i < 26; i++) {
          await fixture.identity.send(
            new CreateUserCommand({
              IdentityStoreId: fixture.storeId,
              UserName: `page-${String(i).padStart(2, '0')}`,
              DisplayName: `Page ${i}`,
              Name: { GivenName: 'Page', FamilyName: `${i}` },
            }),
          );
        }
        await eventually(
          async () => textOf((await admin.get('/console/users?search=nina')).html).includes('pending sent'),
          'the invitation to nina shows as sent',
        );
        const nina = await admin.get('/console/users?search=NI');
        expectText(nina, 'nina Nina T. nina@example.com Enabled invited pending sent');
        expect(nina.html).toContain(`href="/console/users/${await userIdOf('nina')}"`);
        expectText(
          await admin.get('/console/users?search=omar'),
          'omar Omar Tester omar@example.com Enabled one-time password — —',
        );

        const first = await admin.get('/console/users?search=page-');
        expect(first.html.match(/<tr><td><a href="\/console\/users\//g)).toHaveLength(25);
        expectText(first, 'Enabled no password — —', 'Next page');
        const next =
          /href="(\/console\/users\?[^"]*next=[^"]+)"/.exec(first.html)?.[1]?.replace(/&amp;/g, '&') ?? '';
        const second = await admin.get(next);
        expect(second.html.match(/<tr><td><a href="\/console\/users\//g)).toHaveLength(1);
        expect(textOf(second.html)).not.toContain('Next page');
      });

      it("shows a user's profile, sign-in state, invitations with delivery, and groups; an unknown user is a 404", async () => {
        const page = await userPage('nina');
        expect(page.status).toBe(200);
        expectText(
          page,
          'Nina T. Enabled',
          'Username nina',
          'First name Nina',
          'Last name Tester',
          'Email address nina@example.com',
          'State invited',
          'Password None yet.',
          'No authenticator app registered.',
          'pending sent',
        );
        expect(page.html).toContain(
          `href="/console/groups/${fixture.groups.dataScientists}">Data Scientists</a>`,
        );
        expect(page.html).toContain(`href="/console/groups/${teams['Team 01']}">Team 01</a>`);
        for (const label of [
          'Reset password',
          'Disable user',
          'Sign out everywhere',
          'Delete user',
          'Resend invitation',
          'Revoke invitation',
        ]) {
          expect(textOf(page.html)).toContain(label);
        }
        const missing = await admin.get(
          `/console/users/${fixture.storeId.slice(2)}-00000000-0000-0000-0000-000000000000`,
        );
        expect(missing.status).toBe(404);
        expectText(missing, 'User not found', 'No user has the ID or user name');
      });

      it('resends and revokes an invitation, and says in words when it cannot', async () => {
        fixture.clock.advance(1000);
        const resent = await act('nina', 'resend-invitation');
        expectText(resent, 'A new invitation was sent to', 'The earlier link no longer works.');
        await eventually(async () => mailsTo('nina@example.com').length === 2, 'a second invitation to nina');
        expect(textOf(resent.html)).toMatch(/pending .*revoked .*Replaced on/);

        const revoked = await act('nina', 'revoke-invitation');
        expectText(revoked, 'The invitation was revoked: its link no longer works.');
        expect(textOf(revoked.html)).not.toContain('Revoke invitation');
        const [newest] = await fixture.server.server.app.services.invitations.listInvitations(
          fixture.scope,
          'nina',
        );
        expect(newest?.state).toBe('revoked');

        // The page was stale: nothing is pending any more.
        const again = await admin.post(
          `/console/users/${await userIdOf('nina')}/revoke-invitation`,
          await csrf(),
        );
        expect(again.status).toBe(400);
        expectText(again, 'User nina has no pending invitation.', 'Nina T.');

        // Someone who chose a password has no invitation to resend.
        await fixture.addActiveUser('pia', PASSWORD);
        const active = await admin.post(
          `/console/users/${await userIdOf('pia')}/resend-invitation`,
          await csrf(),
        );
        expect(active.status).toBe(400);
        expectText(
          active,
          'User pia has already chosen a password, so there is no invitation to resend.',
          'State active',
        );
      });

      it('resets a password by e-mail (not throttled like Forgot password?) or with a one-time password shown once', async () => {
        const form = await userPage('pia', '/reset-password');
        expectText(
          form,
          'Reset password for pia',
          'Send an e-mail to pia@example.com',
          'Generate a one-time password',
        );
        const action = `/console/users/${await userIdOf('pia')}/reset-password`;
        // The portal's "Forgot password?" sends at most 3 an hour; an admin is not guessing.
        for (let i = 0; i < 4; i++) {
          const sent = await admin.submit(form, action, { method: 'send-email' });
          expectText(sent, 'A password reset link was sent to pia@example.com. It works once, for an hour.');
        }
        await eventually(
          async () =>
            mailsTo('pia@example.com').filter((m) => m.text.includes('/start/reset-password')).length === 4,
          'four reset mails to pia',
        );
        const latest = mailsTo('pia@example.com')
          .filter((m) => m.text.includes('/start/reset-password'))
          .at(-1);
        const portal = new WebClient(fixture.server.url);
        expectText(
          await portal.get(linkIn(latest?.text ?? '', '/start/reset-password')),
          'Choose a new password',
        );

        const otp = await admin.submit(form, action, { method: 'one-time-password' });
        expect(otp.status).toBe(200);
        expectText(otp, 'pia has a new one-time password', 'shown only this once');
        const password = /id="one-time-password">([^<]+)</.exec(otp.html)?.[1] ?? '';
        expect(password).toMatch(/^[A-Za-z0-9]{6}(-[A-Za-z0-9]{6}){3}$/);
        expectText(await userPage('pia'), 'State one-time password');
        // The old password no longer works; the one-time one leads to choosing a new one.
        expect((await portalSignIn(new WebClient(fixture.server.url), 'pia')).status).toBe(401);
        expectText(
          await portalSignIn(new WebClient(fixture.server.url), 'pia', password),
          'Choose a new password',
        );
      });

      it('disables a user: their live portal sessions end and they cannot sign in; enabling lets them in again', async () => {
        await fixture.addActiveUser('quinn', PASSWORD, ['Data Scientists']);
        const laptop = new WebClient(fixture.server.url);
        const phone = new WebClient(fixture.server.url);
        expectText(await portalSignIn(laptop, 'quinn'), 'Welcome, Quinn Tester');
        expectText(await portalSignIn(phone, 'quinn'), 'Welcome, Quinn Tester');

        const disabled = await act('quinn', 'disable');
        // Choosing her password signed her in once already: three sessions in all.
        expectText(
          disabled,
          'quinn is disabled and cannot sign in. 3 portal sessions ended.',
          'Quinn Tester Disabled',
        );
        expectText(disabled, 'Enable user');
        expect(textOf(disabled.html)).not.toContain('Disable user');
        const described = await fixture.identity.send(
          new DescribeUserCommand({ IdentityStoreId: fixture.storeId, UserId: await userIdOf('quinn') }),
        );
        expect(described.UserStatus).toBe('DISABLED');
        expect(textOf((await laptop.get('/start')).html)).not.toContain('Welcome');
        const refused = await portalSignIn(new WebClient(fixture.server.url), 'quinn');
        expect(refused.status).toBe(401);
        expectText(refused, 'Incorrect username or password.');

        // A disabled user's reset link would not work: the console says so and keeps the choice.
        const reset = await admin.submit(
          await userPage('quinn', '/reset-password'),
          `/console/users/${await userIdOf('quinn')}/reset-password`,
          { method: 'send-email' },
        );
        expect(reset.status).toBe(400);
        expectText(reset, 'User quinn is disabled');
        expect(reset.html).toMatch(/value="send-email" checked/);

        const enabled = await act('quinn', 'enable');
        expectText(enabled, 'quinn is enabled and can sign in again.', 'Quinn Tester Enabled');
        const again = await fixture.identity.send(
          new DescribeUserCommand({ IdentityStoreId: fixture.storeId, UserId: await userIdOf('quinn') }),
        );
        expect(again.UserStatus).toBe('ENABLED');
        expectText(await portalSignIn(new WebClient(fixture.server.url), 'quinn'), 'Welcome, Quinn Tester');
        // The sessions that ended stay ended.
        expect(textOf((await phone.get('/start')).html)).not.toContain('Welcome');
      });

      it('signs a user out everywhere and says how many sessions ended', async () => {
        const browsers = [new WebClient(fixture.server.url), new WebClient(fixture.server.url)];
        for (const browser of browsers)
          expectText(await portalSignIn(browser, 'quinn'), 'Welcome, Quinn Tester');
        const ended = await act('quinn', 'sign-out-everywhere');
        // The one from the previous test is still open too.
        expectText(ended, 'quinn was signed out everywhere. 3 portal sessions ended.');
        for (const browser of browsers)
          expect(textOf((await browser.get('/start')).html)).not.toContain('Welcome');
        expectText(await act('quinn', 'sign-out-everywhere'), 'No portal session was open.');
      });

      it('deletes a user after a confirmation that says what goes with them and that Studio profiles stay', async () => {
        await fixture.addActiveUser('rita', PASSWORD, ['Data Scientists']);
        await fixture.createProfile('rita');
        const userId = await userIdOf('rita');
        const confirm = await userPage('rita', '/delete');
        expectText(
          confirm,
          'Delete user rita?',
          'cannot be undone',
          'their membership in the group: Data Scientists',
          'the applications assigned to rita directly',
          'their invitations, password and MFA authenticator',
          'signed out at once',
          `rita in ml-team (${fixture.domainId})`,
          'stay in their domains, as in AWS',
        );
        const deleted = await admin.submit(confirm, `/console/users/${userId}/delete`);
        expect(deleted.url).toMatch(/\/console\/users$/);
        expectText(deleted, 'User rita was deleted.');
        await expect(
          fixture.identity.send(
            new DescribeUserCommand({ IdentityStoreId: fixture.storeId, UserId: userId }),
          ),
        ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
        const profile = await fixture.sagemaker.send(
          new DescribeUserProfileCommand({ DomainId: fixture.domainId, UserProfileName: 'rita' }),
        );
        expect(profile.UserProfileName).toBe('rita');
        expect(profile.SingleSignOnUserValue).toBe('rita');

        // The confirmation sent twice: the user is gone, and the page says so.
        const twice = await admin.submit(confirm, `/console/users/${userId}/delete`);
        expect(twice.status).toBe(404);
        expectText(twice, 'User not found');
        expect((await admin.get(`/console/users/${userId}`)).status).toBe(404);
      });
    },
  );
}
