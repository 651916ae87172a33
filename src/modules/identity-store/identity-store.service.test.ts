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
import type { Database } from '../../storage/database.js';
import { kyselyUnitOfWork } from '../../storage/kysely-unit-of-work.js';
import { InstancesKysely } from '../access/instances.kysely.js';
import { InstancesService } from '../access/instances.service.js';
import { AccountsKysely } from '../accounts/accounts.kysely.js';
import { IdentityStoreKysely } from './identity-store.kysely.js';
import { IdentityStoreService } from './identity-store.service.js';
import type { UserProfile } from './identity-store.types.js';

/** The failure of a call that must fail, as the core's error. */
const failure = async (work: Promise<unknown>): Promise<AppError> => {
  try {
    await work;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
};

const RESOURCE_ID = /^[0-9a-f]{10}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const person = (userName: string, extra: Partial<UserProfile> = {}): Partial<UserProfile> => ({
  userName,
  displayName: `${userName} Display`,
  name: { givenName: 'Given', familyName: 'Family' },
  ...extra,
});

const pgUnavailable = await postgresUnavailableReason();

for (const dialect of testDialects()) {
  const skipReason = dialect === 'postgres' ? pgUnavailable : undefined;
  const suite = skipReason === undefined ? describe : describe.skip;

  suite(`IdentityStoreService on ${dialect}${skipReason === undefined ? '' : ` (skipped: ${skipReason})`}`, () => {
    let database: Database;
    let service: IdentityStoreService;
    let instances: InstancesService;
    let accounts: AccountsKysely;
    const clock = new ManualClock(new Date('2024-05-01T10:00:00.000Z'));

    /** A fresh account with its own instance, hence its own empty identity store. */
    const newStore = async (region = 'us-east-1'): Promise<{ scope: Scope; storeId: string }> => {
      const accountId = ids.accountId();
      await accounts.insertAccountIfAbsent({
        accountId,
        name: 'test',
        email: 'root@example.com',
        createdAt: clock.now(),
      });
      const scope: Scope = { accountId, region, principalArn: `arn:aws:iam::${accountId}:root` };
      const instance = await instances.createInstance(scope, {});
      return { scope, storeId: instance.identityStoreId };
    };

    let scope: Scope;
    let storeId: string;

    beforeAll(async () => {
      database = await openTestDatabase(dialect);
      const uow = kyselyUnitOfWork(database.db, (db) => ({
        accounts: new AccountsKysely(db),
        instances: new InstancesKysely(db),
        identityStore: new IdentityStoreKysely(db),
      }));
      accounts = uow.repositories.accounts;
      instances = new InstancesService(uow, clock);
      service = new IdentityStoreService(uow, clock);
      ({ scope, storeId } = await newStore());
    });

    afterAll(async () => {
      await database?.close();
    });

    describe('users', () => {
      it('creates a user with every attribute and describes it back', async () => {
        const profile: Partial<UserProfile> = {
          userName: 'jane.doe@example.com',
          displayName: 'Jane Doe',
          name: {
            givenName: 'Jane',
            familyName: 'Doe',
            middleName: 'Q',
            formatted: 'Dr. Jane Q Doe',
            honorificPrefix: 'Dr.',
            honorificSuffix: 'PhD',
          },
          nickName: 'JD',
          profileUrl: 'https://example.com/jane',
          emails: [{ value: 'Jane.Doe@Example.com', type: 'work', primary: true }],
          addresses: [
            {
              streetAddress: '1 Main St',
              locality: 'Town',
              region: 'WA',
              postalCode: '98101',
              country: 'US',
              primary: true,
            },
          ],
          phoneNumbers: [{ value: '+1 555 0100', type: 'work', primary: true }],
          photos: [{ value: 'https://example.com/jane.png', type: 'photo', primary: true }],
          roles: [{ value: 'engineer', type: 'job', primary: true }],
          userType: 'Employee',
          title: 'Engineer',
          preferredLanguage: 'en-US',
          locale: 'en-US',
          timezone: 'America/Los_Angeles',
          website: 'https://example.com',
          birthdate: '1990-01-01',
          extensions: { 'aws:identitystore:enterprise': { department: 'R&D', manager: { value: 'boss' } } },
        };
        const created = await service.createUser(scope, storeId, profile);
        expect(created.userId).toMatch(RESOURCE_ID);
        expect(created.userId.slice(0, 10)).toBe(storeId.slice(2));

        const { extensions, ...withoutExtensions } = profile;
        const described = await service.describeUser(scope, storeId, created.userId);
        expect(described).toEqual({
          ...withoutExtensions,
          userId: created.userId,
          identityStoreId: storeId,
          status: 'ENABLED',
          externalIds: [],
          createdAt: clock.now(),
          createdBy: scope.principalArn,
          updatedAt: clock.now(),
          updatedBy: scope.principalArn,
        });
        // Extensions come back only when asked for by name.
        const withExtensions = await service.describeUser(scope, storeId, created.userId, {
          extensions: ['aws:identitystore:enterprise'],
        });
        expect(withExtensions.extensions).toEqual(extensions);
      });

      it('requires userName, displayName, name.givenName and name.familyName', async () => {
        const all = await failure(service.createUser(scope, storeId, {}));
        expect(all.kind).toBe('Validation');
        expect(all.message).toBe(
          'userName: The attribute userName is required, displayName: The attribute displayName is required, ' +
            'name.givenName: The attribute name.givenName is required, name.familyName: The attribute name.familyName is required',
        );
        const noFamily = await failure(
          service.createUser(scope, storeId, { userName: 'x', displayName: 'X', name: { givenName: 'X' } }),
        );
        expect(noFamily.message).toBe('name.familyName: The attribute name.familyName is required');
        const noDisplay = await failure(
          service.createUser(scope, storeId, { ...person('y'), displayName: undefined }),
        );
        expect(noDisplay.message).toBe('displayName: The attribute displayName is required');
      });

      it('refuses the reserved names in any case', async () => {
        for (const userName of ['Administrator', 'administrator', 'AWSAdministrators', 'awsadministrators']) {
          const error = await failure(service.createUser(scope, storeId, person(userName)));
          expect(error.kind).toBe('Validation');
          expect(error.message).toContain('reserved');
        }
      });

      it('keeps user names unique regardless of case', async () => {
        await service.createUser(scope, storeId, person('Unique.Name'));
        const error = await failure(service.createUser(scope, storeId, person('UNIQUE.name')));
        expect(error).toMatchObject({
          kind: 'Conflict',
          code: 'USER_NAME_EXISTS',
          message: 'Duplicate UserName',
          details: { reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' },
        });
        // The same name is free in another identity store.
        const other = await newStore();
        await expect(
          service.createUser(other.scope, other.storeId, person('unique.name')),
        ).resolves.toBeDefined();
      });

      it('lets exactly one of 50 parallel creates of one name (in different cases) win', async () => {
        const attempts = Array.from({ length: 50 }, (_, i) => {
          const userName = [...'race.condition'].map((c, j) => ((i >> j) & 1 ? c.toUpperCase() : c)).join('');
          return service.createUser(scope, storeId, person(userName)).then(
            () => 'created',
            (error: unknown) => (isAppError(error) ? error.code : String(error)),
          );
        });
        const outcomes = await Promise.all(attempts);
        expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
        expect(outcomes.filter((o) => o === 'USER_NAME_EXISTS')).toHaveLength(49);
      });

      it('finds stores only in the owning account and Region', async () => {
        const user = await service.createUser(scope, storeId, person('scoped.user'));
        const unknown = await failure(service.describeUser(scope, 'd-0000000000', user.userId));
        expect(unknown).toMatchObject({
          kind: 'NotFound',
          code: 'IDENTITY_STORE_NOT_FOUND',
          details: { resourceType: 'IDENTITY_STORE', resourceId: 'd-0000000000' },
        });
        const otherAccount: Scope = { ...scope, accountId: ids.accountId() };
        expect(
          (await failure(service.describeUser(otherAccount, storeId, user.userId))).details.resourceType,
        ).toBe('IDENTITY_STORE');
        const otherRegion: Scope = { ...scope, region: 'eu-west-1' };
        expect(
          (await failure(service.createUser(otherRegion, storeId, person('elsewhere')))).details.resourceType,
        ).toBe('IDENTITY_STORE');
        expect((await failure(service.listUsers(otherRegion, storeId))).code).toBe(
          'IDENTITY_STORE_NOT_FOUND',
        );
        const uuidStore = '12345678-1234-1234-1234-123456789012';
        expect((await failure(service.listGroups(scope, uuidStore))).details.resourceId).toBe(uuidStore);
      });

      it('reports unknown users, and users of another store, as USER not found', async () => {
        const missing = '0123456789-00000000-0000-4000-8000-000000000000';
        expect(await failure(service.describeUser(scope, storeId, missing))).toMatchObject({
          kind: 'NotFound',
          details: { resourceType: 'USER', resourceId: missing },
        });
        const other = await newStore();
        const stranger = await service.createUser(other.scope, other.storeId, person('stranger'));
        expect(
          (await failure(service.describeUser(scope, storeId, stranger.userId))).details.resourceType,
        ).toBe('USER');
        expect(
          (
            await failure(
              service.updateUser(scope, storeId, stranger.userId, [{ path: 'title', value: 'x' }]),
            )
          ).code,
        ).toBe('USER_NOT_FOUND');
        expect((await failure(service.deleteUser(scope, storeId, stranger.userId))).code).toBe(
          'USER_NOT_FOUND',
        );
      });

      it('checks extension names and enterprise attributes', async () => {
        const user = await service.createUser(scope, storeId, person('ext.user'));
        expect(
          (
            await failure(
              service.describeUser(scope, storeId, user.userId, { extensions: ['aws:identitystore:other'] }),
            )
          ).kind,
        ).toBe('Validation');
        const wrongName = await failure(
          service.createUser(
            scope,
            storeId,
            person('ext.2', { extensions: { 'aws:identitystore:custom': {} } }),
          ),
        );
        expect(wrongName.message).toContain('aws:identitystore:enterprise is the only supported extension');
        const wrongKey = await failure(
          service.createUser(
            scope,
            storeId,
            person('ext.3', { extensions: { 'aws:identitystore:enterprise': { shoeSize: '9' } } }),
          ),
        );
        expect(wrongKey.message).toContain('shoeSize');
        const wrongType = await failure(
          service.createUser(
            scope,
            storeId,
            person('ext.4', { extensions: { 'aws:identitystore:enterprise': { costCenter: 4 } } }),
          ),
        );
        expect(wrongType.kind).toBe('Validation');
        // A user without the extension has none to show, even when asked.
        const described = await service.describeUser(scope, storeId, user.userId, {
          extensions: ['aws:identitystore:enterprise'],
        });
        expect(described.extensions).toBeUndefined();
      });
    });

    describe('UpdateUser', () => {
      it('applies every operation at once and moves UpdatedAt/UpdatedBy', async () => {
        const user = await service.createUser(
          scope,
          storeId,
          person('update.me', { nickName: 'Nick', title: 'Old' }),
        );
        clock.advance(60_000);
        const editor: Scope = { ...scope, principalArn: `arn:aws:iam::${scope.accountId}:user/editor` };
        await service.updateUser(editor, storeId, user.userId, [
          { path: 'displayName', value: 'Updated Display' },
          { path: 'name.givenName', value: 'NewGiven' },
          { path: 'name.middleName', value: 'M' },
          { path: 'emails', value: [{ value: 'New@Example.com', type: 'work', primary: true }] },
          { path: 'addresses', value: [{ streetAddress: '2 Side St', postalCode: '12345' }] },
          { path: 'nickName' },
          { path: 'title', value: null },
          { path: 'locale', value: 'fr-FR' },
          { path: 'aws:identitystore:enterprise.department', value: 'Sales' },
          { path: 'aws:identitystore:enterprise.manager.value', value: 'manager-id' },
        ]);
        const described = await service.describeUser(scope, storeId, user.userId, {
          extensions: ['aws:identitystore:enterprise'],
        });
        expect(described).toMatchObject({
          userName: 'update.me',
          displayName: 'Updated Display',
          name: { givenName: 'NewGiven', familyName: 'Family', middleName: 'M' },
          emails: [{ value: 'New@Example.com', type: 'work', primary: true }],
          addresses: [{ streetAddress: '2 Side St', postalCode: '12345' }],
          locale: 'fr-FR',
          extensions: {
            'aws:identitystore:enterprise': { department: 'Sales', manager: { value: 'manager-id' } },
          },
          createdAt: user.createdAt,
          createdBy: scope.principalArn,
          updatedAt: clock.now(),
          updatedBy: editor.principalArn,
        });
        expect(described.nickName).toBeUndefined();
        expect(described.title).toBeUndefined();
        // The e-mail index follows the update.
        expect(
          await service.getUserId(scope, storeId, {
            kind: 'uniqueAttribute',
            path: 'emails.value',
            value: 'new@example.com',
          }),
        ).toBe(user.userId);
        // Removing the last enterprise attributes removes the extension.
        await service.updateUser(scope, storeId, user.userId, [{ path: 'aws:identitystore:enterprise' }]);
        const after = await service.describeUser(scope, storeId, user.userId, {
          extensions: ['aws:identitystore:enterprise'],
        });
        expect(after.extensions).toBeUndefined();
      });

      it('replaces the whole name, and keeps UpdatedAt moving even when the clock does not', async () => {
        const user = await service.createUser(scope, storeId, person('whole.name'));
        const first = await service.updateUser(scope, storeId, user.userId, [
          { path: 'name', value: { givenName: 'A', familyName: 'B', honorificPrefix: 'Ms' } },
        ]);
        expect(first.name).toEqual({ givenName: 'A', familyName: 'B', honorificPrefix: 'Ms' });
        const second = await service.updateUser(scope, storeId, user.userId, [
          { path: 'userName', value: 'WHOLE.name' },
        ]);
        expect(second.userName).toBe('WHOLE.name');
        expect(second.updatedAt.getTime()).toBeGreaterThan(first.updatedAt.getTime());
      });

      it('refuses unknown paths, removal of required attributes and values the model refuses, changing nothing', async () => {
        const user = await service.createUser(scope, storeId, person('strict.update', { title: 'Keep' }));
        const cases: { operations: { path: string; value?: unknown }[]; message: string | RegExp }[] = [
          {
            operations: [{ path: 'shoeSize', value: '9' }],
            message: 'shoeSize is not a valid attribute path for a user.',
          },
          {
            operations: [{ path: 'DisplayName', value: 'x' }],
            message: /DisplayName is not a valid attribute path/,
          },
          {
            operations: [{ path: 'userStatus', value: 'DISABLED' }],
            message: /userStatus is not a valid attribute path/,
          },
          {
            operations: [{ path: 'emails.value', value: 'a@b.c' }],
            message: /emails.value is not a valid attribute path/,
          },
          {
            operations: [{ path: 'name.nickName', value: 'x' }],
            message: /name.nickName is not a valid attribute path/,
          },
          {
            operations: [{ path: 'aws:identitystore:other', value: {} }],
            message: /only supported extension/,
          },
          { operations: [{ path: 'userName' }], message: 'userName: The attribute userName is required' },
          {
            operations: [{ path: 'displayName', value: null }],
            message: 'displayName: The attribute displayName is required',
          },
          {
            operations: [{ path: 'name.givenName' }],
            message: 'name.givenName: The attribute name.givenName is required',
          },
          {
            operations: [{ path: 'name' }],
            message: /name.givenName: The attribute name.givenName is required/,
          },
          { operations: [{ path: 'name', value: { givenName: 'A' } }], message: /name.familyName/ },
          {
            operations: [{ path: 'name', value: { givenName: 'A', familyName: 'B', nick: 'x' } }],
            message: 'name.nick is not a valid attribute.',
          },
          { operations: [{ path: 'userName', value: 'Administrator' }], message: /reserved/ },
          {
            operations: [{ path: 'displayName', value: 'x'.repeat(1025) }],
            message:
              /at 'displayName' failed to satisfy constraint: Member must have length less than or equal to 1024/,
          },
          {
            operations: [{ path: 'userName', value: 'has space' }],
            message:
              /at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
          },
          {
            operations: [{ path: 'displayName', value: 42 }],
            message: 'NUMBER_VALUE can not be converted to a String',
          },
          {
            operations: [{ path: 'emails', value: { value: 'a@b.c' } }],
            message: 'The value of emails must be a list.',
          },
          {
            operations: [{ path: 'emails', value: [{ value: 'a@b.c' }, { value: 'd@e.f' }] }],
            message:
              /at 'emails' failed to satisfy constraint: Member must have length less than or equal to 1/,
          },
          {
            operations: [{ path: 'photos', value: [{ type: 'photo' }] }],
            message: /'photos.1.member.value' failed to satisfy constraint: Member must not be null/,
          },
          // A valid first operation does not land when a later one is refused.
          {
            operations: [
              { path: 'title', value: 'Changed' },
              { path: 'bogus', value: 'x' },
            ],
            message: /bogus/,
          },
        ];
        for (const { operations, message } of cases) {
          const error = await failure(service.updateUser(scope, storeId, user.userId, operations));
          expect(error.kind, JSON.stringify(operations)).toBe('Validation');
          if (typeof message === 'string') expect(error.message).toBe(message);
          else expect(error.message).toMatch(message);
        }
        const unchanged = await service.describeUser(scope, storeId, user.userId);
        expect(unchanged).toEqual({ ...user, externalIds: [] });
      });

      it('refuses renaming onto another user name in any case, but allows changing the case of its own', async () => {
        await service.createUser(scope, storeId, person('taken.name'));
        const user = await service.createUser(scope, storeId, person('free.name'));
        const error = await failure(
          service.updateUser(scope, storeId, user.userId, [{ path: 'userName', value: 'TAKEN.NAME' }]),
        );
        expect(error).toMatchObject({
          kind: 'Conflict',
          message: 'Duplicate UserName',
          details: { reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' },
        });
        await service.updateUser(scope, storeId, user.userId, [{ path: 'userName', value: 'Free.Name' }]);
        expect((await service.describeUser(scope, storeId, user.userId)).userName).toBe('Free.Name');
      });

      it('loses no update when several run at once', async () => {
        const user = await service.createUser(scope, storeId, person('busy.user'));
        const paths = ['nickName', 'title', 'userType', 'locale', 'timezone', 'website'];
        await Promise.all(
          paths.map((path) =>
            service.updateUser(scope, storeId, user.userId, [{ path, value: `v-${path}` }]),
          ),
        );
        const described = await service.describeUser(scope, storeId, user.userId);
        for (const path of paths) expect(described[path as keyof typeof described]).toBe(`v-${path}`);
      });
    });

    describe('DeleteUser, ListUsers and GetUserId', () => {
      it('deletes a user with its memberships and external IDs', async () => {
        const user = await service.createUser(scope, storeId, person('leaving.user'));
        const group = await service.createGroup(scope, storeId, { displayName: 'Leavers' });
        await service.createGroupMembership(scope, storeId, group.groupId, user.userId);
        await service.linkExternalId(
          scope,
          storeId,
          { type: 'USER', id: user.userId },
          { issuer: 'hr', id: 'E-1' },
        );
        await service.deleteUser(scope, storeId, user.userId);

        expect((await failure(service.describeUser(scope, storeId, user.userId))).code).toBe(
          'USER_NOT_FOUND',
        );
        expect((await service.listGroupMemberships(scope, storeId, group.groupId)).items).toEqual([]);
        const rows = await database.db
          .selectFrom('group_memberships')
          .select('membership_id')
          .where('member_user_id', '=', user.userId)
          .execute();
        expect(rows).toEqual([]);
        const links = await database.db
          .selectFrom('external_ids')
          .selectAll()
          .where('principal_id', '=', user.userId)
          .execute();
        expect(links).toEqual([]);
        expect((await failure(service.deleteUser(scope, storeId, user.userId))).code).toBe('USER_NOT_FOUND');
        // The external ID is free again.
        const successor = await service.createUser(scope, storeId, person('successor'));
        await service.linkExternalId(
          scope,
          storeId,
          { type: 'USER', id: successor.userId },
          { issuer: 'hr', id: 'E-1' },
        );
      });

      it('pages through users with tokens that never repeat, filtered or not', async () => {
        const { scope: s, storeId: store } = await newStore();
        const created = [];
        for (let i = 0; i < 7; i++)
          created.push(await service.createUser(s, store, person(`page.user.${i}`)));
        const seen: string[] = [];
        const tokens = new Set<string>();
        let nextToken: string | undefined;
        let pages = 0;
        do {
          const page = await service.listUsers(s, store, { limit: 3, nextToken });
          pages++;
          seen.push(...page.items.map((u) => u.userId));
          if (page.nextToken !== undefined) {
            expect(tokens.has(page.nextToken)).toBe(false);
            expect(page.nextToken).not.toBe(nextToken);
            expect(page.nextToken).toMatch(/^[-a-zA-Z0-9+=/:_]+$/);
            tokens.add(page.nextToken);
          } else {
            expect(page.items).toHaveLength(1);
          }
          nextToken = page.nextToken;
        } while (nextToken !== undefined);
        expect(pages).toBe(3);
        expect(seen).toEqual(created.map((u) => u.userId).sort());

        const all = await service.listUsers(s, store);
        expect(all.items).toHaveLength(7);
        expect(all.nextToken).toBeUndefined();
        const exact = await service.listUsers(s, store, { limit: 7 });
        expect(exact.nextToken).toBeUndefined();

        const filtered = await service.listUsers(s, store, {
          limit: 1,
          filter: { attributePath: 'UserName', attributeValue: 'PAGE.USER.3' },
        });
        expect(filtered.items.map((u) => u.userName)).toEqual(['page.user.3']);
        expect(filtered.nextToken).toBeUndefined();
        const none = await service.listUsers(s, store, {
          filter: { attributePath: 'UserName', attributeValue: 'nobody' },
        });
        expect(none.items).toEqual([]);

        const badFilter = await failure(
          service.listUsers(s, store, {
            filter: { attributePath: 'userName', attributeValue: 'page.user.3' },
          }),
        );
        expect(badFilter.kind).toBe('Validation');
        expect((await failure(service.listUsers(s, store, { nextToken: 'garbage' }))).code).toBe(
          'INVALID_NEXT_TOKEN',
        );
        const first = await service.listUsers(s, store, { limit: 1 });
        // A token belongs to its listing: another store's listing refuses it.
        expect((await failure(service.listUsers(scope, storeId, { nextToken: first.nextToken }))).code).toBe(
          'INVALID_NEXT_TOKEN',
        );
      });

      it('lists users with extensions only when asked', async () => {
        const { scope: s, storeId: store } = await newStore();
        await service.createUser(
          s,
          store,
          person('with.ext', { extensions: { 'aws:identitystore:enterprise': { division: 'X' } } }),
        );
        expect((await service.listUsers(s, store)).items[0]?.extensions).toBeUndefined();
        const listed = await service.listUsers(s, store, { extensions: ['aws:identitystore:enterprise'] });
        expect(listed.items[0]?.extensions).toEqual({ 'aws:identitystore:enterprise': { division: 'X' } });
      });

      it('lists users with all their external IDs, filtered or not, and only for the owner', async () => {
        const { scope: s, storeId: store } = await newStore();
        const linked = await service.createUser(s, store, person('linked.user'));
        await service.createUser(s, store, person('plain.user'));
        for (const id of ['b-2', 'a-1', 'c-3']) {
          await service.linkExternalId(s, store, { type: 'USER', id: linked.userId }, { issuer: 'idp', id });
        }
        const expected = [
          { issuer: 'idp', id: 'a-1' },
          { issuer: 'idp', id: 'b-2' },
          { issuer: 'idp', id: 'c-3' },
        ];
        const filtered = await service.listUsers(s, store, {
          filter: { attributePath: 'UserName', attributeValue: 'Linked.User' },
        });
        expect(filtered.items).toHaveLength(1);
        expect(filtered.items[0]?.externalIds).toEqual(expected);
        const all = await service.listUsers(s, store);
        expect(all.items.map((u) => [u.userName, u.externalIds.length]).sort()).toEqual([
          ['linked.user', 3],
          ['plain.user', 0],
        ]);
        expect((await service.describeUser(s, store, linked.userId)).externalIds).toEqual(expected);
        // The one-query reads check ownership: another account sees no store, filtered or not.
        const stranger: Scope = { ...s, accountId: ids.accountId() };
        const denied = await failure(
          service.listUsers(stranger, store, {
            filter: { attributePath: 'UserName', attributeValue: 'linked.user' },
          }),
        );
        expect(denied.code).toBe('IDENTITY_STORE_NOT_FOUND');
        expect((await failure(service.listGroups(stranger, store))).code).toBe('IDENTITY_STORE_NOT_FOUND');
        expect((await failure(service.describeUser(stranger, store, linked.userId))).code).toBe(
          'IDENTITY_STORE_NOT_FOUND',
        );
      });

      it('finds user IDs by userName, emails.value and external ID', async () => {
        const user = await service.createUser(
          scope,
          storeId,
          person('Lookup.User', { emails: [{ value: 'Lookup@Example.com', primary: true }] }),
        );
        await service.linkExternalId(
          scope,
          storeId,
          { type: 'USER', id: user.userId },
          { issuer: 'scim', id: 'ext-123' },
        );
        const by = (path: string, value: unknown) =>
          service.getUserId(scope, storeId, { kind: 'uniqueAttribute', path, value });
        expect(await by('userName', 'lookup.user')).toBe(user.userId);
        expect(await by('emails.value', 'LOOKUP@example.COM')).toBe(user.userId);
        expect(
          await service.getUserId(scope, storeId, {
            kind: 'externalId',
            externalId: { issuer: 'scim', id: 'ext-123' },
          }),
        ).toBe(user.userId);
        expect((await service.describeUser(scope, storeId, user.userId)).externalIds).toEqual([
          { issuer: 'scim', id: 'ext-123' },
        ]);

        expect(await failure(by('userName', 'nobody'))).toMatchObject({
          kind: 'NotFound',
          details: { resourceType: 'USER' },
        });
        expect(
          (
            await failure(
              service.getUserId(scope, storeId, {
                kind: 'externalId',
                externalId: { issuer: 'scim', id: 'nope' },
              }),
            )
          ).details.resourceType,
        ).toBe('USER');
        expect((await failure(by('displayName', 'x'))).message).toBe(
          'The attribute displayName is not a unique attribute; use userName or emails.value.',
        );
        expect((await failure(by('UserName', 'lookup.user'))).kind).toBe('Validation');
        expect((await failure(by('userName', 42))).kind).toBe('Validation');
        expect((await failure(by('userName', ''))).kind).toBe('Validation');
        const duplicate = await failure(
          service.linkExternalId(
            scope,
            storeId,
            { type: 'USER', id: user.userId },
            { issuer: 'scim', id: 'ext-123' },
          ),
        );
        expect(duplicate).toMatchObject({
          kind: 'Conflict',
          details: { reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' },
        });
      });

      it('refuses to guess between users sharing an e-mail address', async () => {
        await service.createUser(
          scope,
          storeId,
          person('shared.1', { emails: [{ value: 'shared@example.com' }] }),
        );
        await service.createUser(
          scope,
          storeId,
          person('shared.2', { emails: [{ value: 'SHARED@example.com' }] }),
        );
        const error = await failure(
          service.getUserId(scope, storeId, {
            kind: 'uniqueAttribute',
            path: 'emails.value',
            value: 'shared@example.com',
          }),
        );
        expect(error).toMatchObject({ kind: 'Conflict', code: 'AMBIGUOUS_EMAIL' });
      });
    });

    describe('groups', () => {
      it('creates, describes, updates and deletes a group', async () => {
        const group = await service.createGroup(scope, storeId, {
          displayName: 'Data Scientists',
          description: 'ML people',
        });
        expect(group.groupId).toMatch(RESOURCE_ID);
        expect(await service.describeGroup(scope, storeId, group.groupId)).toEqual({
          ...group,
          externalIds: [],
        });

        clock.advance(1000);
        await service.updateGroup(scope, storeId, group.groupId, [
          { path: 'displayName', value: 'Data Science' },
          { path: 'description' },
        ]);
        const updated = await service.describeGroup(scope, storeId, group.groupId);
        expect(updated).toMatchObject({
          displayName: 'Data Science',
          updatedAt: clock.now(),
          createdAt: group.createdAt,
        });
        expect(updated.description).toBeUndefined();

        await service.deleteGroup(scope, storeId, group.groupId);
        expect(await failure(service.describeGroup(scope, storeId, group.groupId))).toMatchObject({
          kind: 'NotFound',
          details: { resourceType: 'GROUP', resourceId: group.groupId },
        });
        expect((await failure(service.deleteGroup(scope, storeId, group.groupId))).code).toBe(
          'GROUP_NOT_FOUND',
        );
      });

      it('requires a display name that is unique in any case and not reserved', async () => {
        expect((await failure(service.createGroup(scope, storeId, { description: 'x' }))).message).toBe(
          'displayName: The attribute displayName is required',
        );
        for (const displayName of ['Administrator', 'AWSADMINISTRATORS']) {
          expect((await failure(service.createGroup(scope, storeId, { displayName }))).message).toContain(
            'reserved',
          );
        }
        await service.createGroup(scope, storeId, { displayName: 'Engineers' });
        expect(
          await failure(service.createGroup(scope, storeId, { displayName: 'ENGINEERS' })),
        ).toMatchObject({
          kind: 'Conflict',
          code: 'GROUP_DISPLAY_NAME_EXISTS',
          message: 'Duplicate GroupDisplayName',
          details: { reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' },
        });
        const other = await service.createGroup(scope, storeId, { displayName: 'Testers' });
        expect(
          await failure(
            service.updateGroup(scope, storeId, other.groupId, [{ path: 'displayName', value: 'engineers' }]),
          ),
        ).toMatchObject({ kind: 'Conflict', message: 'Duplicate GroupDisplayName' });
        const cases: [{ path: string; value?: unknown }, RegExp][] = [
          [{ path: 'displayName' }, /displayName: The attribute displayName is required/],
          [{ path: 'displayName', value: 'Administrator' }, /reserved/],
          [{ path: 'members', value: [] }, /members is not a valid attribute path for a group/],
          [{ path: 'aws:identitystore:enterprise', value: {} }, /not a valid attribute path for a group/],
          [{ path: 'description', value: 'x'.repeat(1025) }, /'description' failed to satisfy constraint/],
          [
            { path: 'description', value: { nested: true } },
            /Start of structure or map found where not expected/,
          ],
        ];
        for (const [operation, message] of cases) {
          const error = await failure(service.updateGroup(scope, storeId, other.groupId, [operation]));
          expect(error.kind).toBe('Validation');
          expect(error.message).toMatch(message);
        }
        expect((await service.describeGroup(scope, storeId, other.groupId)).displayName).toBe('Testers');
      });

      it('lists groups page by page and filtered by DisplayName', async () => {
        const { scope: s, storeId: store } = await newStore();
        for (let i = 0; i < 5; i++) await service.createGroup(s, store, { displayName: `Team ${i}` });
        const first = await service.listGroups(s, store, { limit: 2 });
        const second = await service.listGroups(s, store, { limit: 2, nextToken: first.nextToken });
        const third = await service.listGroups(s, store, { limit: 2, nextToken: second.nextToken });
        expect([first, second, third].map((p) => p.items.length)).toEqual([2, 2, 1]);
        expect(third.nextToken).toBeUndefined();
        expect(new Set([first.nextToken, second.nextToken]).size).toBe(2);
        const ids = [...first.items, ...second.items, ...third.items].map((g) => g.groupId);
        expect(ids).toEqual([...ids].sort());
        const filtered = await service.listGroups(s, store, {
          filter: { attributePath: 'DisplayName', attributeValue: 'team 3' },
        });
        expect(filtered.items.map((g) => g.displayName)).toEqual(['Team 3']);
        expect(
          (
            await failure(
              service.listGroups(s, store, { filter: { attributePath: 'displayName', attributeValue: 'x' } }),
            )
          ).kind,
        ).toBe('Validation');
      });

      it('finds group IDs by displayName and external ID', async () => {
        const group = await service.createGroup(scope, storeId, { displayName: 'Lookup Group' });
        await service.linkExternalId(
          scope,
          storeId,
          { type: 'GROUP', id: group.groupId },
          { issuer: 'ad', id: 'S-1-5' },
        );
        expect(
          await service.getGroupId(scope, storeId, {
            kind: 'uniqueAttribute',
            path: 'displayName',
            value: 'LOOKUP group',
          }),
        ).toBe(group.groupId);
        expect(
          await service.getGroupId(scope, storeId, {
            kind: 'externalId',
            externalId: { issuer: 'ad', id: 'S-1-5' },
          }),
        ).toBe(group.groupId);
        expect((await service.describeGroup(scope, storeId, group.groupId)).externalIds).toEqual([
          { issuer: 'ad', id: 'S-1-5' },
        ]);
        expect(
          (
            await failure(
              service.getGroupId(scope, storeId, {
                kind: 'uniqueAttribute',
                path: 'displayName',
                value: 'none',
              }),
            )
          ).details.resourceType,
        ).toBe('GROUP');
        expect(
          (
            await failure(
              service.getGroupId(scope, storeId, {
                kind: 'uniqueAttribute',
                path: 'description',
                value: 'x',
              }),
            )
          ).kind,
        ).toBe('Validation');
        // A user's external ID does not name a group.
        expect(
          (
            await failure(
              service.getGroupId(scope, storeId, {
                kind: 'externalId',
                externalId: { issuer: 'scim', id: 'ext-123' },
              }),
            )
          ).code,
        ).toBe('GROUP_NOT_FOUND');
      });
    });

    describe('group memberships', () => {
      it('creates, finds, describes and deletes a membership', async () => {
        const user = await service.createUser(scope, storeId, person('member.one'));
        const group = await service.createGroup(scope, storeId, { displayName: 'Members One' });
        const membership = await service.createGroupMembership(scope, storeId, group.groupId, user.userId);
        expect(membership.membershipId).toMatch(RESOURCE_ID);
        expect(await service.describeGroupMembership(scope, storeId, membership.membershipId)).toEqual(
          membership,
        );
        expect(await service.getGroupMembershipId(scope, storeId, group.groupId, user.userId)).toBe(
          membership.membershipId,
        );

        expect(
          await failure(service.createGroupMembership(scope, storeId, group.groupId, user.userId)),
        ).toMatchObject({
          kind: 'Conflict',
          message: 'Member and Group relationship already exists',
          details: { reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' },
        });

        await service.deleteGroupMembership(scope, storeId, membership.membershipId);
        const gone = await failure(service.describeGroupMembership(scope, storeId, membership.membershipId));
        expect(gone).toMatchObject({
          kind: 'NotFound',
          details: { resourceType: 'GROUP_MEMBERSHIP', resourceId: membership.membershipId },
        });
        expect(
          (await failure(service.deleteGroupMembership(scope, storeId, membership.membershipId))).details
            .resourceType,
        ).toBe('GROUP_MEMBERSHIP');
        expect(
          (await failure(service.getGroupMembershipId(scope, storeId, group.groupId, user.userId))).details
            .resourceType,
        ).toBe('GROUP_MEMBERSHIP');
      });

      it('names the missing group or user', async () => {
        const user = await service.createUser(scope, storeId, person('member.two'));
        const group = await service.createGroup(scope, storeId, { displayName: 'Members Two' });
        const missing = '0123456789-00000000-0000-4000-8000-000000000001';
        expect(
          (await failure(service.createGroupMembership(scope, storeId, missing, user.userId))).details,
        ).toMatchObject({
          resourceType: 'GROUP',
          resourceId: missing,
        });
        expect(
          (await failure(service.createGroupMembership(scope, storeId, group.groupId, missing))).details,
        ).toMatchObject({
          resourceType: 'USER',
          resourceId: missing,
        });
        expect(
          (await failure(service.getGroupMembershipId(scope, storeId, missing, user.userId))).details
            .resourceType,
        ).toBe('GROUP');
        expect(
          (await failure(service.getGroupMembershipId(scope, storeId, group.groupId, missing))).details
            .resourceType,
        ).toBe('USER');
        expect(
          (await failure(service.listGroupMemberships(scope, storeId, missing))).details.resourceType,
        ).toBe('GROUP');
        expect(
          (await failure(service.listGroupMembershipsForMember(scope, storeId, missing))).details
            .resourceType,
        ).toBe('USER');
        expect(
          (await failure(service.isMemberInGroups(scope, storeId, missing, [group.groupId]))).details
            .resourceType,
        ).toBe('USER');
        // A user of another store cannot join this store's group.
        const other = await newStore();
        const stranger = await service.createUser(other.scope, other.storeId, person('stranger.two'));
        expect(
          (await failure(service.createGroupMembership(scope, storeId, group.groupId, stranger.userId)))
            .details.resourceType,
        ).toBe('USER');
        expect(
          (
            await failure(
              service.createGroupMembership(other.scope, other.storeId, group.groupId, stranger.userId),
            )
          ).details,
        ).toMatchObject({ resourceType: 'GROUP' });
        expect(
          (await failure(service.createGroupMembership(scope, 'd-0000000000', group.groupId, user.userId)))
            .details.resourceType,
        ).toBe('IDENTITY_STORE');
      });

      it('pages through memberships of a group and of a member', async () => {
        const { scope: s, storeId: store } = await newStore();
        const group = await service.createGroup(s, store, { displayName: 'Big Group' });
        const users = [];
        for (let i = 0; i < 5; i++) users.push(await service.createUser(s, store, person(`big.${i}`)));
        for (const user of users) await service.createGroupMembership(s, store, group.groupId, user.userId);

        const collected: string[] = [];
        const tokens: string[] = [];
        let nextToken: string | undefined;
        do {
          const page = await service.listGroupMemberships(s, store, group.groupId, { limit: 2, nextToken });
          collected.push(...page.items.map((m) => m.userId));
          if (page.nextToken !== undefined) tokens.push(page.nextToken);
          nextToken = page.nextToken;
        } while (nextToken !== undefined);
        expect(collected.sort()).toEqual(users.map((u) => u.userId).sort());
        expect(tokens).toHaveLength(2);
        expect(new Set(tokens).size).toBe(2);

        const groups = [];
        for (let i = 0; i < 3; i++)
          groups.push(await service.createGroup(s, store, { displayName: `Small ${i}` }));
        const member = users[0]!;
        for (const g of groups) await service.createGroupMembership(s, store, g.groupId, member.userId);
        const firstPage = await service.listGroupMembershipsForMember(s, store, member.userId, { limit: 3 });
        expect(firstPage.items).toHaveLength(3);
        expect(firstPage.nextToken).toBeDefined();
        const lastPage = await service.listGroupMembershipsForMember(s, store, member.userId, {
          limit: 3,
          nextToken: firstPage.nextToken,
        });
        expect(lastPage.items).toHaveLength(1);
        expect(lastPage.nextToken).toBeUndefined();
        expect([...firstPage.items, ...lastPage.items].map((m) => m.groupId).sort()).toEqual(
          [group.groupId, ...groups.map((g) => g.groupId)].sort(),
        );
        // A group listing's token is refused by the member listing.
        const groupPage = await service.listGroupMemberships(s, store, group.groupId, { limit: 1 });
        expect(
          (
            await failure(
              service.listGroupMembershipsForMember(s, store, member.userId, {
                nextToken: groupPage.nextToken,
              }),
            )
          ).code,
        ).toBe('INVALID_NEXT_TOKEN');
      });

      it('answers IsMemberInGroups for direct memberships only, ignoring nested group rows', async () => {
        const { scope: s, storeId: store } = await newStore();
        const user = await service.createUser(s, store, person('nested.user'));
        const direct = await service.createGroup(s, store, { displayName: 'Direct' });
        const inner = await service.createGroup(s, store, { displayName: 'Inner' });
        const outer = await service.createGroup(s, store, { displayName: 'Outer' });
        await service.createGroupMembership(s, store, direct.groupId, user.userId);
        await service.createGroupMembership(s, store, inner.groupId, user.userId);
        // Outer contains Inner: a nested membership, as directory sync may make (the API cannot).
        await database.db
          .insertInto('group_memberships')
          .values({
            membership_id: ids.directoryObjectId(store),
            identity_store_id: store,
            group_id: outer.groupId,
            member_user_id: null,
            member_group_id: inner.groupId,
            created_at: 0,
            created_by: null,
            updated_at: 0,
            updated_by: null,
          })
          .execute();
        const unknown = '0123456789-00000000-0000-4000-8000-000000000002';
        const results = await service.isMemberInGroups(s, store, user.userId, [
          outer.groupId,
          direct.groupId,
          unknown,
          inner.groupId,
        ]);
        expect(results).toEqual([
          { groupId: outer.groupId, userId: user.userId, membershipExists: false },
          { groupId: direct.groupId, userId: user.userId, membershipExists: true },
          { groupId: unknown, userId: user.userId, membershipExists: false },
          { groupId: inner.groupId, userId: user.userId, membershipExists: true },
        ]);
        // The nested row is not an AWS membership: listings skip it.
        expect((await service.listGroupMemberships(s, store, outer.groupId)).items).toEqual([]);
        const forMember = await service.listGroupMembershipsForMember(s, store, user.userId);
        expect(forMember.items.map((m) => m.groupId).sort()).toEqual([direct.groupId, inner.groupId].sort());
        // Deleting the inner group cascades to both kinds of rows.
        await service.deleteGroup(s, store, inner.groupId);
        const left = await database.db
          .selectFrom('group_memberships')
          .select('membership_id')
          .where((eb) =>
            eb.or([eb('group_id', '=', inner.groupId), eb('member_group_id', '=', inner.groupId)]),
          )
          .execute();
        expect(left).toEqual([]);
        expect((await service.listGroupMembershipsForMember(s, store, user.userId)).items).toHaveLength(1);
      });

      it('deleting a group removes its memberships', async () => {
        const user = await service.createUser(scope, storeId, person('cascade.user'));
        const group = await service.createGroup(scope, storeId, { displayName: 'Cascade Group' });
        const membership = await service.createGroupMembership(scope, storeId, group.groupId, user.userId);
        await service.deleteGroup(scope, storeId, group.groupId);
        expect(
          (await failure(service.describeGroupMembership(scope, storeId, membership.membershipId))).code,
        ).toBe('GROUP_MEMBERSHIP_NOT_FOUND');
        expect((await service.listGroupMembershipsForMember(scope, storeId, user.userId)).items).toEqual([]);
      });

      it('keeps memberships to their store', async () => {
        const user = await service.createUser(scope, storeId, person('private.member'));
        const group = await service.createGroup(scope, storeId, { displayName: 'Private Group' });
        const membership = await service.createGroupMembership(scope, storeId, group.groupId, user.userId);
        const other = await newStore();
        expect(
          (
            await failure(
              service.describeGroupMembership(other.scope, other.storeId, membership.membershipId),
            )
          ).code,
        ).toBe('GROUP_MEMBERSHIP_NOT_FOUND');
        expect(
          (await failure(service.describeGroupMembership(other.scope, storeId, membership.membershipId)))
            .code,
        ).toBe('IDENTITY_STORE_NOT_FOUND');
        expect(
          (await failure(service.deleteGroupMembership(other.scope, other.storeId, membership.membershipId)))
            .code,
        ).toBe('GROUP_MEMBERSHIP_NOT_FOUND');
        expect(await service.describeGroupMembership(scope, storeId, membership.membershipId)).toEqual(
          membership,
        );
      });
    });
  });
}
