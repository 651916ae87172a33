import { CreateInstanceCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../../src/cli/admin-client.js';
import { ManualClock } from '../../src/core/clock.js';
import type { AddUserResponse } from '../../src/web/admin/users.routes.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { textOf, WebClient } from '../support/web-client.js';

describe('the server-rendered pages over HTTP', () => {
  let server: TestServer;
  const clock = new ManualClock();
  const start = clock.now();

  beforeAll(async () => {
    server = await startTestServer({ clock });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('say the portal is not available before IAM Identity Center is enabled', async () => {
    const page = await new WebClient(server.url).get('/start');
    expect(page.status).toBe(503);
    expect(textOf(page.html)).toContain('The access portal is not available yet');
  });

  it('serve their stylesheet, cacheable under its version', async () => {
    const page = await new WebClient(server.url).get('/start');
    const href = /href="(\/assets\/studio-sso\.css\?v=[0-9a-f]{12})"/.exec(page.html)?.[1] ?? '';
    const css = await fetch(`${server.url}${href}`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toContain('immutable');
    expect(await css.text()).toContain('.card');
  });

  it('leave form-encoded POST / to the AWS protocols and parse forms only for pages', async () => {
    const aws = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListStacks&Version=2010-05-15',
    });
    expect(aws.status).toBe(403);
    // The Query protocol (CloudFormation) answers in XML.
    expect(await aws.text()).toContain('<Code>MissingAuthenticationToken</Code>');

    const json = await fetch(`${server.url}/start/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username":"x"}',
    });
    expect(json.status).toBe(403);
    expect(json.headers.get('content-type')).toBe('text/html; charset=utf-8');

    const huge = await fetch(`${server.url}/start/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `username=${'x'.repeat(2 * 1024 * 1024)}`,
    });
    expect(huge.status).toBe(413);
    expect(textOf(await huge.text())).toContain('The form sent more data than the server accepts.');
  });

  it('end a session at its expiry and when its user is deleted', async () => {
    const ssoAdmin = new SSOAdminClient(server.sdkConfig());
    await ssoAdmin.send(new CreateInstanceCommand({}));
    ssoAdmin.destroy();
    const admin = new AdminClient({
      endpoint: server.url,
      region: server.region,
      credentials: server.credentials,
    });
    const signIn = async (userName: string) => {
      const added = await admin.post<AddUserResponse>('/users', {
        userName,
        email: `${userName}@example.com`,
        givenName: 'Session',
        familyName: 'Tester',
        displayName: `${userName} Tester`,
        passwordSetup: 'one-time-password',
      });
      const browser = new WebClient(server.url);
      const passwordPage = await browser.submit(await browser.get('/start'), '/start/sign-in', {
        username: userName,
      });
      const choose = await browser.submit(passwordPage, '/start/sign-in/password', {
        password: added.oneTimePassword?.password ?? '',
      });
      const portal = await browser.submit(choose, '/start/choose-password', {
        newPassword: 'quiet amber lighthouse',
        confirmPassword: 'quiet amber lighthouse',
      });
      expect(textOf(portal.html)).toContain(`Welcome, ${userName} Tester`);
      return { browser, userId: added.user.userId, identityStoreId: added.user.identityStoreId };
    };

    const { browser } = await signIn('olga');
    try {
      clock.advance(8 * 60 * 60_000 - 60_000);
      expect(textOf((await browser.get('/start')).html)).toContain('Welcome, olga Tester');
      clock.advance(2 * 60_000);
      expect(textOf((await browser.get('/start')).html)).toContain('Username');
    } finally {
      clock.set(start);
    }

    const peter = await signIn('peter');
    await server.server.app.services.identityStore.deleteUser(
      { accountId: server.accountId, region: server.region, principalArn: 'arn:aws:iam::000000000000:root' },
      peter.identityStoreId,
      peter.userId,
    );
    expect(textOf((await peter.browser.get('/start')).html)).toContain('Username');
  });
});
