import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StudioServices, studioServicesOn } from '../../../test/support/studio-services.js';
import {
  openTestDatabase,
  postgresUnavailableReason,
  testDialects,
} from '../../../test/support/test-databases.js';
import { ManualClock } from '../../core/clock.js';
import { type AppError, isAppError } from '../../core/errors.js';
import type { Database } from '../../storage/database.js';

/**
 * The reads behind the console's onboarding table and profile list, a page at a time: the store's
 * users in user name order (IdentityStoreService.listUsersByName), the profiles of a page of users
 * (StudioService.findProfilesOfUsers) and the SSO user of each listed profile.
 */

const failure = async (work: Promise<unknown>): Promise<AppError> => {
  try {
    await work;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
};

const person = (userName: string) => ({
  userName,
  displayName: `${userName} Display`,
  name: { givenName: 'Given', familyName: 'Family' },
});

const SETTINGS = { ExecutionRole: 'arn:aws:iam::111122223333:role/SageMakerExecutionRole' };

const pgUnavailable = await postgresUnavailableReason();

for (const dialect of testDialects()) {
  const skipReason = dialect === 'postgres' ? pgUnavailable : undefined;
  const suite = skipReason === undefined ? describe : describe.skip;

  suite(`the onboarding table’s reads on ${dialect}${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
    let database: Database;
    let s: StudioServices;
    const clock = new ManualClock(new Date('2026-12-01T10:00:00.000Z'));

    beforeAll(async () => {
      database = await openTestDatabase(dialect);
      s = studioServicesOn(database, clock);
    });
    afterAll(async () => {
      await database?.close();
    });

    /** Every user name of the listing, page by page, and the number of pages. */
    const allPages = async (
      scope: Awaited<ReturnType<typeof s.newTenant>>['scope'],
      store: string,
      request: { prefix?: string; limit: number },
    ): Promise<{ names: string[]; pages: number }> => {
      const names: string[] = [];
      let pages = 0;
      let nextToken: string | undefined;
      do {
        const page = await s.identityStore.listUsersByName(scope, store, { ...request, nextToken });
        pages++;
        names.push(...page.items.map((user) => user.userName));
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
      return { names, pages };
    };

    it('lists the store’s users by user name regardless of case, paged by name, searched by prefix', async () => {
      const { scope, instance } = await s.newTenant();
      const store = instance.identityStoreId;
      // Created out of order, so that ID order (ListUsers's) is not name order.
      for (const userName of ['mo', 'Bea', 'ana', 'Anton', 'zoe', 'ben', 'al.x', 'AB']) {
        await s.identityStore.createUser(scope, store, person(userName));
      }
      const everyone = ['AB', 'al.x', 'ana', 'Anton', 'Bea', 'ben', 'mo', 'zoe'];
      expect(await allPages(scope, store, { limit: 3 })).toEqual({ names: everyone, pages: 3 });
      expect(await allPages(scope, store, { limit: 8 })).toEqual({ names: everyone, pages: 1 });
      expect(await allPages(scope, store, { prefix: 'AN', limit: 1 })).toEqual({
        names: ['ana', 'Anton'],
        pages: 2,
      });
      expect(await allPages(scope, store, { prefix: 'b', limit: 25 })).toEqual({
        names: ['Bea', 'ben'],
        pages: 1,
      });
      expect((await s.identityStore.listUsersByName(scope, store, { prefix: 'x' })).items).toEqual([]);

      // A token names its listing: another listing's, or another prefix's, is refused.
      const byId = await s.identityStore.listUsers(scope, store, { limit: 1 });
      const byName = await s.identityStore.listUsersByName(scope, store, { limit: 1 });
      expect(
        (await failure(s.identityStore.listUsersByName(scope, store, { nextToken: byId.nextToken }))).code,
      ).toBe('INVALID_NEXT_TOKEN');
      expect(
        (
          await failure(
            s.identityStore.listUsersByName(scope, store, { prefix: 'a', nextToken: byName.nextToken }),
          )
        ).code,
      ).toBe('INVALID_NEXT_TOKEN');

      // Another account sees neither the users nor the store.
      const other = await s.newTenant();
      expect((await failure(s.identityStore.listUsersByName(other.scope, store))).code).toBe(
        'IDENTITY_STORE_NOT_FOUND',
      );
    });

    it('finds the profiles of a page of users in the domain, as findProfileOfUser does one by one', async () => {
      const { scope, instance } = await s.newTenant();
      const store = instance.identityStoreId;
      const users = [];
      for (const userName of ['ada', 'bo', 'cy', 'di']) {
        users.push(await s.identityStore.createUser(scope, store, person(userName)));
      }
      const [ada, bo, cy, di] = users.map((u) => u.userId) as [string, string, string, string];
      const domain = await s.studio.createDomain(scope, {
        name: 'team',
        authMode: 'SSO',
        defaultUserSettings: SETTINGS,
      });
      const elsewhere = await s.studio.createDomain(scope, {
        name: 'other-team',
        authMode: 'SSO',
        defaultUserSettings: SETTINGS,
      });
      clock.advance(60_000);
      await s.studio.createProfileForSsoUser(scope, domain.domainId, 'ada');
      await s.studio.createProfileForSsoUser(scope, domain.domainId, 'bo', 'bo-profile');
      await s.studio.createProfileForSsoUser(scope, domain.domainId, 'di');
      // cy has a profile, but in another domain.
      await s.studio.createProfileForSsoUser(scope, elsewhere.domainId, 'cy');
      clock.advance(60_000);
      await s.studio.deleteUserProfile(scope, domain.domainId, 'di');

      const found = await s.studio.findProfilesOfUsers(scope, domain.domainId, [ada, bo, cy, di, 'nobody']);
      expect([...found.keys()].sort()).toEqual([ada, bo, di].sort());
      expect(found.get(bo)).toMatchObject({ name: 'bo-profile', ssoUserName: 'bo', status: 'InService' });
      expect(found.get(di)?.status).toBe('Deleting');
      for (const userId of [ada, bo, cy, di]) {
        expect(found.get(userId)).toEqual(await s.studio.findProfileOfUser(scope, domain.domainId, userId));
      }

      // Once gone, the profile is nobody's.
      clock.advance(60_000);
      expect([...(await s.studio.findProfilesOfUsers(scope, domain.domainId, [ada, di])).keys()]).toEqual([
        ada,
      ]);
      expect(await s.studio.findProfilesOfUsers(scope, domain.domainId, [])).toEqual(new Map());
      const other = await s.newTenant();
      expect((await failure(s.studio.findProfilesOfUsers(other.scope, domain.domainId, [ada]))).code).toBe(
        'DOMAIN_NOT_FOUND',
      );

      // The domain's listing names each profile's SSO user; an IAM domain's profiles have none.
      const listed = await s.studio.listUserProfiles(scope, { domainId: domain.domainId, limit: 10 });
      expect(listed.items.map((p) => [p.name, p.ssoUserName])).toEqual([
        ['ada', 'ada'],
        ['bo-profile', 'bo'],
      ]);
      const iam = await s.studio.createDomain(scope, {
        name: 'iam-team',
        authMode: 'IAM',
        defaultUserSettings: SETTINGS,
      });
      await s.studio.createUserProfile(scope, { domainId: iam.domainId, name: 'analyst' });
      const iamListed = await s.studio.listUserProfiles(scope, { domainId: iam.domainId, limit: 10 });
      expect(iamListed.items.map((p) => [p.name, p.ssoUserName])).toEqual([['analyst', undefined]]);
    });
  });
}
