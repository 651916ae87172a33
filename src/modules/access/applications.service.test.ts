import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessServices, accessServicesOn } from '../../../test/support/access-services.js';
import {
  openTestDatabase,
  postgresUnavailableReason,
  testDialects,
} from '../../../test/support/test-databases.js';
import { arns } from '../../core/arns.js';
import { ManualClock } from '../../core/clock.js';
import { type AppError, isAppError } from '../../core/errors.js';
import type { Database } from '../../storage/database.js';
import type { UserProfile } from '../identity-store/identity-store.types.js';
import { describeAccess } from './access-decision.js';
import {
  CUSTOM_PROVIDER_ARN,
  CUSTOM_SAML_PROVIDER_ARN,
  SAGEMAKER_PROVIDER_ARN,
} from './application-providers.js';
import { applicationArnOf } from './applications.service.js';

const failure = async (work: Promise<unknown>): Promise<AppError> => {
  try {
    await work;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
};

const person = (userName: string): Partial<UserProfile> => ({
  userName,
  displayName: `${userName} Display`,
  name: { givenName: 'Given', familyName: 'Family' },
});

const pgUnavailable = await postgresUnavailableReason();

for (const dialect of testDialects()) {
  const skipReason = dialect === 'postgres' ? pgUnavailable : undefined;
  const suite = skipReason === undefined ? describe : describe.skip;

  suite(`applications, assignments and access on ${dialect}${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
    let database: Database;
    let s: AccessServices;
    const clock = new ManualClock(new Date('2026-12-01T10:00:00.000Z'));

    /** A tenant with an instance, two users and two groups. */
    const tenant = async () => {
      const { scope, instance, instanceArn } = await s.newTenant();
      const store = instance.identityStoreId;
      const alice = await s.identityStore.createUser(scope, store, person('alice'));
      const bob = await s.identityStore.createUser(scope, store, person('bob'));
      const engineers = await s.identityStore.createGroup(scope, store, { displayName: 'Engineers' });
      const interns = await s.identityStore.createGroup(scope, store, { displayName: 'Interns' });
      const app = await s.applications.createApplication(scope, {
        instanceArn,
        providerArn: CUSTOM_PROVIDER_ARN,
        name: 'Notebook',
      });
      return {
        scope,
        instance,
        instanceArn,
        store,
        alice,
        bob,
        engineers,
        interns,
        app,
        appArn: applicationArnOf(app),
      };
    };

    beforeAll(async () => {
      database = await openTestDatabase(dialect);
      s = accessServicesOn(database, clock);
    });
    afterAll(async () => {
      await database?.close();
    });

    describe('providers', () => {
      it('lists the catalog page by page and describes each provider', async () => {
        const first = s.applications.listApplicationProviders({ limit: 2 });
        expect(first.items).toHaveLength(2);
        expect(first.nextToken).toBeDefined();
        const second = s.applications.listApplicationProviders({ limit: 2, nextToken: first.nextToken });
        const all = [...first.items, ...second.items].map((p) => p.arn);
        expect(all).toEqual([CUSTOM_PROVIDER_ARN, CUSTOM_SAML_PROVIDER_ARN, SAGEMAKER_PROVIDER_ARN]);
        expect(second.nextToken).toBeUndefined();
        expect(s.applications.describeApplicationProvider(SAGEMAKER_PROVIDER_ARN)).toMatchObject({
          federationProtocol: 'OAUTH',
          displayName: 'Amazon SageMaker Studio',
          managedBy: 'sagemaker',
        });
        expect(() => s.applications.describeApplicationProvider(arns.applicationProvider('nope'))).toThrow(
          /does not exist/,
        );
      });
    });

    describe('applications', () => {
      it('creates with AWS defaults, describes, lists, updates and deletes', async () => {
        const { scope, instanceArn, instance, app, appArn } = await tenant();
        expect(appArn).toBe(
          `arn:aws:sso::${scope.accountId}:application/${instance.instanceId}/${app.applicationId}`,
        );
        expect(app.applicationId).toMatch(/^apl-[0-9a-f]{16}$/);
        expect(app).toMatchObject({
          status: 'ENABLED',
          assignmentRequired: true,
          accountId: scope.accountId,
        });
        expect(await s.applications.describeApplication(scope, appArn)).toEqual(app);
        expect(await s.applications.getAssignmentConfiguration(scope, appArn)).toBe(true);

        await s.applications.updateApplication(scope, appArn, {
          name: 'Renamed',
          description: 'About it',
          status: 'DISABLED',
          signInOptions: { origin: 'APPLICATION', applicationUrl: 'https://app.example.com/login' },
        });
        expect(await s.applications.describeApplication(scope, appArn)).toMatchObject({
          name: 'Renamed',
          description: 'About it',
          status: 'DISABLED',
          portalOptions: {
            signInOptions: { origin: 'APPLICATION', applicationUrl: 'https://app.example.com/login' },
          },
        });
        expect(
          (
            await failure(
              s.applications.updateApplication(scope, appArn, { signInOptions: { origin: 'APPLICATION' } }),
            )
          ).kind,
        ).toBe('Validation');

        const listed = await s.applications.listApplications(scope, instanceArn, { limit: 50 });
        expect(listed.items.map((a) => a.applicationId)).toEqual([app.applicationId]);
        const filtered = await s.applications.listApplications(scope, instanceArn, {
          limit: 50,
          filter: { providerArn: SAGEMAKER_PROVIDER_ARN },
        });
        expect(filtered.items).toEqual([]);

        await s.applications.deleteApplication(scope, appArn);
        expect((await failure(s.applications.describeApplication(scope, appArn))).code).toBe(
          'APPLICATION_NOT_FOUND',
        );
        expect((await failure(s.applications.deleteApplication(scope, appArn))).code).toBe(
          'APPLICATION_NOT_FOUND',
        );
      });

      it('pages through applications with tokens that never repeat', async () => {
        const { scope, instanceArn } = await s.newTenant();
        for (let i = 0; i < 7; i++) {
          await s.applications.createApplication(scope, {
            instanceArn,
            providerArn: CUSTOM_PROVIDER_ARN,
            name: `app ${i}`,
          });
        }
        const seen: string[] = [];
        const tokens = new Set<string>();
        let nextToken: string | undefined;
        do {
          const page = await s.applications.listApplications(scope, instanceArn, { limit: 3, nextToken });
          seen.push(...page.items.map((a) => a.applicationId));
          nextToken = page.nextToken;
          if (nextToken !== undefined) {
            expect(tokens.has(nextToken)).toBe(false);
            tokens.add(nextToken);
          }
        } while (nextToken !== undefined);
        expect(seen).toHaveLength(7);
        expect([...seen].sort()).toEqual(seen);
      });

      it('returns the same application for a retried ClientToken, also when retries race', async () => {
        const { scope, instanceArn } = await s.newTenant();
        const request = {
          instanceArn,
          providerArn: CUSTOM_PROVIDER_ARN,
          name: 'Idem',
          clientToken: 'token-1',
        };
        const results = await Promise.all(
          Array.from({ length: 5 }, () => s.applications.createApplication(scope, request)),
        );
        expect(new Set(results.map((a) => a.applicationId)).size).toBe(1);
        const listed = await s.applications.listApplications(scope, instanceArn, { limit: 50 });
        expect(listed.items).toHaveLength(1);
      });

      it('refuses AWS managed and console-only providers, unknown providers and instances', async () => {
        const { scope, instanceArn } = await s.newTenant();
        const managed = await failure(
          s.applications.createApplication(scope, {
            instanceArn,
            providerArn: SAGEMAKER_PROVIDER_ARN,
            name: 'x',
          }),
        );
        expect(managed.kind).toBe('Validation');
        expect(managed.message).toContain('AWS managed');
        const saml = await failure(
          s.applications.createApplication(scope, {
            instanceArn,
            providerArn: CUSTOM_SAML_PROVIDER_ARN,
            name: 'x',
          }),
        );
        expect(saml.kind).toBe('Validation');
        expect(
          (
            await failure(
              s.applications.createApplication(scope, {
                instanceArn,
                providerArn: arns.applicationProvider('unknown'),
                name: 'x',
              }),
            )
          ).code,
        ).toBe('APPLICATION_PROVIDER_NOT_FOUND');
        const other = await s.newTenant();
        expect(
          (
            await failure(
              s.applications.createApplication(scope, {
                instanceArn: other.instanceArn,
                providerArn: CUSTOM_PROVIDER_ARN,
                name: 'x',
              }),
            )
          ).code,
        ).toBe('INSTANCE_NOT_FOUND');
      });

      it('hides applications from other accounts and Regions', async () => {
        const { appArn } = await tenant();
        const stranger = await s.newTenant();
        expect((await failure(s.applications.describeApplication(stranger.scope, appArn))).code).toBe(
          'APPLICATION_NOT_FOUND',
        );
        const malformed = `${appArn.slice(0, -1)}0`;
        expect((await failure(s.applications.describeApplication(stranger.scope, malformed))).kind).toBe(
          'NotFound',
        );
      });
    });

    describe('AWS managed applications', () => {
      it('registers inside the caller transaction: rolled back with it, committed with it', async () => {
        const { scope, instance, instanceArn } = await s.newTenant();
        const failed = await s.uow
          .transaction(async (repositories) => {
            await s.applications.registerManagedApplication(repositories, {
              instance,
              name: 'Amazon SageMaker Studio (d-rolledback)',
              providerArn: SAGEMAKER_PROVIDER_ARN,
            });
            throw new Error('the domain could not be created');
          })
          .catch((e: Error) => e.message);
        expect(failed).toBe('the domain could not be created');
        expect((await s.applications.listApplications(scope, instanceArn, { limit: 50 })).items).toEqual([]);

        const registered = await s.uow.transaction((repositories) =>
          s.applications.registerManagedApplication(repositories, {
            instance,
            name: 'Amazon SageMaker Studio (d-committed)',
            providerArn: SAGEMAKER_PROVIDER_ARN,
            createdBy: scope.principalArn,
          }),
        );
        const arn = applicationArnOf(registered);
        expect(await s.applications.describeApplication(scope, arn)).toMatchObject({
          managedBy: 'sagemaker',
          providerArn: SAGEMAKER_PROVIDER_ARN,
          assignmentRequired: true,
        });
        const user = await s.identityStore.createUser(scope, instance.identityStoreId, person('studio.user'));
        await s.applications.createAssignment(scope, arn, { type: 'USER', id: user.userId });
        await s.applications.putAssignmentConfiguration(scope, arn, true);
        expect(
          describeAccess(await s.access.decideAccess(scope, { applicationArn: arn, userId: user.userId })),
        ).toBe('direct');

        const deleted = await failure(s.applications.deleteApplication(scope, arn));
        expect(deleted.kind).toBe('Validation');
        expect(deleted.message).toContain('goes with the SageMaker domain');
        expect((await failure(s.applications.updateApplication(scope, arn, { name: 'x' }))).kind).toBe(
          'Validation',
        );
        await expect(
          s.applications.registerManagedApplication(s.uow.repositories, {
            instance,
            name: 'x',
            providerArn: CUSTOM_PROVIDER_ARN,
          }),
        ).rejects.toThrow(/not the provider of an AWS managed application/);

        expect(
          await s.uow.transaction((repositories) =>
            s.applications.removeManagedApplication(repositories, registered.applicationId),
          ),
        ).toBe(true);
        expect((await failure(s.applications.describeApplication(scope, arn))).kind).toBe('NotFound');
        expect(
          await s.applications.removeManagedApplication(s.uow.repositories, registered.applicationId),
        ).toBe(false);
      });
    });

    describe('assignments', () => {
      it('assigns users and groups once, describes, lists and deletes them', async () => {
        const { scope, alice, engineers, appArn, app } = await tenant();
        await s.applications.createAssignment(scope, appArn, { type: 'USER', id: alice.userId });
        await s.applications.createAssignment(scope, appArn, { type: 'GROUP', id: engineers.groupId });
        const duplicate = await failure(
          s.applications.createAssignment(scope, appArn, { type: 'USER', id: alice.userId }),
        );
        expect(duplicate.kind).toBe('Conflict');
        expect(
          (
            await failure(
              s.applications.createAssignment(scope, appArn, { type: 'GROUP', id: engineers.groupId }),
            )
          ).kind,
        ).toBe('Conflict');
        expect(
          await s.applications.describeAssignment(scope, appArn, { type: 'USER', id: alice.userId }),
        ).toMatchObject({
          applicationId: app.applicationId,
          principal: { type: 'USER', id: alice.userId },
        });
        // A user's ID asked about as a group's is not that assignment.
        expect(
          (
            await failure(
              s.applications.describeAssignment(scope, appArn, { type: 'GROUP', id: alice.userId }),
            )
          ).code,
        ).toBe('APPLICATION_ASSIGNMENT_NOT_FOUND');
        const listed = await s.applications.listAssignments(scope, appArn, { limit: 100 });
        expect(listed.items.map((a) => a.principal).sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(
          [
            { type: 'USER', id: alice.userId },
            { type: 'GROUP', id: engineers.groupId },
          ].sort((a, b) => (a.id < b.id ? -1 : 1)),
        );
        await s.applications.deleteAssignment(scope, appArn, { type: 'USER', id: alice.userId });
        expect(
          (await failure(s.applications.deleteAssignment(scope, appArn, { type: 'USER', id: alice.userId })))
            .code,
        ).toBe('APPLICATION_ASSIGNMENT_NOT_FOUND');
        expect((await s.applications.listAssignments(scope, appArn, { limit: 100 })).items).toHaveLength(1);
      });

      it('refuses unknown principals and principals of another identity store as not found', async () => {
        const { scope, appArn } = await tenant();
        const other = await tenant();
        const unknown = '0123456789-00000000-0000-4000-8000-000000000009';
        for (const principal of [
          { type: 'USER' as const, id: unknown },
          { type: 'GROUP' as const, id: unknown },
          { type: 'USER' as const, id: other.alice.userId },
          { type: 'GROUP' as const, id: other.engineers.groupId },
        ]) {
          const error = await failure(s.applications.createAssignment(scope, appArn, principal));
          expect(error.kind).toBe('NotFound');
          expect(error.details.resourceType).toBe(principal.type);
        }
        expect(
          (
            await failure(
              s.applications.createAssignment(other.scope, appArn, { type: 'USER', id: other.alice.userId }),
            )
          ).code,
        ).toBe('APPLICATION_NOT_FOUND');
      });

      it('pages through assignments of an application', async () => {
        const { scope, store, appArn } = await tenant();
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) {
          const g = await s.identityStore.createGroup(scope, store, { displayName: `Paged ${i}` });
          await s.applications.createAssignment(scope, appArn, { type: 'GROUP', id: g.groupId });
          ids.push(g.groupId);
        }
        const seen: string[] = [];
        let nextToken: string | undefined;
        do {
          const page = await s.applications.listAssignments(scope, appArn, { limit: 2, nextToken });
          seen.push(...page.items.map((a) => a.principal.id));
          nextToken = page.nextToken;
        } while (nextToken !== undefined);
        expect(seen).toEqual([...ids].sort());
      });

      it('lists what counts for a principal: own and direct groups for users, never nested groups', async () => {
        const t = await tenant();
        const { scope, instanceArn, store } = t;
        const make = (name: string) =>
          s.applications.createApplication(scope, { instanceArn, providerArn: CUSTOM_PROVIDER_ARN, name });
        const viaGroup = await make('via group');
        const viaNested = await make('via nested');
        const both = await make('both');
        const outer = await s.identityStore.createGroup(scope, store, { displayName: 'Outer' });
        await s.identityStore.createGroupMembership(scope, store, t.engineers.groupId, t.alice.userId);
        await s.identityStore.createGroupMembership(scope, store, t.interns.groupId, t.alice.userId);
        await s.identityStore.addGroupToGroup(scope, store, outer.groupId, t.interns.groupId);
        await s.applications.createAssignment(scope, t.appArn, { type: 'USER', id: t.alice.userId });
        await s.applications.createAssignment(scope, applicationArnOf(viaGroup), {
          type: 'GROUP',
          id: t.engineers.groupId,
        });
        await s.applications.createAssignment(scope, applicationArnOf(viaNested), {
          type: 'GROUP',
          id: outer.groupId,
        });
        await s.applications.createAssignment(scope, applicationArnOf(both), {
          type: 'USER',
          id: t.alice.userId,
        });
        await s.applications.createAssignment(scope, applicationArnOf(both), {
          type: 'GROUP',
          id: t.interns.groupId,
        });

        const forAlice = await s.applications.listAssignmentsForPrincipal(
          scope,
          instanceArn,
          { type: 'USER', id: t.alice.userId },
          { limit: 100 },
        );
        expect(forAlice.items.map((i) => i.applicationId)).toEqual(
          [t.app.applicationId, viaGroup.applicationId, both.applicationId].sort(),
        );
        expect(forAlice.items.map((i) => i.applicationArn)).toContain(applicationArnOf(viaGroup));

        // Page by page, one entry per application.
        const seen: string[] = [];
        let nextToken: string | undefined;
        do {
          const page = await s.applications.listAssignmentsForPrincipal(
            scope,
            instanceArn,
            { type: 'USER', id: t.alice.userId },
            { limit: 1, nextToken },
          );
          seen.push(...page.items.map((i) => i.applicationId));
          nextToken = page.nextToken;
        } while (nextToken !== undefined);
        expect(seen).toEqual(forAlice.items.map((i) => i.applicationId));

        const filtered = await s.applications.listAssignmentsForPrincipal(
          scope,
          instanceArn,
          { type: 'USER', id: t.alice.userId },
          { limit: 100, applicationArn: applicationArnOf(viaGroup) },
        );
        expect(filtered.items.map((i) => i.applicationId)).toEqual([viaGroup.applicationId]);
        const forOuter = await s.applications.listAssignmentsForPrincipal(
          scope,
          instanceArn,
          { type: 'GROUP', id: outer.groupId },
          { limit: 100 },
        );
        expect(forOuter.items.map((i) => i.applicationId)).toEqual([viaNested.applicationId]);
        const forBob = await s.applications.listAssignmentsForPrincipal(
          scope,
          instanceArn,
          { type: 'USER', id: t.bob.userId },
          { limit: 100 },
        );
        expect(forBob.items).toEqual([]);
        expect(
          (
            await failure(
              s.applications.listAssignmentsForPrincipal(
                scope,
                instanceArn,
                { type: 'GROUP', id: t.alice.userId },
                { limit: 100 },
              ),
            )
          ).code,
        ).toBe('GROUP_NOT_FOUND');
      });

      it('goes with the user, the group, the application and the instance', async () => {
        const t = await tenant();
        const { scope, store, appArn } = t;
        await s.applications.createAssignment(scope, appArn, { type: 'USER', id: t.alice.userId });
        await s.applications.createAssignment(scope, appArn, { type: 'USER', id: t.bob.userId });
        await s.applications.createAssignment(scope, appArn, { type: 'GROUP', id: t.engineers.groupId });
        await s.applications.createAssignment(scope, appArn, { type: 'GROUP', id: t.interns.groupId });
        await s.identityStore.deleteUser(scope, store, t.alice.userId);
        await s.identityStore.deleteGroup(scope, store, t.engineers.groupId);
        const left = await s.applications.listAssignments(scope, appArn, { limit: 100 });
        expect(left.items.map((a) => a.principal.id).sort()).toEqual(
          [t.bob.userId, t.interns.groupId].sort(),
        );

        await s.applications.deleteApplication(scope, appArn);
        const rows = await database.db
          .selectFrom('application_assignments')
          .select('principal_id')
          .where('application_id', '=', t.app.applicationId)
          .execute();
        expect(rows).toEqual([]);

        const other = await tenant();
        await s.applications.createAssignment(other.scope, other.appArn, {
          type: 'USER',
          id: other.alice.userId,
        });
        await s.instances.deleteInstance(other.scope, other.instanceArn);
        const gone = await database.db
          .selectFrom('applications')
          .select('application_id')
          .where('instance_id', '=', other.instance.instanceId)
          .execute();
        expect(gone).toEqual([]);
        expect((await failure(s.applications.describeApplication(other.scope, other.appArn))).kind).toBe(
          'NotFound',
        );
      });
    });

    describe('nested groups', () => {
      it('adds, lists and removes a group inside a group; AWS memberships stay user-only', async () => {
        const { scope, store, engineers, interns, alice } = await tenant();
        const nested = await s.identityStore.addGroupToGroup(
          scope,
          store,
          engineers.groupId,
          interns.groupId,
        );
        expect(nested).toMatchObject({ groupId: engineers.groupId, memberGroupId: interns.groupId });
        expect((await s.identityStore.listNestedGroups(scope, store, engineers.groupId)).items).toEqual([
          nested,
        ]);
        expect(
          (await failure(s.identityStore.addGroupToGroup(scope, store, engineers.groupId, interns.groupId)))
            .message,
        ).toBe('Member and Group relationship already exists');
        expect((await s.identityStore.listGroupMemberships(scope, store, engineers.groupId)).items).toEqual(
          [],
        );
        await s.identityStore.createGroupMembership(scope, store, interns.groupId, alice.userId);
        expect(
          (await s.identityStore.isMemberInGroups(scope, store, alice.userId, [engineers.groupId]))[0]
            ?.membershipExists,
        ).toBe(false);

        await s.identityStore.removeGroupFromGroup(scope, store, engineers.groupId, interns.groupId);
        expect((await s.identityStore.listNestedGroups(scope, store, engineers.groupId)).items).toEqual([]);
        expect(
          (
            await failure(
              s.identityStore.removeGroupFromGroup(scope, store, engineers.groupId, interns.groupId),
            )
          ).kind,
        ).toBe('NotFound');
      });

      it('refuses a group inside itself and every cycle', async () => {
        const { scope, store } = await s
          .newTenant()
          .then(async (t) => ({ ...t, store: t.instance.identityStoreId }));
        const [a, b, c] = await Promise.all(
          ['A', 'B', 'C'].map((displayName) => s.identityStore.createGroup(scope, store, { displayName })),
        );
        if (a === undefined || b === undefined || c === undefined) throw new Error('groups');
        expect(
          (await failure(s.identityStore.addGroupToGroup(scope, store, a.groupId, a.groupId))).code,
        ).toBe('GROUP_NESTING_CYCLE');
        await s.identityStore.addGroupToGroup(scope, store, a.groupId, b.groupId);
        await s.identityStore.addGroupToGroup(scope, store, b.groupId, c.groupId);
        const cycle = await failure(s.identityStore.addGroupToGroup(scope, store, c.groupId, a.groupId));
        expect(cycle.code).toBe('GROUP_NESTING_CYCLE');
        expect(cycle.message).toBe('Group C is already inside group A: nesting A in C would make a cycle.');
        // A diamond is no cycle.
        await s.identityStore.addGroupToGroup(scope, store, a.groupId, c.groupId);
      });

      it('lets only one of two concurrent nestings that would close a cycle win', async () => {
        const { scope, instance } = await s.newTenant();
        const store = instance.identityStoreId;
        for (let round = 0; round < 5; round++) {
          const x = await s.identityStore.createGroup(scope, store, { displayName: `X${round}` });
          const y = await s.identityStore.createGroup(scope, store, { displayName: `Y${round}` });
          // Fresh service objects: as two requests on two connections would be.
          const other = accessServicesOn(database, clock);
          const results = await Promise.allSettled([
            s.identityStore.addGroupToGroup(scope, store, x.groupId, y.groupId),
            other.identityStore.addGroupToGroup(scope, store, y.groupId, x.groupId),
          ]);
          expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
          const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
          expect((rejected.reason as AppError).code).toBe('GROUP_NESTING_CYCLE');
        }
      });

      it('refuses groups of other stores', async () => {
        const t = await tenant();
        const other = await tenant();
        expect(
          (
            await failure(
              s.identityStore.addGroupToGroup(t.scope, t.store, t.engineers.groupId, other.engineers.groupId),
            )
          ).code,
        ).toBe('GROUP_NOT_FOUND');
      });
    });

    describe('the access decision', () => {
      it('explains direct, group, nested-only and missing assignments, and reacts at once', async () => {
        const t = await tenant();
        const { scope, store, appArn } = t;
        const ask = async (userId: string) =>
          s.access.decideAccess(scope, { applicationArn: appArn, userId });
        const platform = await s.identityStore.createGroup(scope, store, { displayName: 'Platform' });
        // alice ∈ Interns ⊂ Platform ⊂ Engineers (assigned)
        await s.identityStore.createGroupMembership(scope, store, t.interns.groupId, t.alice.userId);
        await s.identityStore.addGroupToGroup(scope, store, platform.groupId, t.interns.groupId);
        await s.identityStore.addGroupToGroup(scope, store, t.engineers.groupId, platform.groupId);
        expect(describeAccess(await ask(t.alice.userId))).toBe('denied: not assigned');
        await s.applications.createAssignment(scope, appArn, { type: 'GROUP', id: t.engineers.groupId });

        const nested = await ask(t.alice.userId);
        expect(nested).toMatchObject({ allowed: false, reason: 'nested-group-only', groups: [] });
        expect(nested.nestedPath?.map((g) => g.displayName)).toEqual(['Interns', 'Platform', 'Engineers']);
        expect(describeAccess(nested)).toBe(
          'denied: only through nested group Interns inside assigned group Engineers',
        );

        const membership = await s.identityStore.createGroupMembership(
          scope,
          store,
          t.engineers.groupId,
          t.alice.userId,
        );
        expect(describeAccess(await ask(t.alice.userId))).toBe('group Engineers');
        await s.applications.createAssignment(scope, appArn, { type: 'USER', id: t.alice.userId });
        const direct = await ask(t.alice.userId);
        expect(describeAccess(direct)).toBe('direct');
        expect(direct.groups.map((g) => g.displayName)).toEqual(['Engineers']);
        await s.applications.deleteAssignment(scope, appArn, { type: 'USER', id: t.alice.userId });

        // Leaving the group takes the access away on the next question.
        await s.identityStore.deleteGroupMembership(scope, store, membership.membershipId);
        expect((await ask(t.alice.userId)).reason).toBe('nested-group-only');

        await s.applications.putAssignmentConfiguration(scope, appArn, false);
        expect(describeAccess(await ask(t.bob.userId))).toBe('allowed: assignment not required');
        await s.applications.updateApplication(scope, appArn, { status: 'DISABLED' });
        expect(describeAccess(await ask(t.bob.userId))).toBe('denied: application disabled');

        const stranger = await tenant();
        expect((await failure(ask(stranger.alice.userId))).code).toBe('USER_NOT_FOUND');
      });

      it('lists the applications a user may open, with the same rule', async () => {
        const t = await tenant();
        const { scope, instanceArn, store } = t;
        const make = (name: string) =>
          s.applications.createApplication(scope, { instanceArn, providerArn: CUSTOM_PROVIDER_ARN, name });
        const open = await make('open');
        const viaGroup = await make('via group');
        const nestedOnly = await make('nested only');
        const disabled = await make('disabled');
        await s.applications.putAssignmentConfiguration(scope, applicationArnOf(open), false);
        await s.identityStore.createGroupMembership(scope, store, t.interns.groupId, t.alice.userId);
        await s.identityStore.addGroupToGroup(scope, store, t.engineers.groupId, t.interns.groupId);
        await s.applications.createAssignment(scope, applicationArnOf(viaGroup), {
          type: 'GROUP',
          id: t.interns.groupId,
        });
        await s.applications.createAssignment(scope, applicationArnOf(nestedOnly), {
          type: 'GROUP',
          id: t.engineers.groupId,
        });
        await s.applications.createAssignment(scope, applicationArnOf(disabled), {
          type: 'USER',
          id: t.alice.userId,
        });
        await s.applications.updateApplication(scope, applicationArnOf(disabled), { status: 'DISABLED' });
        await s.applications.createAssignment(scope, t.appArn, { type: 'USER', id: t.alice.userId });

        const accessible = await s.access.applicationsAccessibleBy(scope, {
          identityStoreId: store,
          userId: t.alice.userId,
        });
        expect(
          Object.fromEntries(accessible.map((a) => [a.application.name, describeAccess(a.decision)])),
        ).toEqual({
          open: 'allowed: assignment not required',
          'via group': 'group Interns',
          Notebook: 'direct',
        });
        const forBob = await s.access.applicationsAccessibleBy(scope, {
          identityStoreId: store,
          userId: t.bob.userId,
        });
        expect(forBob.map((a) => a.application.name)).toEqual(['open']);
      });
    });
  });
}
