import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openTestDatabase,
  postgresUnavailableReason,
  testDialects,
} from '../../../test/support/test-databases.js';
import { ManualClock } from '../../core/clock.js';
import { type AppError, isAppError } from '../../core/errors.js';
import { ids } from '../../core/ids.js';
import type { Scope } from '../../core/scope.js';
import { joinedUnitOfWork } from '../../core/unit-of-work.js';
import type { Database } from '../../storage/database.js';
import { kyselyUnitOfWork } from '../../storage/kysely-unit-of-work.js';
import { InstancesKysely } from '../access/instances.kysely.js';
import { InstancesService } from '../access/instances.service.js';
import { AccountsKysely } from '../accounts/accounts.kysely.js';
import { hashToken } from '../credentials/tokens.js';
import { IdentityStoreKysely } from '../identity-store/identity-store.kysely.js';
import { IdentityStoreService } from '../identity-store/identity-store.service.js';
import { SettingsKysely } from '../settings/settings.kysely.js';
import { SettingsService } from '../settings/settings.service.js';
import { SessionsKysely } from './sessions.kysely.js';
import { SessionsService } from './sessions.service.js';
import { UserLifecycleService } from './user-lifecycle.service.js';

const failure = async (work: Promise<unknown>): Promise<AppError> => {
  try {
    await work;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
};

const pgUnavailable = await postgresUnavailableReason();

for (const dialect of testDialects()) {
  const skipReason = dialect === 'postgres' ? pgUnavailable : undefined;
  const suite = skipReason === undefined ? describe : describe.skip;

  suite(`UserLifecycleService on ${dialect}${skipReason === undefined ? '' : ` (skipped: ${skipReason})`}`, () => {
    let database: Database;
    let identityStore: IdentityStoreService;
    let sessions: SessionsService;
    let lifecycle: UserLifecycleService;
    let instances: InstancesService;
    let accounts: AccountsKysely;
    const clock = new ManualClock(new Date('2024-05-01T10:00:00.000Z'));

    const newStore = async (): Promise<{ scope: Scope; storeId: string }> => {
      const accountId = ids.accountId();
      await accounts.insertAccountIfAbsent({
        accountId,
        name: 'test',
        email: 'root@example.com',
        createdAt: clock.now(),
      });
      const scope: Scope = { accountId, region: 'us-east-1', principalArn: `arn:aws:iam::${accountId}:root` };
      const instance = await instances.createInstance(scope, {});
      return { scope, storeId: instance.identityStoreId };
    };

    const newUser = async (scope: Scope, storeId: string, userName: string) =>
      identityStore.createUser(scope, storeId, {
        userName,
        displayName: userName,
        name: { givenName: 'Given', familyName: 'Family' },
      });

    beforeAll(async () => {
      database = await openTestDatabase(dialect);
      const uow = kyselyUnitOfWork(database.db, (db) => ({
        accounts: new AccountsKysely(db),
        instances: new InstancesKysely(db),
        identityStore: new IdentityStoreKysely(db),
        settings: new SettingsKysely(db),
        sessions: new SessionsKysely(db),
      }));
      accounts = uow.repositories.accounts;
      instances = new InstancesService(uow, clock);
      identityStore = new IdentityStoreService(uow, clock);
      sessions = new SessionsService(uow, new SettingsService(uow, clock), clock);
      lifecycle = new UserLifecycleService(
        uow,
        identityStore,
        (within) => new IdentityStoreService(joinedUnitOfWork(within), clock),
        clock,
      );
    });

    afterAll(async () => {
      await database?.close();
    });

    it('disables a user and ends their live sessions at once; enabling does not bring them back', async () => {
      const { scope, storeId } = await newStore();
      const ann = await newUser(scope, storeId, 'ann');
      const bob = await newUser(scope, storeId, 'bob');
      const [laptop, phone] = [
        await sessions.createSession(ann, 'password'),
        await sessions.createSession(ann, 'mfa'),
      ];
      const signedOut = await sessions.createSession(ann, 'password');
      await sessions.endSession(signedOut.sessionId);
      const bobs = await sessions.createSession(bob, 'password');

      clock.advance(1000);
      const disabled = await lifecycle.setUserStatus(scope, storeId, ann.userId, 'DISABLED');
      expect(disabled.sessionsEnded).toBe(2);
      expect(disabled.user).toMatchObject({
        status: 'DISABLED',
        updatedAt: clock.now(),
        updatedBy: scope.principalArn,
      });
      expect((await identityStore.describeUser(scope, storeId, ann.userId)).status).toBe('DISABLED');
      expect(await sessions.resolveSession(laptop.sessionId)).toBeUndefined();
      expect(await sessions.resolveSession(phone.sessionId)).toBeUndefined();
      // Only hers.
      expect((await sessions.resolveSession(bobs.sessionId))?.user.userName).toBe('bob');

      // Disabling again changes nothing and finds nothing to end.
      const again = await lifecycle.setUserStatus(scope, storeId, ann.userId, 'DISABLED');
      expect(again.sessionsEnded).toBe(0);
      expect(again.user.updatedAt).toEqual(disabled.user.updatedAt);

      clock.advance(1000);
      const enabled = await lifecycle.setUserStatus(scope, storeId, ann.userId, 'ENABLED');
      expect(enabled).toMatchObject({
        sessionsEnded: 0,
        user: { status: 'ENABLED', updatedAt: clock.now() },
      });
      expect(await sessions.resolveSession(laptop.sessionId)).toBeUndefined();
      const fresh = await sessions.createSession(ann, 'password');
      expect((await sessions.resolveSession(fresh.sessionId))?.user.status).toBe('ENABLED');
    });

    it('signs a user out everywhere, counting the sessions it ended', async () => {
      const { scope, storeId } = await newStore();
      const cy = await newUser(scope, storeId, 'cy');
      const open = [
        await sessions.createSession(cy, 'password'),
        await sessions.createSession(cy, 'password'),
      ];
      const expired = await sessions.createSession(cy, 'password');
      // A session that has run out is over already: the sign-out does not count it.
      await database.db
        .updateTable('portal_sessions')
        .set({ expires_at: clock.now().getTime() + 500 })
        .where('session_hash', '=', hashToken(expired.sessionId))
        .execute();
      clock.advance(1000);
      const ended = await lifecycle.signOutEverywhere(scope, storeId, cy.userId);
      expect(ended.user.userId).toBe(cy.userId);
      expect(ended.sessionsEnded).toBe(2);
      for (const session of [...open, expired])
        expect(await sessions.resolveSession(session.sessionId)).toBeUndefined();
      expect((await lifecycle.signOutEverywhere(scope, storeId, cy.userId)).sessionsEnded).toBe(0);
      expect((await identityStore.describeUser(scope, storeId, cy.userId)).status).toBe('ENABLED');
    });

    it("refuses users it cannot see (another account's store, or none) and changes nothing", async () => {
      const { scope, storeId } = await newStore();
      const other = await newStore();
      const dee = await newUser(scope, storeId, 'dee');
      const session = await sessions.createSession(dee, 'password');
      for (const attempt of [
        lifecycle.setUserStatus(other.scope, storeId, dee.userId, 'DISABLED'),
        lifecycle.signOutEverywhere(other.scope, storeId, dee.userId),
      ]) {
        expect((await failure(attempt)).code).toBe('IDENTITY_STORE_NOT_FOUND');
      }
      const missing = await failure(
        lifecycle.setUserStatus(scope, storeId, `${storeId.slice(2)}-nobody`, 'DISABLED'),
      );
      expect(missing.code).toBe('USER_NOT_FOUND');
      expect((await identityStore.describeUser(scope, storeId, dee.userId)).status).toBe('ENABLED');
      expect((await sessions.resolveSession(session.sessionId))?.user.userName).toBe('dee');
    });
  });
}
