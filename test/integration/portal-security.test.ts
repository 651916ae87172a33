import { CreateApplicationAssignmentCommand, CreateApplicationCommand } from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { ManualClock } from '../../src/core/clock.js';
import { base32Decode, totp } from '../../src/modules/portal/totp.js';
import type { MfaResponse, SignOutResponse } from '../../src/web/admin/portal.routes.js';
import { httpsFetch, selfSignedCertificate } from '../support/https-fetch.js';
import { type PortalFixture, startPortalFixture } from '../support/portal-fixture.js';
import { runStudioSso } from '../support/run-cli.js';
import { postgresUnavailableReason, testDialects } from '../support/test-databases.js';
import { startTestServer } from '../support/test-server.js';
import { hiddenFields, textOf, WebClient, type WebPage } from '../support/web-client.js';

const postgresSkip = await postgresUnavailableReason();
const PASSWORD = 'velvet orchard lantern';
const MINUTE = 60_000;

const expectText = (page: WebPage, ...parts: string[]) => {
  const text = textOf(page.html);
  for (const part of parts) expect(text, `page ${page.url} (${page.status})`).toContain(part);
};

/** The password step's page for the user name, in this browser. */
const passwordPage = async (browser: WebClient, userName: string): Promise<WebPage> => {
  const first = await browser.get('/start');
  return browser.submit(first, '/start/sign-in', { username: userName });
};

const signIn = async (browser: WebClient, userName: string, password = PASSWORD): Promise<WebPage> =>
  browser.submit(await passwordPage(browser, userName), '/start/sign-in/password', { password });

const SESSION = 'studio-sso-session';

for (const dialect of testDialects()) {
  const skip = dialect === 'postgres' ? postgresSkip : undefined;
  describe.skipIf(skip !== undefined)(
    `access portal security on ${dialect}${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let fixture: PortalFixture;
      let address = 0;
      /** A browser behind the trusted proxy, from an address of its own (TEST-NET-3). */
      const browserFrom = (ip = `203.0.113.${++address}`, headers: Record<string, string> = {}) =>
        new WebClient(fixture.server.url, { headers: { 'x-forwarded-for': ip, ...headers } });

      beforeAll(async () => {
        // Behind a (pretend) TLS proxy: X-Forwarded-For tells the browsers apart.
        fixture = await startPortalFixture({ database: dialect, env: { STUDIO_SSO_TRUST_PROXY: 'true' } });
        await fixture.addActiveUser('alice', PASSWORD, ['Data Scientists']);
        await fixture.createProfile('alice');
        await fixture.addActiveUser('carol', PASSWORD, ['Interns']);
      }, 120_000);
      afterAll(async () => {
        await fixture?.close();
      });

      it('locks a user name after five failures, however many attempts arrive at once', async () => {
        await fixture.addActiveUser('lock', PASSWORD);
        const browser = browserFrom();
        const page = await passwordPage(browser, 'lock');
        const answers = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            browser.submit(page, '/start/sign-in/password', { password: `not it ${i}` }),
          ),
        );
        const statuses = answers.map((a) => a.status).sort();
        expect(statuses.filter((s) => s === 401)).toHaveLength(5);
        expect(statuses.filter((s) => s === 429)).toHaveLength(7);
        const refused = answers.find((a) => a.status === 429);
        expectText(refused as WebPage, 'Too many attempts, try again in 15 minutes.');
        expect(refused?.headers.get('retry-after')).toBe('900');

        // Locked: the right password too, from anywhere; a name that does not exist locks the same way.
        const right = await signIn(browserFrom(), 'lock');
        expect(right.status).toBe(429);
        expect(browser.cookies.has(SESSION)).toBe(false);
        const ghost = browserFrom();
        const ghostPage = await passwordPage(ghost, 'nobody-here');
        const ghostAnswers = [];
        for (let i = 0; i < 6; i++) {
          ghostAnswers.push(
            (await ghost.submit(ghostPage, '/start/sign-in/password', { password: 'x' })).status,
          );
        }
        expect(ghostAnswers).toEqual([401, 401, 401, 401, 401, 429]);

        fixture.clock.advance(5 * MINUTE);
        try {
          const later = await signIn(browserFrom(), 'lock');
          expectText(later, 'Too many attempts, try again in 10 minutes.');
          fixture.clock.advance(10 * MINUTE);
          const unlocked = await signIn(browserFrom(), 'lock');
          expect(unlocked.status).toBe(200);
          expectText(unlocked, 'Welcome, Lock Tester');
          // A success forgets the failures: five more tries before the next lock.
          const again = browserFrom();
          const againPage = await passwordPage(again, 'lock');
          for (let i = 0; i < 4; i++) {
            expect(
              (await again.submit(againPage, '/start/sign-in/password', { password: 'no' })).status,
            ).toBe(401);
          }
        } finally {
          // SigV4 allows 15 minutes of skew; the admin calls sign with the real time.
          fixture.clock.advance(-15 * MINUTE);
        }
      });

      it('throttles an address after 30 failures across user names, and forgets it 15 minutes later', async () => {
        const ip = '198.51.100.77';
        const attacker = browserFrom(ip);
        const first = await attacker.get('/start');
        const csrf = hiddenFields(first.html, '/start/sign-in');
        const answers = await Promise.all(
          Array.from({ length: 36 }, (_, i) =>
            attacker.post('/start/sign-in/password', {
              ...csrf,
              username: `guess-${i}`,
              password: 'hunter2',
            }),
          ),
        );
        const statuses = answers.map((a) => a.status);
        expect(statuses.filter((s) => s === 401)).toHaveLength(30);
        expect(statuses.filter((s) => s === 429)).toHaveLength(6);
        // From that address even a right password waits; from another one, it works.
        expect((await signIn(browserFrom(ip), 'alice')).status).toBe(429);
        expectText(await signIn(browserFrom(), 'alice'), 'Welcome, Alice Tester');
        fixture.clock.advance(15 * MINUTE);
        try {
          expectText(await signIn(browserFrom(ip), 'alice'), 'Welcome, Alice Tester');
        } finally {
          fixture.clock.advance(-15 * MINUTE);
        }
      });

      it('refuses every form without this browser’s CSRF token', async () => {
        const browser = browserFrom();
        const stranger = browserFrom();
        const strangerStart = await stranger.get('/start');
        const foreign = hiddenFields(strangerStart.html, '/start/sign-in')._csrf ?? '';
        await browser.get('/start');
        const forms: [string, Record<string, string>][] = [
          ['/start/sign-in', { username: 'alice' }],
          ['/start/sign-in/password', { username: 'alice', password: PASSWORD }],
          ['/start/sign-in/mfa', { ticket: 'x'.repeat(43), code: '123456' }],
          ['/start/sign-in/mfa-setup', { ticket: 'x'.repeat(43), code: '123456' }],
          ['/start/forgot-password', { username: 'alice' }],
          [
            '/start/reset-password',
            { token: 'x'.repeat(43), newPassword: PASSWORD, confirmPassword: PASSWORD },
          ],
          [
            '/start/choose-password',
            { ticket: 'x'.repeat(43), newPassword: PASSWORD, confirmPassword: PASSWORD },
          ],
        ];
        for (const [action, fields] of forms) {
          for (const token of [undefined, foreign, 'forged']) {
            const answer = await browser.post(
              action,
              token === undefined ? fields : { ...fields, _csrf: token },
            );
            expect(answer.status, `${action} with ${token ?? 'no token'}`).toBe(403);
            expectText(answer, 'This form has expired');
          }
        }
        expect(browser.cookies.has(SESSION)).toBe(false);

        // Signed in: sign-out and the MFA settings forms need the token of this session.
        const portal = await signIn(browser, 'alice');
        expectText(portal, 'Welcome, Alice Tester');
        const beforeSignIn = hiddenFields(strangerStart.html, '/start/sign-in')._csrf ?? '';
        for (const action of [
          '/start/sign-out',
          '/start/security/mfa',
          '/start/security/recovery-codes',
          '/start/security/mfa/remove',
        ]) {
          const answer = await browser.post(action, { _csrf: beforeSignIn, code: '123456' });
          expect(answer.status, action).toBe(403);
        }
        expectText(await browser.get('/start'), 'Welcome, Alice Tester');
        const signedOut = await browser.submit(portal, '/start/sign-out');
        expectText(signedOut, 'You have signed out.', 'Username');
        expect(browser.cookies.has(SESSION)).toBe(false);
      });

      it('asks for the MFA code before any session, and accepts each code once, even in parallel', async () => {
        await fixture.addActiveUser('mfa', PASSWORD, ['Data Scientists']);
        const browser = browserFrom();
        await signIn(browser, 'mfa');
        const register = await browser.get('/start/security/mfa');
        expectText(register, 'Register an authenticator app');
        const key = /id="secret-key">([A-Z2-7 ]+)</.exec(register.html)?.[1] ?? '';
        const secret = base32Decode(key);
        if (secret === undefined) throw new Error(`no key in ${textOf(register.html)}`);
        const code = () => totp(secret, fixture.clock.now().getTime());
        const codes = await browser.submit(register, '/start/security/mfa', { code: code() });
        expectText(codes, 'Save your recovery codes');
        const mfa = (await fixture.admin.get<MfaResponse>('/users/mfa/mfa')) as MfaResponse;
        expect(mfa).toMatchObject({ userName: 'mfa', enrolled: true, recoveryCodesLeft: 10 });

        // The registering code is spent; its time step cannot sign in.
        const fresh = browserFrom();
        const mfaStep = await signIn(fresh, 'mfa');
        expectText(mfaStep, 'Additional verification required', 'MFA code');
        expect(fresh.cookies.has(SESSION)).toBe(false);
        const replayed = await fresh.submit(mfaStep, '/start/sign-in/mfa', { code: code() });
        expect(replayed.status).toBe(401);
        expectText(replayed, 'That code was already used.');

        // Two browsers, the same new code at once: exactly one gets in.
        fixture.clock.advance(30_000);
        const other = browserFrom();
        const otherStep = await signIn(other, 'mfa');
        const next = code();
        const [a, b] = await Promise.all([
          fresh.submit(mfaStep, '/start/sign-in/mfa', { code: next }),
          other.submit(otherStep, '/start/sign-in/mfa', { code: next }),
        ]);
        expect([a.status, b.status].sort()).toEqual([200, 401]);
        expect([fresh, other].filter((c) => c.cookies.has(SESSION))).toHaveLength(1);
        // The MFA step's ticket is single-use as well.
        const winner =
          a.status === 200 ? { browser: fresh, step: mfaStep } : { browser: other, step: otherStep };
        fixture.clock.advance(30_000);
        const reused = await winner.browser.submit(winner.step, '/start/sign-in/mfa', { code: code() });
        expect(reused.status).toBe(403); // the form's CSRF token belonged to the browser before sign-in
        const reusedTicket = await browserFrom().post('/start/sign-in/mfa', {
          ...hiddenFields(winner.step.html, '/start/sign-in/mfa'),
        });
        expect(reusedTicket.status).toBe(403);

        // A whole sign-in forgets the name's attempts; then wrong codes count like wrong passwords.
        fixture.clock.advance(30_000);
        const whole = browserFrom();
        expectText(
          await whole.submit(await signIn(whole, 'mfa'), '/start/sign-in/mfa', { code: code() }),
          'Welcome, Mfa Tester',
        );
        const guesser = browserFrom();
        const guessStep = await signIn(guesser, 'mfa');
        const guesses = [];
        for (let i = 0; i < 5; i++) {
          guesses.push(
            (await guesser.submit(guessStep, '/start/sign-in/mfa', { code: String(100000 + i) })).status,
          );
        }
        expect(guesses).toEqual([401, 401, 401, 401, 429]);
        const reset = await runStudioSso(fixture.server, ['users', 'reset-mfa', 'mfa']);
        expect(reset.stdout).toContain('Removed the authenticator app of mfa');
      });

      it('ends every session of a user when an admin signs them out', async () => {
        const laptop = browserFrom();
        const phone = browserFrom();
        expectText(await signIn(laptop, 'alice'), 'Welcome, Alice Tester');
        expectText(await signIn(phone, 'alice'), 'Welcome, Alice Tester');
        const result = await runStudioSso(fixture.server, ['users', 'sign-out', '--user', 'alice', '--json']);
        expect(result.stderr).toBe('');
        const ended = JSON.parse(result.stdout) as SignOutResponse;
        expect(ended).toMatchObject({ userName: 'alice' });
        expect(ended.sessionsEnded).toBeGreaterThanOrEqual(2);
        for (const browser of [laptop, phone]) {
          const page = await browser.get('/start');
          expectText(page, 'Username', 'Next');
          expect(textOf(page.html)).not.toContain('Welcome');
          expect((await browser.get(`/studio/${fixture.domainId}`)).url).toMatch(/\/start$/);
        }
        const text = await runStudioSso(fixture.server, ['users', 'sign-out', 'alice']);
        expect(text.stdout).toBe('Ended 0 sessions of alice; they must sign in again.\n');
        const unknown = await runStudioSso(fixture.server, ['users', 'sign-out', '--user', 'nobody']);
        expect(unknown.code).toBe(1);
        const required = await runStudioSso(fixture.server, ['settings', 'set', '--mfa-required', 'on']);
        expect(required.stdout).toContain('MFA required:             on');
        const optional = await runStudioSso(fixture.server, [
          'settings',
          'set',
          '--mfa-required',
          'off',
          '--json',
        ]);
        expect(JSON.parse(optional.stdout)).toMatchObject({ settings: { mfaRequired: false } });
      });

      it('checks launch URLs on the server with the access decision', async () => {
        const allowed = browserFrom();
        await signIn(allowed, 'alice');
        const studio = await allowed.get(`/studio/${fixture.domainId}`);
        expect(studio.status).toBe(200);
        expectText(studio, 'Signed in to Studio as alice in ml-team', 'arn:aws:iam::111122223333:role');

        const nested = browserFrom();
        const portal = await signIn(nested, 'carol');
        expectText(portal, 'You do not have any applications.');
        const forced = await nested.get(`/studio/${fixture.domainId}`);
        expect(forced.status).toBe(403);
        expectText(forced, 'You cannot open this application');
        expect(forced.html).not.toContain('ml-team');
        for (const path of ['/studio/d-000000000000', '/studio/not-a-domain', '/studio/%3Cscript%3E']) {
          const other = await nested.get(path);
          expect(other.status, path).toBe(403);
          expect(other.html).not.toContain('<script>');
        }
        // Not signed in: to the sign-in page, never Studio.
        const anonymous = await browserFrom().request('GET', `/studio/${fixture.domainId}`, undefined, false);
        expect(anonymous.status).toBe(303);
        expect(anonymous.location).toBe('/start');
        const security = await browserFrom().request('GET', '/start/security', undefined, false);
        expect(security.status).toBe(303);
      });

      it('lists the applications the user may open, by name, without hidden ones', async () => {
        const create = async (name: string, visibility: 'ENABLED' | 'DISABLED', url?: string) => {
          const { ApplicationArn } = await fixture.sso.send(
            new CreateApplicationCommand({
              InstanceArn: fixture.instanceArn,
              ApplicationProviderArn: 'arn:aws:sso::aws:applicationProvider/custom',
              Name: name,
              Description: `${name} for the team`,
              PortalOptions: {
                Visibility: visibility,
                ...(url !== undefined
                  ? { SignInOptions: { Origin: 'APPLICATION', ApplicationUrl: url } }
                  : {}),
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
        };
        await create('Wiki', 'ENABLED', 'https://wiki.example.com/');
        await create('Hidden tool', 'DISABLED', 'https://hidden.example.com/');
        await create('Analytics', 'ENABLED');
        const browser = browserFrom();
        const portal = await signIn(browser, 'alice');
        const tiles = [...portal.html.matchAll(/<span class="name">([\s\S]*?)<\/span>\n/g)].map((m) =>
          textOf(m[1] ?? ''),
        );
        expect(tiles).toEqual([`Amazon SageMaker Studio (${fixture.domainId})`, 'Analytics', 'Wiki']);
        expect(portal.html).toContain('href="https://wiki.example.com/"');
        expect(portal.html).toContain(`href="/studio/${fixture.domainId}"`);
        expect(portal.html).not.toContain('hidden.example.com');
        // A user only in the nested group sees none of them.
        expectText(await signIn(browserFrom(), 'carol'), 'You do not have any applications.');
      });

      it('answers "Forgot password?" alike whether or not the user exists, and links once', async () => {
        const known = browserFrom();
        const unknown = browserFrom();
        const [a, b] = await Promise.all([
          known.submit(await known.get('/start/forgot-password'), '/start/forgot-password', {
            username: 'alice',
          }),
          unknown.submit(await unknown.get('/start/forgot-password'), '/start/forgot-password', {
            username: 'nobody',
          }),
        ]);
        expect(a.status).toBe(200);
        expect(b.status).toBe(200);
        expect(textOf(a.html)).toBe(textOf(b.html));
        const mail = await fixture.receiver.waitFor(
          (m) => m.to.includes('alice@example.com') && m.subject === 'Reset your studio-sso password',
        );
        const link =
          /https?:\/\/\S+\/start\/reset-password\?token=[A-Za-z0-9_%-]+/.exec(mail.text)?.[0] ?? '';
        expect(fixture.receiver.received.some((m) => m.to.includes('nobody'))).toBe(false);

        const browser = browserFrom();
        const session = browserFrom();
        await signIn(session, 'alice');
        const page = await browser.get(link);
        expectText(page, 'Reset your password');
        const weak = await browser.submit(page, '/start/reset-password', {
          newPassword: 'short',
          confirmPassword: 'short',
        });
        expect(weak.status).toBe(400);
        const done = await browser.submit(page, '/start/reset-password', {
          newPassword: 'granite tulip harbor',
          confirmPassword: 'granite tulip harbor',
        });
        expectText(done, 'Your password has been changed');
        // Sessions signed in with the old password are over; the link is used up.
        expectText(await session.get('/start'), 'Username');
        expect((await browser.get(link)).status).toBe(410);
        expectText(await signIn(browserFrom(), 'alice', 'granite tulip harbor'), 'Welcome, Alice Tester');

        // At most three reset mails an hour per user name; the answer stays the same.
        const before = fixture.receiver.received.filter((m) => m.to.includes('alice@')).length;
        for (let i = 0; i < 4; i++) {
          const again = browserFrom();
          const sent = await again.submit(
            await again.get('/start/forgot-password'),
            '/start/forgot-password',
            {
              username: 'alice',
            },
          );
          expectText(sent, 'Check your e-mail');
        }
        // Three an hour, one of which was sent above: two more arrive, and no third.
        const sentToAlice = () => fixture.receiver.received.filter((m) => m.to.includes('alice@')).length;
        for (let waited = 0; sentToAlice() < before + 2 && waited < 10_000; waited += 50) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await fixture.server.server.app.mailDelivery.deliverDue();
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(sentToAlice() - before).toBe(2);
      });

      it('makes cookies Secure with the __Host- prefix when the trusted proxy says https', async () => {
        const overTls = browserFrom(undefined, { 'x-forwarded-proto': 'https' });
        const start = await overTls.get('/start');
        expect(start.setCookies).toEqual([
          expect.stringMatching(
            /^__Host-studio-sso-csrf=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure$/,
          ),
        ]);
        const signedIn = await overTls.submit(
          await overTls.submit(start, '/start/sign-in', { username: 'carol' }),
          '/start/sign-in/password',
          { password: PASSWORD },
          false,
        );
        expect(signedIn.status).toBe(303);
        expect(signedIn.setCookies).toEqual([
          expect.stringMatching(
            /^__Host-studio-sso-session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=28800$/,
          ),
        ]);
        expectText(await overTls.get('/start'), 'Welcome, Carol Tester');
        // Over plain HTTP the unprefixed name is read, so the browser's __Host- cookie is not.
        const plain = browserFrom(undefined, { 'x-forwarded-proto': 'http' });
        plain.cookies.set(`__Host-${SESSION}`, overTls.cookies.get(`__Host-${SESSION}`) ?? '');
        expectText(await plain.get('/start'), 'Username');
      });
    },
  );
}

describe('HTTPS served directly, and X-Forwarded-Proto without --trust-proxy', () => {
  it('sets __Host- Secure cookies over TLS (--tls-cert/--tls-key)', async (context) => {
    const certificate = await selfSignedCertificate();
    if (certificate === undefined) {
      context.skip('openssl is not installed: no certificate to serve HTTPS with');
      return;
    }
    const server = await startTestServer({
      // A still clock: the session cookie's Max-Age is then exactly the session's 8 hours.
      clock: new ManualClock(),
      env: { STUDIO_SSO_TLS_CERT: certificate.certFile, STUDIO_SSO_TLS_KEY: certificate.keyFile },
    });
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      // The SDK would distrust the test certificate: set up through the services directly.
      const { services } = server.server.app;
      const scope = {
        accountId: server.accountId,
        region: server.region,
        principalArn: `arn:aws:iam::${server.accountId}:root`,
      };
      await services.instances.createInstance(scope, { name: 'tls' });
      const added = await services.invitations.addUser(scope, {
        userName: 'tls',
        email: 'tls@example.com',
        givenName: 'Tls',
        familyName: 'Tester',
        displayName: 'Tls Tester',
        passwordSetup: 'one-time-password',
      });
      const browser = new WebClient(server.url, { fetch: httpsFetch(certificate.cert) });
      const start = await browser.get('/start');
      expect(start.setCookies).toEqual([
        expect.stringMatching(
          /^__Host-studio-sso-csrf=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure$/,
        ),
      ]);
      const choose = await browser.submit(
        await browser.submit(start, '/start/sign-in', { username: 'tls' }),
        '/start/sign-in/password',
        { password: added.oneTimePassword?.password ?? '' },
      );
      const signedIn = await browser.submit(
        choose,
        '/start/choose-password',
        { newPassword: PASSWORD, confirmPassword: PASSWORD },
        false,
      );
      expect(signedIn.status).toBe(303);
      expect(signedIn.setCookies).toEqual([
        expect.stringMatching(
          /^__Host-studio-sso-session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=28800$/,
        ),
      ]);
      expectText(await browser.get('/start'), 'Welcome, Tls Tester');
    } finally {
      await server.close();
    }
  });

  it('ignores X-Forwarded-Proto and -For from a client when no proxy is trusted', async () => {
    const server = await startTestServer();
    try {
      const browser = new WebClient(server.url, {
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '192.0.2.1' },
      });
      const start = await browser.get('/start');
      expect(start.setCookies[0]).toMatch(/^studio-sso-csrf=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
    } finally {
      await server.close();
    }
  });

  it('refuses half a TLS configuration and unreadable files, naming the flag', () => {
    expect(() => loadConfig({ STUDIO_SSO_TLS_CERT: '/nonexistent.pem' })).toThrow(ConfigError);
    expect(() =>
      loadConfig({}, { tlsCert: '/nonexistent/cert.pem', tlsKey: '/nonexistent/key.pem' }),
    ).toThrow('--tls-cert: cannot read /nonexistent/cert.pem (ENOENT)');
    expect(loadConfig({}, { trustProxy: true }).trustProxy).toBe(true);
    expect(loadConfig({ STUDIO_SSO_TRUST_PROXY: '10.0.0.1, 192.168.0.0/16' }).trustProxy).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
    ]);
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(() => loadConfig({ STUDIO_SSO_TRUST_PROXY: 'everyone' })).toThrow(ConfigError);
  });
});
