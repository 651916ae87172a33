import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { arns } from '../../src/core/arns.js';
import { ManualClock } from '../../src/core/clock.js';
import { isAppError } from '../../src/core/errors.js';
import type { Scope } from '../../src/core/scope.js';
import type { Database } from '../../src/storage/database.js';
import { openTestDatabase, postgresUnavailableReason, testDialects } from '../support/test-databases.js';

const pgUnavailable = await postgresUnavailableReason();

/**
 * InvitationsService.generateOneTimePassword (the console's "Reset password → Generate a one-time
 * password" and `studio-sso users one-time-password`) on the services as the server composes them.
 */
for (const dialect of testDialects()) {
  const skip = dialect === 'postgres' ? pgUnavailable : undefined;
  describe.skipIf(skip !== undefined)(
    `a one-time password ends the user's portal sessions, on ${dialect}${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let database: Database;
      let app: App;
      let scope: Scope;
      const clock = new ManualClock(new Date('2025-03-01T09:00:00.000Z'));

      const addUser = (userName: string) =>
        app.services.invitations.addUser(scope, {
          userName,
          email: `${userName}@example.com`,
          givenName: userName,
          familyName: 'Reset',
          displayName: `${userName} Reset`,
          passwordSetup: 'send-email',
        });

      beforeAll(async () => {
        database = await openTestDatabase(dialect);
        app = await createApp({
          config: loadConfig({ STUDIO_SSO_PUBLIC_URL: 'https://sso.example.com' }),
          database,
          logger: pino({ level: 'silent' }),
          clock,
        });
        const accountId = app.bootstrap.account.accountId;
        scope = { accountId, region: 'us-east-1', principalArn: arns.root(accountId) };
        await app.services.instances.createInstance(scope, {});
      });
      afterAll(async () => {
        await app?.http.close();
        await database?.close();
      });

      it("ends every live session of that user, and only that user's, with the reset", async () => {
        const { sessions, invitations } = app.services;
        const ivy = (await addUser('ivy')).user;
        const jon = (await addUser('jon')).user;
        const ivys = [
          await sessions.createSession(ivy, 'password'),
          await sessions.createSession(ivy, 'mfa'),
        ];
        const jons = await sessions.createSession(jon, 'password');

        clock.advance(1000);
        const otp = await invitations.generateOneTimePassword(scope, 'ivy');
        expect(otp.password).not.toBe('');
        for (const session of ivys) expect(await sessions.resolveSession(session.sessionId)).toBeUndefined();
        expect((await sessions.resolveSession(jons.sessionId))?.user.userName).toBe('jon');
        // The same transaction replaced her invitation and set the one-time password.
        const onboarding = await invitations.describeOnboarding(scope, ivy.userId);
        expect(onboarding.status).toBe('one-time-password');
        expect(onboarding.invitations[0]).toMatchObject({ state: 'revoked', revokedReason: 'replaced' });

        // A session begun after the reset is not touched by it; the next reset ends it too.
        const later = await sessions.createSession(ivy, 'password');
        expect((await sessions.resolveSession(later.sessionId))?.user.userName).toBe('ivy');
        await invitations.generateOneTimePassword(scope, ivy.userId);
        expect(await sessions.resolveSession(later.sessionId)).toBeUndefined();
      });

      it('ends nothing when the reset is refused', async () => {
        const { sessions, invitations } = app.services;
        const kai = (await addUser('kai')).user;
        const session = await sessions.createSession(kai, 'password');
        const refused = await invitations.generateOneTimePassword(scope, 'kai', 'd-0000000000').then(
          () => undefined,
          (error: unknown) => (isAppError(error) ? error.code : error),
        );
        expect(refused).toBe('IDENTITY_STORE_NOT_FOUND');
        expect((await sessions.resolveSession(session.sessionId))?.user.userName).toBe('kai');
        expect((await invitations.describeOnboarding(scope, 'kai')).status).toBe('invited');
      });
    },
  );
}
