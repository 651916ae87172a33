import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessServices, accessServicesOn } from '../../../test/support/access-services.js';
import { type Prng, prng } from '../../../test/support/prng.js';
import {
  openTestDatabase,
  postgresUnavailableReason,
  testDialects,
} from '../../../test/support/test-databases.js';
import { ManualClock } from '../../core/clock.js';
import { isAppError } from '../../core/errors.js';
import type { Database } from '../../storage/database.js';
import { describeAccess } from './access-decision.js';
import { CUSTOM_PROVIDER_ARN } from './application-providers.js';
import { applicationArnOf } from './applications.service.js';
import type { Application } from './applications.types.js';

/**
 * The access decision against a model, on a real database: random users, groups, nested groups,
 * memberships and assignments, stored through the services; then every (user, application) pair
 * is asked and compared with what the direct edges alone say. Each round is a seed; a failure
 * names it.
 */

const ROUNDS = 50;

interface Model {
  users: { id: string; name: string; disabled: boolean }[];
  groups: { id: string; name: string }[];
  /** parent group ID → IDs of the groups directly inside it. */
  contains: Map<string, Set<string>>;
  /** user ID → IDs of the groups it is a direct member of. */
  memberOf: Map<string, Set<string>>;
  apps: {
    app: Application;
    arn: string;
    required: boolean;
    enabled: boolean;
    users: Set<string>;
    groups: Set<string>;
  }[];
  membershipIds: Map<string, string>;
}

/** Whether `inner` is `outer` or nested in it at any depth, in the model. */
const modelContains = (model: Model, outer: string, inner: string): boolean => {
  const seen = new Set<string>([outer]);
  const queue = [outer];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    if (current === inner) return true;
    for (const child of model.contains.get(current) ?? []) {
      if (!seen.has(child)) {
        seen.add(child);
        queue.push(child);
      }
    }
  }
  return false;
};

/** Shortest number of nesting steps from one of the user's direct groups up to an assigned group. */
const nestedDistance = (model: Model, direct: Set<string>, assigned: Set<string>): number | undefined => {
  const parentsOf = (id: string) =>
    [...model.contains.entries()].filter(([, children]) => children.has(id)).map(([parent]) => parent);
  const distance = new Map<string, number>([...direct].map((id) => [id, 0]));
  const queue = [...direct];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    for (const parent of parentsOf(current)) {
      if (distance.has(parent)) continue;
      const d = (distance.get(current) ?? 0) + 1;
      distance.set(parent, d);
      if (assigned.has(parent)) return d;
      queue.push(parent);
    }
  }
  return undefined;
};

const pgUnavailable = await postgresUnavailableReason();

for (const dialect of testDialects()) {
  const skipReason = dialect === 'postgres' ? pgUnavailable : undefined;
  const suite = skipReason === undefined ? describe : describe.skip;

  suite(`the access decision as a property on ${dialect}${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
    let database: Database;
    let s: AccessServices;
    const clock = new ManualClock(new Date('2026-12-01T10:00:00.000Z'));

    beforeAll(async () => {
      database = await openTestDatabase(dialect);
      s = accessServicesOn(database, clock);
    });
    afterAll(async () => {
      await database?.close();
    });

    const build = async (r: Prng) => {
      const { scope, instance, instanceArn } = await s.newTenant();
      const store = instance.identityStoreId;
      const model: Model = {
        users: [],
        groups: [],
        contains: new Map(),
        memberOf: new Map(),
        apps: [],
        membershipIds: new Map(),
      };
      for (let i = r.int(2, 5); i > 0; i--) {
        const user = await s.identityStore.createUser(scope, store, {
          userName: `user${i}`,
          displayName: `User ${i}`,
          name: { givenName: 'U', familyName: `${i}` },
        });
        model.users.push({ id: user.userId, name: user.userName, disabled: false });
        model.memberOf.set(user.userId, new Set());
      }
      for (let i = r.int(2, 8); i > 0; i--) {
        const group = await s.identityStore.createGroup(scope, store, { displayName: `Group ${i}` });
        model.groups.push({ id: group.groupId, name: group.displayName });
        model.contains.set(group.groupId, new Set());
      }
      // Nesting, refused exactly where the model says it would be a cycle (or already there).
      for (let k = r.int(0, model.groups.length * 2); k > 0; k--) {
        const parent = r.pick(model.groups).id;
        const child = r.pick(model.groups).id;
        const outcome = await s.identityStore.addGroupToGroup(scope, store, parent, child).then(
          () => 'added',
          (error: unknown) => (isAppError(error) ? error.code : String(error)),
        );
        const expected =
          parent === child || modelContains(model, child, parent)
            ? 'GROUP_NESTING_CYCLE'
            : model.contains.get(parent)?.has(child)
              ? 'MEMBERSHIP_EXISTS'
              : 'added';
        expect(outcome).toBe(expected);
        if (outcome === 'added') model.contains.get(parent)?.add(child);
      }
      for (const user of model.users) {
        for (const group of r.subset(model.groups, 0.35)) {
          const membership = await s.identityStore.createGroupMembership(scope, store, group.id, user.id);
          model.memberOf.get(user.id)?.add(group.id);
          model.membershipIds.set(`${user.id}:${group.id}`, membership.membershipId);
        }
      }
      for (let i = r.int(1, 3); i > 0; i--) {
        const app = await s.applications.createApplication(scope, {
          instanceArn,
          providerArn: CUSTOM_PROVIDER_ARN,
          name: `App ${i}`,
        });
        const arn = applicationArnOf(app);
        const entry = {
          app,
          arn,
          required: !r.chance(0.15),
          enabled: !r.chance(0.1),
          users: new Set<string>(),
          groups: new Set<string>(),
        };
        if (!entry.required) await s.applications.putAssignmentConfiguration(scope, arn, false);
        if (!entry.enabled) await s.applications.updateApplication(scope, arn, { status: 'DISABLED' });
        for (const user of r.subset(model.users, 0.2)) {
          await s.applications.createAssignment(scope, arn, { type: 'USER', id: user.id });
          entry.users.add(user.id);
        }
        for (const group of r.subset(model.groups, 0.3)) {
          await s.applications.createAssignment(scope, arn, { type: 'GROUP', id: group.id });
          entry.groups.add(group.id);
        }
        model.apps.push(entry);
      }
      const disabled = r.chance(0.3) ? r.pick(model.users) : undefined;
      if (disabled !== undefined) {
        disabled.disabled = true;
        await database.db
          .updateTable('users')
          .set({ status: 'DISABLED' })
          .where('user_id', '=', disabled.id)
          .execute();
      }
      return { scope, instanceArn, store, model };
    };

    /** How often each reason came up: the generator must reach every one of them. */
    const seen = new Map<string, number>();

    const check = async (seed: number, world: Awaited<ReturnType<typeof build>>) => {
      const { scope, instanceArn, store, model } = world;
      const groupName = new Map(model.groups.map((g) => [g.id, g.name]));
      for (const user of model.users) {
        const direct = model.memberOf.get(user.id) ?? new Set<string>();
        const expectedListing: string[] = [];
        const expectedAccessible: string[] = [];
        for (const entry of model.apps) {
          const where = `seed ${seed}, ${user.name} → ${entry.app.name}`;
          const directlyAssigned = entry.users.has(user.id);
          const viaGroups = [...direct].filter((id) => entry.groups.has(id));
          const allowed =
            entry.enabled && !user.disabled && (!entry.required || directlyAssigned || viaGroups.length > 0);
          if (directlyAssigned || viaGroups.length > 0) expectedListing.push(entry.app.applicationId);
          if (allowed) expectedAccessible.push(entry.app.applicationId);

          const decision = await s.access.decideAccess(scope, { applicationArn: entry.arn, userId: user.id });
          expect(decision.allowed, where).toBe(allowed);
          expect(decision.groups.map((g) => g.groupId).sort(), where).toEqual([...viaGroups].sort());
          const expectedReason = !entry.enabled
            ? 'application-disabled'
            : user.disabled
              ? 'user-disabled'
              : !entry.required
                ? 'assignment-not-required'
                : directlyAssigned
                  ? 'direct'
                  : viaGroups.length > 0
                    ? 'group'
                    : nestedDistance(model, direct, entry.groups) !== undefined
                      ? 'nested-group-only'
                      : 'not-assigned';
          expect(decision.reason, where).toBe(expectedReason);
          seen.set(decision.reason, (seen.get(decision.reason) ?? 0) + 1);
          if (decision.reason === 'nested-group-only') {
            const path = decision.nestedPath ?? [];
            expect(direct.has(path[0]?.groupId ?? ''), where).toBe(true);
            expect(entry.groups.has(path[path.length - 1]?.groupId ?? ''), where).toBe(true);
            for (let i = 1; i < path.length; i++) {
              expect(model.contains.get(path[i]?.groupId ?? '')?.has(path[i - 1]?.groupId ?? ''), where).toBe(
                true,
              );
            }
            expect(path.length - 1, where).toBe(nestedDistance(model, direct, entry.groups));
            for (const step of path) expect(step.displayName).toBe(groupName.get(step.groupId));
            expect(describeAccess(decision)).toBe(
              `denied: only through nested group ${path[0]?.displayName} inside assigned group ${path[path.length - 1]?.displayName}`,
            );
          }
        }
        const listed = await s.applications.listAssignmentsForPrincipal(
          scope,
          instanceArn,
          { type: 'USER', id: user.id },
          { limit: 100 },
        );
        expect(
          listed.items.map((i) => i.applicationId),
          `seed ${seed}, listing of ${user.name}`,
        ).toEqual(expectedListing.sort());
        const accessible = user.disabled
          ? []
          : (await s.access.applicationsAccessibleBy(scope, { identityStoreId: store, userId: user.id })).map(
              (a) => a.application.applicationId,
            );
        expect(accessible, `seed ${seed}, portal of ${user.name}`).toEqual(expectedAccessible.sort());
      }
    };

    it(`matches the model of direct edges in ${ROUNDS} random directories, before and after changes`, async () => {
      for (let seed = 1; seed <= ROUNDS; seed++) {
        const r = prng(seed);
        const world = await build(r);
        await check(seed, world);

        // Take a membership and a group assignment away: the next answers must follow at once.
        const { scope, store, model } = world;
        const memberships = [...model.membershipIds.entries()];
        if (memberships.length > 0) {
          const [key, membershipId] = r.pick(memberships);
          const [userId, groupId] = key.split(':') as [string, string];
          await s.identityStore.deleteGroupMembership(scope, store, membershipId);
          model.membershipIds.delete(key);
          model.memberOf.get(userId)?.delete(groupId);
        }
        const withGroups = model.apps.filter((a) => a.groups.size > 0);
        if (withGroups.length > 0) {
          const entry = r.pick(withGroups);
          const groupId = r.pick([...entry.groups]);
          await s.applications.deleteAssignment(scope, entry.arn, { type: 'GROUP', id: groupId });
          entry.groups.delete(groupId);
        }
        await check(seed, world);
      }
      expect([...seen.keys()].sort()).toEqual([
        'application-disabled',
        'assignment-not-required',
        'direct',
        'group',
        'nested-group-only',
        'not-assigned',
        'user-disabled',
      ]);
    });
  });
}
