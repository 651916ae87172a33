import { CreateInstanceCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { base32Decode, totp } from '../../src/modules/portal/totp.js';
import { setUpConsoleRoot } from '../support/console-session.js';
import { postgresUnavailableReason, testDialects } from '../support/test-databases.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { hiddenFields, textOf, WebClient, type WebPage } from '../support/web-client.js';

const postgresSkip = await postgresUnavailableReason();
const PASSWORD = 'granite willow ember compass';
const MINUTE = 60_000;
const SESSION = 'studio-sso-console';

const expectText = (page: WebPage, ...parts: string[]) => {
  const text = textOf(page.html);
  for (const part of parts) expect(text, `${page.url} (${page.status})`).toContain(part);
};

/** The recovery codes a page shows. */
const codesIn = (page: WebPage): string[] =>
  [
    ...(/<ul class="codes"[^>]*>([\s\S]*?)<\/ul>/.exec(page.html)?.[1] ?? '').matchAll(/<li>([^<]+)<\/li>/g),
  ].map((m) => m[1] ?? '');

for (const dialect of testDialects()) {
  const skip = dialect === 'postgres' ? postgresSkip : undefined;
  describe.skipIf(skip !== undefined)(
    `console sign-in limits and root MFA on ${dialect}${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let server: TestServer;
      let clock: ManualClock;
      let rootEmail: string;
      let address = 0;
      /** A browser behind the trusted proxy, from an address of its own (TEST-NET-3). */
      const browserFrom = (ip = `203.0.113.${++address}`) =>
        new WebClient(server.url, { headers: { 'x-forwarded-for': ip } });

      /** The password step from a fresh browser: the page it answers with. */
      const signIn = async (browser = browserFrom(), password = PASSWORD, email = rootEmail) =>
        browser.submit(await browser.get('/console'), '/console/sign-in', { email, password });

      beforeAll(async () => {
        clock = new ManualClock();
        server = await startTestServer({ database: dialect, clock, env: { STUDIO_SSO_TRUST_PROXY: 'true' } });
        // The portal's sign-in needs IAM Identity Center; enabled before the clock moves (SigV4 allows 15 minutes of skew).
        const sso = new SSOAdminClient(server.sdkConfig());
        await sso.send(new CreateInstanceCommand({}));
        sso.destroy();
        rootEmail = server.server.app.services.consoleAdmin.rootEmail();
        await setUpConsoleRoot(server, browserFrom(), PASSWORD);
      }, 60_000);
      afterAll(async () => {
        await server?.close();
      });

      it('locks the root after 5 failed attempts, however many arrive at once, and a right password waits too', async () => {
        const browser = browserFrom();
        const form = await browser.get('/console');
        const csrf = hiddenFields(form.html, '/console/sign-in');
        // Any e-mail address typed is an attempt at the root: half of these name someone else.
        const answers = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            browser.post('/console/sign-in', {
              ...csrf,
              email: i % 2 === 0 ? rootEmail : `someone${i}@example.com`,
              password: `not it ${i}`,
            }),
          ),
        );
        const statuses = answers.map((a) => a.status);
        expect(statuses.filter((s) => s === 401)).toHaveLength(5);
        expect(statuses.filter((s) => s === 429)).toHaveLength(7);
        const refused = answers.find((a) => a.status === 429) as WebPage;
        expectText(refused, 'Too many attempts, try again in 15 minutes.', 'the root account is locked');
        expect(refused.headers.get('retry-after')).toBe('900');
        expect(refused.html).toContain('role="alert"');

        // Locked: the right password too, from another address; and no session is made.
        const right = browserFrom();
        expect((await signIn(right)).status).toBe(429);
        expect(right.cookies.has(SESSION)).toBe(false);

        clock.advance(5 * MINUTE);
        expectText(await signIn(), 'Too many attempts, try again in 10 minutes.');
        clock.advance(10 * MINUTE);
        const unlocked = browserFrom();
        const landing = await signIn(unlocked);
        expect(landing.url).toMatch(/\/console\/identity-center$/);
        expect(unlocked.cookies.has(SESSION)).toBe(true);
        // A success forgets the failures: four more wrong ones are still answered 401.
        for (let i = 0; i < 4; i++) expect((await signIn(browserFrom(), 'wrong')).status).toBe(401);
        expect((await signIn()).url).toMatch(/\/console\/identity-center$/);
      });

      it('throttles an address after 30 failed sign-ins at the portal and the console together', async () => {
        const ip = '198.51.100.23';
        const attacker = browserFrom(ip);
        const start = await attacker.get('/start');
        const csrf = hiddenFields(start.html, '/start/sign-in');
        const portal = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            attacker.post('/start/sign-in/password', {
              ...csrf,
              username: `guess-${i}`,
              password: 'hunter2',
            }),
          ),
        );
        expect(portal.map((a) => a.status).filter((s) => s === 401)).toHaveLength(30);
        // From that address the console's right password waits; from another one it works.
        const throttled = await signIn(browserFrom(ip));
        expect(throttled.status).toBe(429);
        expectText(throttled, 'Too many attempts, try again in 15 minutes.');
        expect((await signIn()).url).toMatch(/\/console\/identity-center$/);
        clock.advance(15 * MINUTE);
        expect((await signIn(browserFrom(ip))).url).toMatch(/\/console\/identity-center$/);
      });

      it('registers an authenticator app; sign-in then asks for a code, each accepted once', async () => {
        const admin = browserFrom();
        await signIn(admin);
        const settings = await admin.get('/console/security');
        expectText(settings, 'Authenticator app Not registered');
        const register = await admin.get('/console/security/register');
        expect(register.html).toMatch(/<img class="qr" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/);
        const secretText = /id="secret-key">([A-Z2-7 ]+)</.exec(register.html)?.[1] ?? '';
        const secret = base32Decode(secretText) ?? Buffer.alloc(0);
        expect(secret).toHaveLength(20);
        const code = () => totp(secret, clock.now().getTime());

        const wrongCode = code() === '000000' ? '111111' : '000000';
        const wrong = await admin.submit(register, '/console/security/register', { code: wrongCode });
        expect(wrong.status).toBe(400);
        expectText(wrong, 'That code is not right.');
        // The same key on the page again: what the app scanned still works.
        expect(wrong.html).toContain(`id="secret-key">${secretText}<`);
        const registered = await admin.submit(wrong, '/console/security/register', { code: code() });
        expect(registered.status).toBe(200);
        expectText(registered, 'Your authenticator app is registered');
        const recoveryCodes = codesIn(registered);
        expect(recoveryCodes).toHaveLength(10);
        expectText(await admin.get('/console/security'), 'Authenticator app Registered', '10 of 10 unused');

        // The password alone opens nothing now: the MFA step follows, and no session yet.
        const browser = browserFrom();
        const step = await signIn(browser);
        expect(step.status).toBe(200);
        expectText(step, 'Additional verification required');
        expect(browser.cookies.has(SESSION)).toBe(false);
        // The code that registered the app was used already (the clock has not moved).
        const replayed = await browser.submit(step, '/console/sign-in/mfa', { code: code() });
        expect(replayed.status).toBe(401);
        expectText(replayed, 'That code was already used');
        clock.advance(30_000);
        const bad = await browser.submit(replayed, '/console/sign-in/mfa', { code: wrongCode });
        expect(bad.status).toBe(401);
        expectText(bad, 'That code is not right.');
        const ticketForm = hiddenFields(bad.html, '/console/sign-in/mfa');
        const signedIn = await browser.submit(bad, '/console/sign-in/mfa', { code: code() });
        expect(signedIn.url).toMatch(/\/console\/identity-center$/);
        expect(browser.cookies.has(SESSION)).toBe(true);
        // The ticket works once, even with a new right code.
        clock.advance(30_000);
        const sameBrowser = await browser.post('/console/sign-in/mfa', {
          ...hiddenFields((await browser.get('/console/security')).html, '/console/security/recovery-codes'),
          ticket: ticketForm.ticket ?? '',
          code: code(),
        });
        expect(sameBrowser.status).toBe(400);
        expectText(sameBrowser, 'Please sign in again');

        // A recovery code signs in once.
        const [firstCode = '', secondCode = ''] = recoveryCodes;
        const withCode = browserFrom();
        const recovered = await withCode.submit(await signIn(withCode), '/console/sign-in/mfa', {
          code: firstCode.toLowerCase(),
        });
        expect(recovered.url).toMatch(/\/console\/identity-center$/);
        expectText(recovered, 'You signed in with a recovery code', '9 of 10 are left');
        const reused = browserFrom();
        const reusedAnswer = await reused.submit(await signIn(reused), '/console/sign-in/mfa', {
          code: firstCode,
        });
        expect(reusedAnswer.status).toBe(401);

        // The MFA step closes after 10 minutes.
        const slow = browserFrom();
        const slowStep = await signIn(slow);
        clock.advance(11 * MINUTE);
        const late = await slow.submit(slowStep, '/console/sign-in/mfa', { code: code() });
        expect(late.status).toBe(400);
        expectText(late, 'Please sign in again');

        // New recovery codes, confirmed with a current code: the old ones stop working.
        const page = await admin.get('/console/security');
        expectText(page, '9 of 10 unused');
        const refused = await admin.submit(page, '/console/security/recovery-codes', { code: wrongCode });
        expect(refused.status).toBe(400);
        expectText(refused, 'That code is not right.');
        const renewed = await admin.submit(page, '/console/security/recovery-codes', { code: code() });
        expectText(renewed, 'These are your new recovery codes');
        const newCodes = codesIn(renewed);
        expect(newCodes).toHaveLength(10);
        const old = browserFrom();
        expect(
          (await old.submit(await signIn(old), '/console/sign-in/mfa', { code: secondCode })).status,
        ).toBe(401);
        const fresh = browserFrom();
        expect(
          (await fresh.submit(await signIn(fresh), '/console/sign-in/mfa', { code: newCodes[0] ?? '' })).url,
        ).toMatch(/\/console\/identity-center$/);

        // Removing the app goes through a page that says what goes; then the password is enough.
        const confirm = await admin.get('/console/security/remove');
        expectText(
          confirm,
          'Remove the authenticator app?',
          `registered for the console root ${rootEmail}, and its 9 unused recovery codes`,
          'console sign-in asks only for the password',
        );
        clock.advance(30_000);
        const removed = await admin.submit(confirm, '/console/security/remove', { code: code() });
        expect(removed.url).toMatch(/\/console\/security$/);
        expectText(removed, 'The authenticator app was removed', 'Authenticator app Not registered');
        expect((await signIn()).url).toMatch(/\/console\/identity-center$/);
      });

      it('counts wrong MFA codes like wrong passwords: five lock the root', async () => {
        const admin = browserFrom();
        await signIn(admin);
        const register = await admin.get('/console/security/register');
        const secret =
          base32Decode(/id="secret-key">([A-Z2-7 ]+)</.exec(register.html)?.[1] ?? '') ?? Buffer.alloc(0);
        clock.advance(30_000);
        await admin.submit(register, '/console/security/register', {
          code: totp(secret, clock.now().getTime()),
        });
        const wrongCode = totp(secret, clock.now().getTime() + 10 * MINUTE);
        const browser = browserFrom();
        let page = await signIn(browser);
        const ticketPage = page;
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) {
          page = await browser.submit(page, '/console/sign-in/mfa', { code: wrongCode });
          statuses.push(page.status);
        }
        // The password counted as the first attempt: four wrong codes, then the lock.
        expect(statuses).toEqual([401, 401, 401, 401, 429]);
        expectText(page, 'Too many attempts, try again in 15 minutes.');
        clock.advance(30_000);
        // Locked: the right code on the open MFA step waits, and so does the right password.
        const rightCode = await browser.submit(ticketPage, '/console/sign-in/mfa', {
          code: totp(secret, clock.now().getTime()),
        });
        expect(rightCode.status).toBe(429);
        expect(browser.cookies.has(SESSION)).toBe(false);
        expect((await signIn()).status).toBe(429);
        // A new password through a setup link is the way back in, and it lifts the lock.
        const link = new URL((await server.server.app.services.consoleAdmin.issueSetupLink()).url);
        const reset = browserFrom();
        const landing = await reset.submit(
          await reset.get(`${link.pathname}${link.search}`),
          '/console/setup',
          {
            newPassword: PASSWORD,
            confirmPassword: PASSWORD,
          },
        );
        expect(landing.url).toMatch(/\/console\/identity-center$/);
        clock.advance(30_000);
        const after = browserFrom();
        const signedIn = await after.submit(await signIn(after), '/console/sign-in/mfa', {
          code: totp(secret, clock.now().getTime()),
        });
        expect(signedIn.url).toMatch(/\/console\/identity-center$/);
      });
    },
  );
}
