import { CreateInstanceCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../../src/cli/admin-client.js';
import type { ConsoleSetupLinkResponse } from '../../src/web/admin/console.routes.js';
import { runStudioSso } from '../support/run-cli.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { hiddenFields, textOf, WebClient, type WebPage } from '../support/web-client.js';

const PASSWORD = 'violet harbour compass lantern';

/** Follows a side-navigation link by its name, as a person clicks it. */
const clickNav = (browser: WebClient, page: WebPage, name: string): Promise<WebPage> => {
  const nav = /<nav class="side-nav"[\s\S]*?<\/nav>/.exec(page.html)?.[0] ?? '';
  const href = new RegExp(`<a href="([^"]+)"[^>]*>${name}</a>`).exec(nav)?.[1];
  if (href === undefined) throw new Error(`no "${name}" in the side navigation of ${page.url}`);
  return browser.get(href);
};

describe('the console over HTTP', () => {
  let server: TestServer;
  let admin: AdminClient;
  let rootEmail: string;

  beforeAll(async () => {
    server = await startTestServer();
    admin = new AdminClient({ endpoint: server.url, region: server.region, credentials: server.credentials });
    rootEmail = server.server.app.services.consoleAdmin.rootEmail();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses every admin page and action without a console session', async () => {
    const browser = new WebClient(server.url);
    const signIn = await browser.get('/console');
    expect(textOf(signIn.html)).toContain('No root password is set yet');
    const csrf = hiddenFields(signIn.html, '/console/sign-in');
    const routes = server.server.app.consoleRoutes.filter((route) => route.admin);
    expect(routes.length).toBeGreaterThanOrEqual(3);
    for (const route of routes) {
      // Route parameters get values that look real: the guard must refuse before any lookup.
      const path = route.path.replace(/:[A-Za-z]+/g, 'x-1');
      const page =
        route.method === 'GET'
          ? await browser.request('GET', path, undefined, false)
          : // A post with a valid CSRF token but no session changes nothing: back to sign-in.
            await browser.post(path, { ...csrf, userName: 'mallory', displayName: 'mallory' }, false);
      expect(page.status, `${route.method} ${route.path}`).toBe(303);
      expect(page.location, `${route.method} ${route.path}`).toBe('/console');
    }
  });

  it('sets the root password through a one-time setup link, then signs in, adds users and signs out', async () => {
    const link = await admin.post<ConsoleSetupLinkResponse>('/console/setup-link', {});
    expect(link.rootEmail).toBe(rootEmail);
    const url = new URL(link.setupUrl);
    expect(url.pathname).toBe('/console/setup');
    expect(url.searchParams.get('token')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const browser = new WebClient(server.url);
    const setup = await browser.get(`${url.pathname}${url.search}`);
    expect(setup.status).toBe(200);
    expect(textOf(setup.html)).toContain(`as ${rootEmail}`);
    const weak = await browser.submit(setup, '/console/setup', {
      newPassword: 'short',
      confirmPassword: 'short',
    });
    expect(weak.status).toBe(400);
    expect(textOf(weak.html)).toContain('12');
    const landing = await browser.submit(weak, '/console/setup', {
      newPassword: PASSWORD,
      confirmPassword: PASSWORD,
    });
    expect(landing.url).toMatch(/\/console\/identity-center$/);
    const users = await clickNav(browser, landing, 'Users');
    expect(users.url).toMatch(/\/console\/users$/);
    expect(textOf(users.html)).toContain('IAM Identity Center is not enabled');
    // The setup link works once.
    expect((await new WebClient(server.url).get(`${url.pathname}${url.search}`)).status).toBe(400);

    // The console's session is not the portal's.
    expect([...browser.cookies.keys()]).toContain('studio-sso-console');
    expect([...browser.cookies.keys()]).not.toContain('studio-sso-session');

    const ssoAdmin = new SSOAdminClient(server.sdkConfig());
    await ssoAdmin.send(new CreateInstanceCommand({}));
    ssoAdmin.destroy();

    // A fresh browser signs in with the root e-mail (any case) and the password.
    const other = new WebClient(server.url);
    const signInPage = await other.get('/console');
    const wrong = await other.submit(signInPage, '/console/sign-in', { email: rootEmail, password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(textOf(wrong.html)).toContain('do not match');
    expect(wrong.html).toContain(`value="${rootEmail}"`);
    const signedIn = await other.submit(wrong, '/console/sign-in', {
      email: rootEmail.toUpperCase(),
      password: PASSWORD,
    });
    expect(signedIn.url).toMatch(/\/console\/identity-center$/);
    const list = await clickNav(other, signedIn, 'Users');
    expect(textOf(list.html)).toContain('No users');

    // Add a user with an invitation e-mail: details → Next: Groups → Add user (no groups).
    const form = await other.get('/console/users/add');
    const groupsStep = await other.submit(form, '/console/users/add', {
      userName: 'ada',
      email: 'ada@example.com',
      confirmEmail: 'ada@example.com',
      givenName: 'Ada',
      familyName: 'Lovelace',
      displayName: 'Ada Lovelace',
      passwordSetup: 'send-email',
    });
    expect(groupsStep.status).toBe(200);
    const added = await other.submit(groupsStep, '/console/users/add/groups');
    expect(added.status).toBe(201);
    expect(textOf(added.html)).toContain(
      'An invitation to set a password is in the Outbox for ada@example.com',
    );
    const outbox = await server.server.app.services.outbox.listMessages({ limit: 500 });
    expect(outbox.items.some((m) => m.to === 'ada@example.com')).toBe(true);

    // And one with a one-time password, shown once.
    const otpGroups = await other.submit(await other.get('/console/users/add'), '/console/users/add', {
      userName: 'Adrian',
      email: 'adrian@example.com',
      confirmEmail: 'adrian@example.com',
      givenName: 'Adrian',
      familyName: 'Smith',
      displayName: 'Adrian Smith',
      passwordSetup: 'one-time-password',
    });
    const otp = await other.submit(otpGroups, '/console/users/add/groups');
    expect(otp.status).toBe(201);
    expect(otp.html).toMatch(/id="one-time-password">[A-Za-z0-9]{6}(-[A-Za-z0-9]{6}){3}</);

    // A validation error is shown in words, with what was typed kept.
    const mismatch = await other.submit(await other.get('/console/users/add'), '/console/users/add', {
      userName: 'grace<b>',
      email: 'grace@example.com',
      confirmEmail: 'grace@example.org',
      givenName: 'Grace',
      familyName: 'Hopper',
      displayName: 'Grace Hopper',
      passwordSetup: 'one-time-password',
    });
    expect(mismatch.status).toBe(400);
    expect(textOf(mismatch.html)).toContain('The e-mail addresses do not match');
    expect(mismatch.html).toContain('value="grace&lt;b&gt;"');
    expect(mismatch.html).toContain('value="grace@example.org"');
    expect(mismatch.html).toMatch(/value="one-time-password" checked/);
    // A service error too, at the last step: the e-mail address is in use.
    const duplicateGroups = await other.submit(mismatch, '/console/users/add', {
      userName: 'ada2',
      email: 'ada@example.com',
      confirmEmail: 'ada@example.com',
      givenName: 'Ada',
      familyName: 'Again',
      displayName: 'Ada Again',
    });
    const duplicate = await other.submit(duplicateGroups, '/console/users/add/groups');
    expect(duplicate.status).toBe(400);
    expect(textOf(duplicate.html)).toContain('Another user already has the e-mail address ada@example.com');
    expect(duplicate.html).toContain('value="Ada Again"');

    // The list: search by user name prefix in any case, with invitation and delivery states.
    const all = textOf((await other.get('/console/users')).html);
    expect(all).toContain('ada');
    expect(all).toContain('Adrian');
    const search = textOf((await other.get('/console/users?search=AD')).html);
    expect(search).toMatch(/ada Ada Lovelace ada@example\.com Enabled invited pending (queued|kept|sent)/);
    expect(search).toContain('Adrian Smith adrian@example.com Enabled one-time password');
    const narrow = textOf((await other.get('/console/users?search=adr')).html);
    expect(narrow).toContain('Adrian');
    expect(narrow).not.toContain('Ada Lovelace');

    // A notice is shown once, and only one this server wrote for this session: a cookie planted by
    // anyone else (another service on the host, over plain HTTP) is ignored.
    const adaPath = /href="(\/console\/users\/[^"]+)">ada</.exec(
      (await other.get('/console/users?search=ada')).html,
    )?.[1];
    expect(adaPath).toBeDefined();
    const adaPage = await other.get(adaPath as string);
    const notice = '<div class="alert ok" role="status">';
    const disabled = await other.submit(adaPage, `${adaPath}/disable`);
    expect(disabled.html).toContain(notice);
    expect((await other.get(adaPath as string)).html).not.toContain(notice);
    const forged = 'Your session expired: sign in again at http://evil.example/console';
    for (const value of [
      forged,
      `x.${forged}`,
      `${/^[^.]+/.exec(other.cookies.get('studio-sso-console') ?? '')?.[0]}.${forged}`,
    ]) {
      other.cookies.set('studio-sso-console-notice', value);
      const page = (await other.get('/console/users')).html;
      expect(page).not.toContain('evil.example');
      expect(page).not.toContain(notice);
    }

    // A form without its CSRF token, or with another browser's, is refused.
    const noToken = await other.post('/console/users/add', { userName: 'eve', passwordSetup: 'send-email' });
    expect(noToken.status).toBe(403);
    expect(textOf(noToken.html)).toContain('This form has expired');
    const stolen = await other.post('/console/sign-out', hiddenFields(users.html, '/console/sign-out'));
    expect(stolen.status).toBe(403);

    // Sign out: the session ends, and its cookie no longer opens the console.
    const cookie = other.cookies.get('studio-sso-console') ?? '';
    const signedOut = await other.submit(await other.get('/console/users'), '/console/sign-out');
    expect(signedOut.url).toMatch(/\/console$/);
    expect(textOf(signedOut.html)).toContain('Console sign-in');
    const replay = await fetch(`${server.url}/console/users`, {
      headers: { cookie: `studio-sso-console=${cookie}` },
      redirect: 'manual',
    });
    expect(replay.status).toBe(303);

    // The first browser's session is still live (its own sign-out is separate).
    expect((await browser.get('/console/users')).status).toBe(200);
  });

  it('prints a new setup link with studio-sso admin reset-password, and the old links stop working', async () => {
    const earlier = await server.server.app.services.consoleAdmin.issueSetupLink();
    const result = await runStudioSso(server, ['admin', 'reset-password']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`console password of ${rootEmail}`);
    const printed = /(http\S+\/console\/setup\?token=[A-Za-z0-9_-]{43})/.exec(result.stdout)?.[1] ?? '';
    const url = new URL(printed);
    const earlierUrl = new URL(earlier.url);
    const browser = new WebClient(server.url);
    expect((await browser.get(`${earlierUrl.pathname}${earlierUrl.search}`)).status).toBe(400);
    const setup = await browser.get(`${url.pathname}${url.search}`);
    const landing = await browser.submit(setup, '/console/setup', {
      newPassword: 'second granite meadow falcon',
      confirmPassword: 'second granite meadow falcon',
    });
    expect(landing.url).toMatch(/\/console\/identity-center$/);
    const other = new WebClient(server.url);
    const old = await other.submit(await other.get('/console'), '/console/sign-in', {
      email: rootEmail,
      password: PASSWORD,
    });
    expect(old.status).toBe(401);
  });
});
