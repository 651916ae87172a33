import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { MfaKysely } from '../../src/modules/portal/mfa.kysely.js';
import { MfaService } from '../../src/modules/portal/mfa.service.js';
import { SignInGuardKysely } from '../../src/modules/portal/sign-in-guard.kysely.js';
import type { AttemptPolicy } from '../../src/modules/portal/sign-in-guard.repository.js';
import { SignInGuard, tooManyAttemptsMessage } from '../../src/modules/portal/sign-in-guard.service.js';
import { base32Decode, totp } from '../../src/modules/portal/totp.js';
import type { Database } from '../../src/storage/database.js';
import { kyselyUnitOfWork } from '../../src/storage/kysely-unit-of-work.js';
import { accessServicesOn } from '../support/access-services.js';
import { openTestDatabase, postgresUnavailableReason, testDialects } from '../support/test-databases.js';

const postgresSkip = await postgresUnavailableReason();
const MINUTE = 60_000;
const POLICY: AttemptPolicy = { limit: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };

for (const dialect of testDialects()) {
  const skip = dialect === 'postgres' ? postgresSkip : undefined;
  describe.skipIf(skip !== undefined)(
    `sign-in attempt counters and MFA storage on ${dialect}${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let database: Database;
      const clock = new ManualClock(new Date('2026-12-01T09:00:00Z'));

      beforeAll(async () => {
        database = await openTestDatabase(dialect);
      });
      afterAll(async () => {
        await database?.close();
      });

      const newUser = async () => {
        const access = accessServicesOn(database, clock);
        const { scope, instance } = await access.newTenant();
        const user = await access.identityStore.createUser(scope, instance.identityStoreId, {
          userName: `u-${randomBytes(4).toString('hex')}`,
          displayName: 'U',
          name: { givenName: 'U', familyName: 'V' },
        });
        return { ...user, identityStoreId: instance.identityStoreId };
      };

      it('counts parallel attempts one by one: never more than the limit get through', async () => {
        const guard = new SignInGuardKysely(database.db);
        const claims = await Promise.all(
          Array.from({ length: 40 }, () => guard.claimAttempt('user:parallel', clock.now(), POLICY)),
        );
        expect(claims.filter((c) => c.allowed)).toHaveLength(5);
        const refused = claims.find((c) => !c.allowed);
        expect(refused).toEqual({
          allowed: false,
          lockedUntil: new Date(clock.now().getTime() + 15 * MINUTE),
        });

        clock.advance(15 * MINUTE);
        expect(await guard.claimAttempt('user:parallel', clock.now(), POLICY)).toEqual({
          allowed: true,
          attempts: 1,
        });
        // A window that has passed starts again at one.
        clock.advance(16 * MINUTE);
        expect(await guard.claimAttempt('user:parallel', clock.now(), POLICY)).toEqual({
          allowed: true,
          attempts: 1,
        });
        await guard.clearAttempts('user:parallel');
        expect(await guard.claimAttempt('user:parallel', clock.now(), POLICY)).toEqual({
          allowed: true,
          attempts: 1,
        });
      });

      it('gives back an address’s attempt on success, lifting the lock it set; purges finished counters', async () => {
        const guard = new SignInGuardKysely(database.db);
        for (let i = 0; i < 5; i++) await guard.claimAttempt('address:192.0.2.9', clock.now(), POLICY);
        expect(await guard.findLock('address:192.0.2.9', clock.now())).toBeDefined();
        await guard.refundAttempt('address:192.0.2.9', POLICY.limit);
        expect(await guard.findLock('address:192.0.2.9', clock.now())).toBeUndefined();
        expect(await guard.claimAttempt('address:192.0.2.9', clock.now(), POLICY)).toEqual({
          allowed: true,
          attempts: 5,
        });
        clock.advance(60 * MINUTE);
        expect(
          await guard.purgeExpired(new Date(clock.now().getTime() - 30 * MINUTE), clock.now()),
        ).toBeGreaterThan(0);
        expect(await guard.findLock('address:192.0.2.9', clock.now())).toBeUndefined();
      });

      it('guards a user name and an address together, and says how long to wait', async () => {
        const guard = new SignInGuard(new SignInGuardKysely(database.db), clock);
        const name = { identityStoreId: 'd-guard', userName: 'Mallory' };
        for (let i = 0; i < 5; i++) expect((await guard.attempt(name, '192.0.2.1')).allowed).toBe(true);
        const locked = await guard.attempt({ ...name, userName: 'MALLORY' }, '192.0.2.2');
        expect(locked).toEqual({ allowed: false, retryAfterMs: 15 * MINUTE });
        expect(tooManyAttemptsMessage(15 * MINUTE)).toBe('Too many attempts, try again in 15 minutes.');
        expect(tooManyAttemptsMessage(61_000)).toBe('Too many attempts, try again in 2 minutes.');
        expect(tooManyAttemptsMessage(1000)).toBe('Too many attempts, try again in 1 minute.');
        await guard.forgive(name);
        const allowed = await guard.attempt(name, '192.0.2.1');
        expect(allowed.allowed).toBe(true);
        if (allowed.allowed) await allowed.succeeded();
      });

      it('accepts a TOTP code once, even when it arrives twice at the same moment', async () => {
        const user = await newUser();
        const uow = kyselyUnitOfWork(database.db, (db) => ({ mfa: new MfaKysely(db) }));
        const mfa = new MfaService(uow, randomBytes(32), clock);
        const enrolment = await mfa.beginEnrolment(user);
        if (enrolment === undefined) throw new Error('no enrolment');
        // The same secret on a reload, sealed at rest (not in clear).
        expect((await mfa.beginEnrolment(user))?.secret).toBe(enrolment.secret);
        const stored = await new MfaKysely(database.db).findDevice(user.userId);
        expect(stored?.sealedSecret.startsWith('v1:')).toBe(true);
        expect(stored?.sealedSecret).not.toContain(enrolment.secret);
        const secret = base32Decode(enrolment.secret) ?? Buffer.alloc(0);
        const code = () => totp(secret, clock.now().getTime());

        expect(
          (await mfa.confirmEnrolment(user.userId, '000000' === code() ? '111111' : '000000')).result,
        ).toBe('wrong');
        const confirmed = await mfa.confirmEnrolment(user.userId, code());
        expect(confirmed.result).toBe('enrolled');
        expect(await mfa.beginEnrolment(user)).toBeUndefined();
        expect((await mfa.verify(user.userId, code())).result).toBe('replayed');

        clock.advance(30_000);
        const twice = await Promise.all(Array.from({ length: 8 }, () => mfa.verify(user.userId, code())));
        expect(twice.filter((c) => c.result === 'ok')).toHaveLength(1);
        expect(twice.filter((c) => c.result === 'replayed')).toHaveLength(7);
        // An older step than the last accepted one is refused too.
        expect((await mfa.verify(user.userId, totp(secret, clock.now().getTime() - 30_000))).result).toBe(
          'replayed',
        );

        const codes = confirmed.result === 'enrolled' ? confirmed.recoveryCodes : [];
        const recovery = await Promise.all([
          mfa.verify(user.userId, codes[0] ?? ''),
          mfa.verify(user.userId, (codes[0] ?? '').toLowerCase().replace('-', ' ')),
        ]);
        expect(recovery.map((r) => r.result).sort()).toEqual(['ok', 'wrong']);
        expect(await mfa.status(user.userId)).toMatchObject({ enrolled: true, recoveryCodesLeft: 9 });
        const renewed = await mfa.regenerateRecoveryCodes(user.userId);
        expect(renewed).toHaveLength(10);
        expect((await mfa.verify(user.userId, codes[1] ?? '')).result).toBe('wrong');
        expect((await mfa.verify(user.userId, renewed?.[1] ?? '')).result).toBe('ok');

        // Another installation key cannot read the secret.
        const stranger = new MfaService(uow, randomBytes(32), clock);
        clock.advance(30_000);
        expect((await stranger.verify(user.userId, code())).result).toBe('wrong');
        expect(await mfa.remove(user.userId)).toBe(true);
        expect(await mfa.status(user.userId)).toEqual({ enrolled: false, recoveryCodesLeft: 0 });
      });
    },
  );
}
