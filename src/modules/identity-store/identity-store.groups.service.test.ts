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
import type { User } from './identity-store.types.js';

/**
 * What the console's Groups pages need from the identity store beyond the AWS operations: search
 * by display-name prefix, member counts, the groups a group is inside, and moving a user.
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

const pgUnavailable = await postgresUnavailableReason();

for (const dialect of testDialects()) {
  const skipReason = dialect === 'postgres' ? pgUnavailable : undefined;
  const suite = skipReason === undefined ? describe : describe.skip;

  suite(`IdentityStoreService for the console's groups on ${dialect}${skipReason === undefined ? '' : ` (skipped: ${skipReason})`}`, () => {
    let database: Database;
    let service: IdentityStoreService;
    let instances: InstancesService;
    let accounts: AccountsKysely;
    const clock = new ManualClock(new Date('2024-05-01T10:00:00.000Z'));

    /** A fresh account with its own instance, hence its own empty identity store. */
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

    const newUser = (scope: Scope, storeId: string, userName: string): Promise<User> =>
      service.createUser(scope, storeId, {
        userName,
        displayName: userName,
        name: { givenName: 'Given', familyName: 'Family' },
      });

    /** The IDs of the groups the user is directly in, through the AWS operation. */
    const groupsOf = async (scope: Scope, storeId: string, userId: string): Promise<string[]> =>
      (await service.listGroupMembershipsForMember(scope, storeId, userId)).items
        .map((m) => m.groupId)
        .sort();

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
    });

    afterAll(async () => {
      await database?.close();
    });

    describe('searchGroupsByNamePrefix', () => {
      it('finds groups whose display name starts with the prefix in any case, page by page', async () => {
        const { scope, storeId } = await newStore();
        for (const name of ['Data Science', 'data engineering', 'DATA-ops', 'Designers', 'Ops'])
          await service.createGroup(scope, storeId, { displayName: name });
        const first = await service.searchGroupsByNamePrefix(scope, storeId, 'dAtA', { limit: 2 });
        expect(first.items).toHaveLength(2);
        expect(first.nextToken).toBeDefined();
        const second = await service.searchGroupsByNamePrefix(scope, storeId, 'dAtA', {
          limit: 2,
          nextToken: first.nextToken,
        });
        expect(second.nextToken).toBeUndefined();
        const found = [...first.items, ...second.items];
        expect(found.map((g) => g.displayName).sort()).toEqual([
          'DATA-ops',
          'Data Science',
          'data engineering',
        ]);
        const ids = found.map((g) => g.groupId);
        expect(ids).toEqual([...ids].sort());
        expect(
          (await service.searchGroupsByNamePrefix(scope, storeId, 'de')).items.map((g) => g.displayName),
        ).toEqual(['Designers']);
        expect((await service.searchGroupsByNamePrefix(scope, storeId, 'x')).items).toEqual([]);
        // A token of another search is refused, not misread.
        expect(
          (
            await failure(
              service.searchGroupsByNamePrefix(scope, storeId, 'o', { nextToken: first.nextToken }),
            )
          ).code,
        ).toBe('INVALID_NEXT_TOKEN');
      });

      it('sees only the caller’s store', async () => {
        const mine = await newStore();
        const theirs = await newStore();
        await service.createGroup(theirs.scope, theirs.storeId, { displayName: 'Secret team' });
        expect((await service.searchGroupsByNamePrefix(mine.scope, mine.storeId, 'secret')).items).toEqual(
          [],
        );
        expect(
          (await failure(service.searchGroupsByNamePrefix(mine.scope, theirs.storeId, 'secret'))).code,
        ).toBe('IDENTITY_STORE_NOT_FOUND');
      });
    });

    describe('countGroupMembers', () => {
      it('counts direct users and nested groups of each group in one answer', async () => {
        const { scope, storeId } = await newStore();
        const outer = await service.createGroup(scope, storeId, { displayName: 'Outer' });
        const inner = await service.createGroup(scope, storeId, { displayName: 'Inner' });
        const empty = await service.createGroup(scope, storeId, { displayName: 'Empty' });
        for (const name of ['c1', 'c2']) {
          const user = await newUser(scope, storeId, name);
          await service.createGroupMembership(scope, storeId, outer.groupId, user.userId);
        }
        const deep = await newUser(scope, storeId, 'c3');
        await service.createGroupMembership(scope, storeId, inner.groupId, deep.userId);
        await service.addGroupToGroup(scope, storeId, outer.groupId, inner.groupId);

        const counts = await service.countGroupMembers(scope, storeId, [
          outer.groupId,
          inner.groupId,
          empty.groupId,
        ]);
        expect(Object.fromEntries(counts)).toEqual({
          [outer.groupId]: { users: 2, groups: 1 },
          [inner.groupId]: { users: 1, groups: 0 },
          [empty.groupId]: { users: 0, groups: 0 },
        });
        // Another account learns nothing about this store's groups.
        const other = await newStore();
        expect((await failure(service.countGroupMembers(other.scope, storeId, [outer.groupId]))).code).toBe(
          'IDENTITY_STORE_NOT_FOUND',
        );
        expect(
          Object.fromEntries(await service.countGroupMembers(other.scope, other.storeId, [outer.groupId])),
        ).toEqual({ [outer.groupId]: { users: 0, groups: 0 } });
      });
    });

    describe('listGroupsContaining', () => {
      it('lists the groups a group is directly inside, page by page', async () => {
        const { scope, storeId } = await newStore();
        const child = await service.createGroup(scope, storeId, { displayName: 'Child' });
        const parents = [];
        for (let i = 0; i < 3; i++) {
          const parent = await service.createGroup(scope, storeId, { displayName: `Parent ${i}` });
          await service.addGroupToGroup(scope, storeId, parent.groupId, child.groupId);
          parents.push(parent);
        }
        // A grandparent is not a direct container.
        const grandparent = await service.createGroup(scope, storeId, { displayName: 'Grandparent' });
        await service.addGroupToGroup(scope, storeId, grandparent.groupId, parents[0]!.groupId);

        const first = await service.listGroupsContaining(scope, storeId, child.groupId, { limit: 2 });
        const second = await service.listGroupsContaining(scope, storeId, child.groupId, {
          limit: 2,
          nextToken: first.nextToken,
        });
        expect(second.nextToken).toBeUndefined();
        const containers = [...first.items, ...second.items].map((m) => m.groupId);
        expect(containers).toEqual(parents.map((p) => p.groupId).sort());
        expect([...first.items, ...second.items].every((m) => m.memberGroupId === child.groupId)).toBe(true);
        expect((await service.listGroupsContaining(scope, storeId, grandparent.groupId)).items).toEqual([]);
        expect(
          (
            await failure(
              service.listGroupsContaining(scope, storeId, '0123456789-00000000-0000-4000-8000-000000000001'),
            )
          ).code,
        ).toBe('GROUP_NOT_FOUND');
      });
    });

    describe('moveUserToGroup', () => {
      it('moves the user from one group to the other', async () => {
        const { scope, storeId } = await newStore();
        const from = await service.createGroup(scope, storeId, { displayName: 'From' });
        const to = await service.createGroup(scope, storeId, { displayName: 'To' });
        const stays = await service.createGroup(scope, storeId, { displayName: 'Stays' });
        const user = await newUser(scope, storeId, 'mover');
        await service.createGroupMembership(scope, storeId, from.groupId, user.userId);
        await service.createGroupMembership(scope, storeId, stays.groupId, user.userId);

        const moved = await service.moveUserToGroup(scope, storeId, user.userId, from.groupId, to.groupId);
        expect(moved).toMatchObject({
          groupId: to.groupId,
          userId: user.userId,
          createdBy: scope.principalArn,
        });
        expect(await groupsOf(scope, storeId, user.userId)).toEqual([stays.groupId, to.groupId].sort());
        expect(await service.getGroupMembershipId(scope, storeId, to.groupId, user.userId)).toBe(
          moved.membershipId,
        );
      });

      it('leaves the user in the source group when the target group is missing', async () => {
        const { scope, storeId } = await newStore();
        const from = await service.createGroup(scope, storeId, { displayName: 'Source' });
        const user = await newUser(scope, storeId, 'stayer');
        await service.createGroupMembership(scope, storeId, from.groupId, user.userId);
        const missing = '0123456789-00000000-0000-4000-8000-000000000001';
        const error = await failure(
          service.moveUserToGroup(scope, storeId, user.userId, from.groupId, missing),
        );
        expect(error).toMatchObject({
          kind: 'NotFound',
          code: 'GROUP_NOT_FOUND',
          details: { resourceId: missing },
        });
        expect(await groupsOf(scope, storeId, user.userId)).toEqual([from.groupId]);

        // Nor can the target be a group of another store (the foreign key alone would allow it).
        const other = await newStore();
        const foreign = await service.createGroup(other.scope, other.storeId, { displayName: 'Foreign' });
        expect(
          (await failure(service.moveUserToGroup(scope, storeId, user.userId, from.groupId, foreign.groupId)))
            .code,
        ).toBe('GROUP_NOT_FOUND');
        expect(await groupsOf(scope, storeId, user.userId)).toEqual([from.groupId]);
        expect(
          (await service.listGroupMemberships(other.scope, other.storeId, foreign.groupId)).items,
        ).toEqual([]);
      });

      it('leaves the user in the source group when already in the target (the addition fails after the removal)', async () => {
        const { scope, storeId } = await newStore();
        const from = await service.createGroup(scope, storeId, { displayName: 'A' });
        const to = await service.createGroup(scope, storeId, { displayName: 'B' });
        const user = await newUser(scope, storeId, 'both');
        const inFrom = await service.createGroupMembership(scope, storeId, from.groupId, user.userId);
        const inTo = await service.createGroupMembership(scope, storeId, to.groupId, user.userId);
        expect(
          await failure(service.moveUserToGroup(scope, storeId, user.userId, from.groupId, to.groupId)),
        ).toMatchObject({ kind: 'Conflict', code: 'MEMBERSHIP_EXISTS' });
        // The removal was rolled back: the very same membership is still there.
        expect(await service.getGroupMembershipId(scope, storeId, from.groupId, user.userId)).toBe(
          inFrom.membershipId,
        );
        expect(await service.getGroupMembershipId(scope, storeId, to.groupId, user.userId)).toBe(
          inTo.membershipId,
        );
      });

      it('refuses a user who is not in the source group, and a move to the same group', async () => {
        const { scope, storeId } = await newStore();
        const from = await service.createGroup(scope, storeId, { displayName: 'Here' });
        const to = await service.createGroup(scope, storeId, { displayName: 'There' });
        const user = await newUser(scope, storeId, 'outsider');
        expect(
          await failure(service.moveUserToGroup(scope, storeId, user.userId, from.groupId, to.groupId)),
        ).toMatchObject({ kind: 'NotFound', code: 'GROUP_MEMBERSHIP_NOT_FOUND' });
        expect(await groupsOf(scope, storeId, user.userId)).toEqual([]);
        await service.createGroupMembership(scope, storeId, from.groupId, user.userId);
        expect(
          await failure(service.moveUserToGroup(scope, storeId, user.userId, from.groupId, from.groupId)),
        ).toMatchObject({ kind: 'Validation', code: 'SAME_GROUP' });
        expect(await groupsOf(scope, storeId, user.userId)).toEqual([from.groupId]);
        // Another account cannot move this store's users.
        const other = await newStore();
        expect(
          (
            await failure(
              service.moveUserToGroup(other.scope, storeId, user.userId, from.groupId, to.groupId),
            )
          ).code,
        ).toBe('IDENTITY_STORE_NOT_FOUND');
        expect(await groupsOf(scope, storeId, user.userId)).toEqual([from.groupId]);
      });

      it('moves exactly once when the same move runs twice at the same time', async () => {
        const { scope, storeId } = await newStore();
        const from = await service.createGroup(scope, storeId, { displayName: 'Race from' });
        const to = await service.createGroup(scope, storeId, { displayName: 'Race to' });
        const user = await newUser(scope, storeId, 'racer');
        await service.createGroupMembership(scope, storeId, from.groupId, user.userId);
        const outcomes = await Promise.allSettled([
          service.moveUserToGroup(scope, storeId, user.userId, from.groupId, to.groupId),
          service.moveUserToGroup(scope, storeId, user.userId, from.groupId, to.groupId),
        ]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const refused = outcomes.find((o) => o.status === 'rejected');
        expect(isAppError(refused?.reason)).toBe(true);
        expect(await groupsOf(scope, storeId, user.userId)).toEqual([to.groupId]);
      });
    });
  });
}
