import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessServices, accessServicesOn } from '../../../test/support/access-services.js';
import { type Prng, prng } from '../../../test/support/prng.js';
import {
  openTestDatabase,
  postgresUnavailableReason,
  testDialects,
} from '../../../test/support/test-databases.js';
import { ManualClock } from '../../core/clock.js';
import type { Scope } from '../../core/scope.js';
import type { Database } from '../../storage/database.js';
import { type AccessDecision, NAMED_GROUPS } from './access-decision.js';
import { CUSTOM_PROVIDER_ARN } from './application-providers.js';
import { applicationArnOf } from './applications.service.js';
import type { Application } from './applications.types.js';

/**
 * `decideForUsers` (a page of users at once, the console's onboarding table) against
 * `decideForApplication` (one user, the portal and explain-access): in random directories, with
 * nesting, disabled users and applications, and users in more granting groups than a decision
 * names, both give the same decision for every user, nested path and named groups included.
 */

const ROUNDS = 40;

/** Counts the statements run through the database handle: the batch must not grow with the page. */
const statementCounter = () => {
  let count = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      count++;
      return args.result;
    },
  };
  return { plugin, take: () => count, reset: () => (count = 0) };
};

const person = (userName: string) => ({
  userName,
  displayName: userName,
  name: { givenName: 'Given', familyName: 'Family' },
});

const pgUnavailable = await postgresUnavailableReason();

for (const dialect of testDialects()) {
  const skipReason = dialect === 'postgres' ? pgUnavailable : undefined;
  const suite = skipReason === undefined ? describe : describe.skip;

  suite(`access for a page of users at once on ${dialect}${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
    let database: Database;
    let s: AccessServices;
    const statements = statementCounter();
    const clock = new ManualClock(new Date('2026-12-01T10:00:00.000Z'));

    beforeAll(async () => {
      database = await openTestDatabase(dialect);
      s = accessServicesOn({ ...database, db: database.db.withPlugin(statements.plugin) }, clock);
    });
    afterAll(async () => {
      await database?.close();
    });

    /** A random directory: users, groups, nesting, memberships, applications and assignments. */
    const build = async (r: Prng) => {
      const { scope, instance, instanceArn } = await s.newTenant();
      const store = instance.identityStoreId;
      const users: string[] = [];
      for (let i = r.int(2, 8); i > 0; i--) {
        const user = await s.identityStore.createUser(scope, store, person(`user${i}`));
        users.push(user.userId);
      }
      const groups: string[] = [];
      for (let i = r.int(2, 14); i > 0; i--) {
        groups.push((await s.identityStore.createGroup(scope, store, { displayName: `Group ${i}` })).groupId);
      }
      for (let k = r.int(0, groups.length * 2); k > 0; k--) {
        // Cycles and repeats are refused; the nesting that is left is what counts.
        await s.identityStore
          .addGroupToGroup(scope, store, r.pick(groups), r.pick(groups))
          .catch(() => undefined);
      }
      // Sometimes one user in every group: more granting groups than a decision names.
      const joiner = r.chance(0.3) ? r.pick(users) : undefined;
      for (const userId of users) {
        for (const groupId of userId === joiner ? groups : r.subset(groups, 0.3)) {
          await s.identityStore.createGroupMembership(scope, store, groupId, userId);
        }
      }
      const applications: Application[] = [];
      for (let i = r.int(1, 3); i > 0; i--) {
        const app = await s.applications.createApplication(scope, {
          instanceArn,
          providerArn: CUSTOM_PROVIDER_ARN,
          name: `App ${i}`,
        });
        const arn = applicationArnOf(app);
        if (r.chance(0.15)) await s.applications.putAssignmentConfiguration(scope, arn, false);
        if (r.chance(0.1)) await s.applications.updateApplication(scope, arn, { status: 'DISABLED' });
        for (const userId of r.subset(users, 0.2)) {
          await s.applications.createAssignment(scope, arn, { type: 'USER', id: userId });
        }
        for (const groupId of r.chance(0.2) ? groups : r.subset(groups, 0.3)) {
          await s.applications.createAssignment(scope, arn, { type: 'GROUP', id: groupId });
        }
        applications.push(app);
      }
      if (r.chance(0.3)) {
        await database.db
          .updateTable('users')
          .set({ status: 'DISABLED' })
          .where('user_id', '=', r.pick(users))
          .execute();
      }
      return { scope, users, applications };
    };

    /** The current state of each application (the random build may have changed it since creation). */
    const current = (scope: Scope, app: Application) =>
      s.applications.describeApplication(scope, applicationArnOf(app));

    it(`gives every user the decision decideForApplication gives, in ${ROUNDS} random directories`, async () => {
      const reasons = new Set<string>();
      let truncated = 0;
      for (let seed = 1; seed <= ROUNDS; seed++) {
        const { scope, users, applications } = await build(prng(seed));
        for (const created of applications) {
          const app = await current(scope, created);
          const batch = await s.access.decideForUsers(app, [...users, 'not-a-user', users[0] as string]);
          const one = new Map<string, AccessDecision>();
          for (const userId of users) one.set(userId, await s.access.decideForApplication(app, userId));
          expect(batch, `seed ${seed}, ${app.name}`).toEqual(one);
          for (const decision of one.values()) {
            reasons.add(decision.reason);
            if (decision.moreGroups) truncated++;
          }
        }
      }
      // The random directories reach every answer, and decisions that name only NAMED_GROUPS groups.
      expect([...reasons].sort()).toEqual([
        'application-disabled',
        'assignment-not-required',
        'direct',
        'group',
        'nested-group-only',
        'not-assigned',
        'user-disabled',
      ]);
      expect(truncated).toBeGreaterThan(0);
    });

    it('reads a page of users in a fixed number of queries, however many need the nesting', async () => {
      const { scope, instance, instanceArn } = await s.newTenant();
      const store = instance.identityStoreId;
      // Assigned ⊃ Middle ⊃ Inner: everyone in Inner is refused "only through nested group".
      const group = async (displayName: string) =>
        (await s.identityStore.createGroup(scope, store, { displayName })).groupId;
      const [assigned, middle, inner, granting] = [
        await group('Assigned'),
        await group('Middle'),
        await group('Inner'),
        await group('Granting'),
      ];
      await s.identityStore.addGroupToGroup(scope, store, assigned, middle);
      await s.identityStore.addGroupToGroup(scope, store, middle, inner);
      const app = await s.applications.createApplication(scope, {
        instanceArn,
        providerArn: CUSTOM_PROVIDER_ARN,
        name: 'Studio',
      });
      for (const groupId of [assigned, granting]) {
        await s.applications.createAssignment(scope, applicationArnOf(app), { type: 'GROUP', id: groupId });
      }
      const users: string[] = [];
      for (let i = 0; i < 30; i++) {
        const user = await s.identityStore.createUser(scope, store, person(`member${i}`));
        await s.identityStore.createGroupMembership(
          scope,
          store,
          i % 3 === 0 ? granting : inner,
          user.userId,
        );
        users.push(user.userId);
      }

      statements.reset();
      const decisions = await s.access.decideForUsers(app, users);
      const batch = statements.take();
      statements.reset();
      for (const userId of users) await s.access.decideForApplication(app, userId);
      const oneByOne = statements.take();

      expect([...decisions.values()].filter((d) => d.reason === 'nested-group-only')).toHaveLength(20);
      expect(decisions.get(users[1] as string)?.nestedPath?.map((g) => g.displayName)).toEqual([
        'Inner',
        'Middle',
        'Assigned',
      ]);
      // Users, granting groups; then direct groups, the nesting above and the group names.
      expect(batch).toBe(5);
      expect(oneByOne).toBeGreaterThanOrEqual(30 * 2);
      expect(await s.access.decideForUsers(app, [])).toEqual(new Map());
    });

    it('names the first NAMED_GROUPS granting groups of each user, as one decision does', async () => {
      const { scope, instance, instanceArn } = await s.newTenant();
      const store = instance.identityStoreId;
      const app = await s.applications.createApplication(scope, {
        instanceArn,
        providerArn: CUSTOM_PROVIDER_ARN,
        name: 'Wide',
      });
      const many = await s.identityStore.createUser(scope, store, person('many'));
      const few = await s.identityStore.createUser(scope, store, person('few'));
      for (let i = 0; i < NAMED_GROUPS + 3; i++) {
        const groupId = (await s.identityStore.createGroup(scope, store, { displayName: `Team ${i}` }))
          .groupId;
        await s.applications.createAssignment(scope, applicationArnOf(app), { type: 'GROUP', id: groupId });
        await s.identityStore.createGroupMembership(scope, store, groupId, many.userId);
        if (i < 2) await s.identityStore.createGroupMembership(scope, store, groupId, few.userId);
      }
      const batch = await s.access.decideForUsers(app, [many.userId, few.userId]);
      expect(batch.get(many.userId)).toMatchObject({ reason: 'group', moreGroups: true });
      expect(batch.get(many.userId)?.groups).toHaveLength(NAMED_GROUPS);
      expect(batch.get(few.userId)).toMatchObject({ reason: 'group', moreGroups: false });
      expect(batch.get(few.userId)?.groups).toHaveLength(2);
      expect(batch.get(many.userId)).toEqual(await s.access.decideForApplication(app, many.userId));
      expect(batch.get(few.userId)).toEqual(await s.access.decideForApplication(app, few.userId));
    });
  });
}
