import { DescribeUserCommand, ListGroupMembershipsCommand } from '@aws-sdk/client-identitystore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeletedUserResponse, UserStatusResponse } from '../../src/web/admin/users.routes.js';
import { type PortalFixture, startPortalFixture } from '../support/portal-fixture.js';
import { runStudioSso, type StudioSsoResult } from '../support/run-cli.js';
import { textOf, WebClient, type WebPage } from '../support/web-client.js';

/** Each command starts a Node process: seconds apiece on a busy two-core machine. */
const CLI_TEST_TIMEOUT = 120_000;
const PASSWORD = 'copper meadow lantern';

const expectText = (page: WebPage, ...parts: string[]) => {
  const text = textOf(page.html);
  for (const part of parts) expect(text, `page ${page.url} (${page.status})`).toContain(part);
};

/** Signs the user in from a fresh browser (a laptop, a phone …) and returns the page it lands on. */
const signIn = async (browser: WebClient, userName: string, password = PASSWORD): Promise<WebPage> => {
  const passwordStep = await browser.submit(await browser.get('/start'), '/start/sign-in', {
    username: userName,
  });
  return browser.submit(passwordStep, '/start/sign-in/password', { password });
};

/** Whether the browser's portal session still stands: /start greets the user or asks for a name. */
const stillSignedIn = async (browser: WebClient): Promise<boolean> =>
  textOf((await browser.get('/start')).html).includes('Welcome,');

describe('studio-sso users disable, enable, delete and one-time-password, through the built command', () => {
  let fixture: PortalFixture;
  const cli = (...args: string[]): Promise<StudioSsoResult> => runStudioSso(fixture.server, args);
  const ok = async (...args: string[]): Promise<string> => {
    const result = await cli(...args);
    expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
    expect(result.stderr).toBe('');
    return result.stdout;
  };
  const fails = async (...args: string[]): Promise<string> => {
    const result = await cli(...args);
    expect(result.code, `${args.join(' ')} should fail\n${result.stdout}`).not.toBe(0);
    expect(result.stdout).toBe('');
    return result.stderr;
  };
  const userStatus = async (userId: string): Promise<string | undefined> =>
    (
      await fixture.identity.send(
        new DescribeUserCommand({ IdentityStoreId: fixture.storeId, UserId: userId }),
      )
    ).UserStatus;

  beforeAll(async () => {
    fixture = await startPortalFixture();
  }, CLI_TEST_TIMEOUT);
  afterAll(async () => {
    await fixture?.close();
  });

  it(
    'disables a user (the portal refuses them, their sessions end) and enables them again',
    async () => {
      const dana = (await fixture.addActiveUser('dana', PASSWORD, ['Data Scientists'])).user;
      const [laptop, phone] = [new WebClient(fixture.server.url), new WebClient(fixture.server.url)];
      for (const browser of [laptop, phone])
        expectText(await signIn(browser, 'dana'), 'Welcome, Dana Tester');

      // Three: the laptop, the phone, and the browser in which dana chose her password.
      expect(await ok('users', 'disable', '--user', 'dana')).toBe(
        'dana is disabled and cannot sign in; ended 3 sessions.\n',
      );
      expect(await userStatus(dana.userId)).toBe('DISABLED');
      for (const browser of [laptop, phone]) expect(await stillSignedIn(browser)).toBe(false);
      // The right password no longer opens the portal, and says no more than a wrong one would.
      const refused = await signIn(new WebClient(fixture.server.url), 'dana');
      expect(refused.status).toBe(401);
      expectText(refused, 'Incorrect username or password.');

      // Disabling again is no error, and there is nothing left to end. By ID works as by name.
      const again = JSON.parse(await ok('users', 'disable', dana.userId, '--json')) as UserStatusResponse;
      expect(again).toMatchObject({ user: { userName: 'dana', status: 'DISABLED' }, sessionsEnded: 0 });

      const enabled = JSON.parse(
        await ok('users', 'enable', '--user', 'DANA', '--json'),
      ) as UserStatusResponse;
      expect(enabled).toMatchObject({
        user: { userId: dana.userId, userName: 'dana', status: 'ENABLED', email: 'dana@example.com' },
        sessionsEnded: 0,
      });
      expect(await userStatus(dana.userId)).toBe('ENABLED');
      // The ended sessions stay ended; a new sign-in works.
      expect(await stillSignedIn(laptop)).toBe(false);
      expectText(await signIn(laptop, 'dana'), 'Welcome, Dana Tester');
      expect(await ok('users', 'enable', 'dana')).toBe('dana is enabled and can sign in again.\n');
      expect(await stillSignedIn(laptop)).toBe(true);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    "answers in the service's words when the user is unknown or not named, and changes nothing",
    async () => {
      for (const command of ['disable', 'enable', 'delete']) {
        expect(await fails('users', command, '--user', 'nobody')).toBe(
          'studio-sso: User nobody does not exist. (USER_NOT_FOUND)\n',
        );
        expect(await fails('users', command)).toContain(
          `studio-sso: name the user: studio-sso users ${command} --user <user>`,
        );
      }
      expect(
        await fails('users', 'disable', '--user', 'dana', '--identity-store-id', 'd-0000000000'),
      ).toContain('(IDENTITY_STORE_NOT_FOUND)');
      const help = await ok('users', '--help');
      for (const command of ['disable', 'enable', 'delete', 'sign-out'])
        expect(help).toMatch(new RegExp(`\\n\\s+${command} \\[options\\] \\[user\\]`));
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'deletes a user with their memberships and sessions; the AWS API no longer finds them',
    async () => {
      const eli = (await fixture.addActiveUser('eli', PASSWORD, ['Data Scientists', 'Interns'])).user;
      const browser = new WebClient(fixture.server.url);
      expectText(await signIn(browser, 'eli'), 'Welcome, Eli Tester');

      expect(await ok('users', 'delete', '--user', 'eli')).toBe(
        [
          `Deleted eli (Eli Tester) <eli@example.com>, user ID ${eli.userId}.`,
          'Their group memberships, direct application assignments, invitations, password, MFA and',
          'portal sessions went with them. Their SageMaker Studio user profiles (if any) stay in their',
          'domains: remove them with `aws sagemaker delete-user-profile` if no longer needed.',
          '',
        ].join('\n'),
      );
      const gone = await fixture.identity
        .send(new DescribeUserCommand({ IdentityStoreId: fixture.storeId, UserId: eli.userId }))
        .catch((error: Error) => error.name);
      expect(gone).toBe('ResourceNotFoundException');
      for (const groupId of Object.values(fixture.groups)) {
        const { GroupMemberships } = await fixture.identity.send(
          new ListGroupMembershipsCommand({ IdentityStoreId: fixture.storeId, GroupId: groupId }),
        );
        expect(GroupMemberships?.some((m) => m.MemberId?.UserId === eli.userId)).toBe(false);
      }
      expect(await stillSignedIn(browser)).toBe(false);
      expect(await fails('users', 'delete', 'eli')).toBe(
        'studio-sso: User eli does not exist. (USER_NOT_FOUND)\n',
      );

      const fay = (await fixture.addUser('fay')).user;
      const deleted = JSON.parse(await ok('users', 'delete', fay.userId, '--json')) as DeletedUserResponse;
      expect(deleted.user).toMatchObject({ userId: fay.userId, userName: 'fay', displayName: 'Fay Tester' });
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'ends every portal session of a user whose password an admin resets to a one-time password',
    async () => {
      await fixture.addActiveUser('gil', PASSWORD);
      const [laptop, phone] = [new WebClient(fixture.server.url), new WebClient(fixture.server.url)];
      for (const browser of [laptop, phone]) expectText(await signIn(browser, 'gil'), 'Welcome, Gil Tester');
      const bystander = new WebClient(fixture.server.url);
      await fixture.addActiveUser('hal', PASSWORD);
      expectText(await signIn(bystander, 'hal'), 'Welcome, Hal Tester');

      const text = await ok('users', 'one-time-password', 'gil');
      expect(text).toContain(
        'Their access portal sessions have ended: whoever was signed in as gil must sign in again.',
      );
      const otp = /shown only now\): (\S+)/.exec(text)?.[1] ?? '';
      for (const browser of [laptop, phone]) expect(await stillSignedIn(browser)).toBe(false);
      expect(await stillSignedIn(bystander)).toBe(true);
      // The old password is over too; the one-time one leads to choosing a new password.
      expectText(await signIn(new WebClient(fixture.server.url), 'gil'), 'Incorrect username or password.');
      expectText(await signIn(laptop, 'gil', otp), 'Choose a new password');
    },
    CLI_TEST_TIMEOUT,
  );
});
