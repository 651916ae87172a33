import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type StudioServices,
  studioServicesOn,
  TEST_STUDIO_LINKS,
} from '../../../test/support/studio-services.js';
import {
  openTestDatabase,
  postgresUnavailableReason,
  testDialects,
} from '../../../test/support/test-databases.js';
import { ManualClock } from '../../core/clock.js';
import { type AppError, isAppError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import type { Database } from '../../storage/database.js';
import { SAGEMAKER_PROVIDER_ARN } from '../access/application-providers.js';
import type { UserProfile as IdentityUserProfile } from '../identity-store/identity-store.types.js';
import { createStudioService, profileNameFor } from './studio.service.js';

const failure = async (work: Promise<unknown>): Promise<AppError> => {
  try {
    await work;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
};

const person = (userName: string): Partial<IdentityUserProfile> => ({
  userName,
  displayName: `${userName} Display`,
  name: { givenName: 'Given', familyName: 'Family' },
});

const ROLE = 'arn:aws:iam::111122223333:role/SageMakerExecutionRole';
const SETTINGS = { ExecutionRole: ROLE, SecurityGroups: ['sg-0123456789abcdef0'] };

const pgUnavailable = await postgresUnavailableReason();

for (const dialect of testDialects()) {
  const skipReason = dialect === 'postgres' ? pgUnavailable : undefined;
  const suite = skipReason === undefined ? describe : describe.skip;

  suite(`studio domains and user profiles on ${dialect}${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
    let database: Database;
    let s: StudioServices;
    const clock = new ManualClock(new Date('2026-12-01T10:00:00.000Z'));

    /**
     * An account with an instance, an SSO domain, and the guide's directory: alice in Data
     * Scientists, carol in Interns, a group nested in Data Scientists, dave in no group.
     */
    const onboarding = async () => {
      const { scope, instance } = await s.newAccount();
      if (instance === undefined) throw new Error('no instance');
      const store = instance.identityStoreId;
      const alice = await s.identityStore.createUser(scope, store, person('alice'));
      const carol = await s.identityStore.createUser(scope, store, person('carol'));
      const dave = await s.identityStore.createUser(scope, store, person('dave'));
      const scientists = await s.identityStore.createGroup(scope, store, { displayName: 'Data Scientists' });
      const interns = await s.identityStore.createGroup(scope, store, { displayName: 'Interns' });
      await s.identityStore.createGroupMembership(scope, store, scientists.groupId, alice.userId);
      await s.identityStore.createGroupMembership(scope, store, interns.groupId, carol.userId);
      await s.identityStore.addGroupToGroup(scope, store, scientists.groupId, interns.groupId);
      const domain = await s.studio.createDomain(scope, {
        name: 'ml-team',
        authMode: 'SSO',
        defaultUserSettings: SETTINGS,
        vpcId: 'vpc-0123456789abcdef0',
        subnetIds: ['subnet-0123456789abcdef0'],
      });
      const applicationArn = domain.applicationArn ?? '';
      return { scope, instance, store, alice, carol, dave, scientists, interns, domain, applicationArn };
    };

    const assignGroup = (scope: Scope, applicationArn: string, groupId: string) =>
      s.applications.createAssignment(scope, applicationArn, { type: 'GROUP', id: groupId });

    const iamDomain = async (scope: Scope) =>
      s.studio.createDomain(scope, { name: 'iam-team', authMode: 'IAM', defaultUserSettings: SETTINGS });

    beforeAll(async () => {
      database = await openTestDatabase(dialect);
      s = studioServicesOn(database, clock);
    });
    afterAll(async () => {
      await database?.close();
    });

    describe('domains', () => {
      it('registers the managed Studio application of an SSO domain with the domain', async () => {
        const { scope, instance, domain, applicationArn } = await onboarding();
        expect(domain.domainId).toMatch(/^d-[a-z0-9]{12}$/);
        expect(domain.homeEfsFileSystemId).toMatch(/^fs-[0-9a-f]{17}$/);
        expect(domain.status).toBe('Pending');
        expect(domain.sso?.instanceId).toBe(instance.instanceId);
        expect(applicationArn).toBe(
          `arn:aws:sso::${scope.accountId}:application/${instance.instanceId}/${domain.sso?.applicationId}`,
        );
        const application = await s.applications.describeApplication(scope, applicationArn);
        expect(application).toMatchObject({
          name: `Amazon SageMaker Studio (${domain.domainId})`,
          providerArn: SAGEMAKER_PROVIDER_ARN,
          managedBy: 'sagemaker',
          assignmentRequired: true,
          status: 'ENABLED',
        });
        // AWS-managed: the sso-admin API cannot delete it.
        expect((await failure(s.applications.deleteApplication(scope, applicationArn))).code).toBe(
          'MANAGED_APPLICATION',
        );
      });

      it('goes from Pending to InService, and from Updating back, as the clock moves', async () => {
        const { scope } = await s.newAccount();
        const domain = await iamDomain(scope);
        expect(domain.sso).toBeUndefined();
        expect(domain.applicationArn).toBeUndefined();
        expect((await s.studio.describeDomain(scope, domain.domainId)).status).toBe('Pending');
        clock.advance(1000);
        expect((await s.studio.describeDomain(scope, domain.domainId)).status).toBe('InService');
        const updated = await s.studio.updateDomain(scope, domain.domainId, {
          defaultUserSettings: { StudioWebPortal: 'ENABLED' },
          domainSettings: { SecurityGroupIds: ['sg-0123456789abcdef1'] },
          tagPropagation: 'ENABLED',
        });
        expect(updated.status).toBe('Updating');
        const described = await s.studio.describeDomain(scope, domain.domainId);
        expect(described.status).toBe('Updating');
        // Settings are merged member by member: the role stays.
        expect(described.configuration).toMatchObject({
          defaultUserSettings: { ...SETTINGS, StudioWebPortal: 'ENABLED' },
          domainSettings: { SecurityGroupIds: ['sg-0123456789abcdef1'] },
          tagPropagation: 'ENABLED',
          appNetworkAccessType: 'PublicInternetOnly',
        });
        expect(described.lastModifiedAt.getTime()).toBeGreaterThan(described.createdAt.getTime());
        clock.advance(1000);
        expect((await s.studio.describeDomain(scope, domain.domainId)).status).toBe('InService');
      });

      it('refuses SSO without an Identity Center instance in the Region, and a domain without an execution role', async () => {
        const none = await s.newAccount('us-east-1', null);
        const noInstance = await failure(
          s.studio.createDomain(none.scope, { name: 'x', authMode: 'SSO', defaultUserSettings: SETTINGS }),
        );
        expect(noInstance.kind).toBe('Validation');
        expect(noInstance.message).toContain('needs an IAM Identity Center instance in us-east-1');

        const elsewhere = await s.newAccount('us-east-1', 'eu-west-1');
        const wrongRegion = await failure(
          s.studio.createDomain(elsewhere.scope, {
            name: 'x',
            authMode: 'SSO',
            defaultUserSettings: SETTINGS,
          }),
        );
        expect(wrongRegion.kind).toBe('Validation');
        expect(wrongRegion.message).toContain('is in eu-west-1, not us-east-1');
        // IAM needs no instance.
        await iamDomain(none.scope);

        const noRole = await failure(
          s.studio.createDomain(none.scope, { name: 'x', authMode: 'IAM', defaultUserSettings: {} }),
        );
        expect(noRole.kind).toBe('Validation');
        expect(noRole.message).toContain('DefaultUserSettings.ExecutionRole is required');
        const halfVpc = await failure(
          s.studio.createDomain(none.scope, {
            name: 'x',
            authMode: 'IAM',
            defaultUserSettings: SETTINGS,
            vpcId: 'vpc-1',
          }),
        );
        expect(halfVpc.message).toContain('VpcId and SubnetIds go together');
        const vpcOnly = await failure(
          s.studio.createDomain(none.scope, {
            name: 'x',
            authMode: 'IAM',
            defaultUserSettings: SETTINGS,
            appNetworkAccessType: 'VpcOnly',
          }),
        );
        expect(vpcOnly.message).toContain('VpcOnly');
        // Nothing was left behind by the refusals.
        expect((await s.studio.listDomains(none.scope, { limit: 100 })).items).toHaveLength(1);
      });

      it('lists the account’s domains in the Region page by page', async () => {
        const { scope } = await s.newAccount();
        const made = [];
        for (let i = 0; i < 3; i++) made.push((await iamDomain(scope)).domainId);
        const other = await s.newAccount();
        await iamDomain(other.scope);
        const first = await s.studio.listDomains(scope, { limit: 2 });
        expect(first.items).toHaveLength(2);
        expect(first.nextToken).toBeDefined();
        const second = await s.studio.listDomains(scope, { limit: 2, nextToken: first.nextToken });
        expect(second.nextToken).toBeUndefined();
        expect([...first.items, ...second.items].map((d) => d.domainId)).toEqual([...made].sort());
        expect((await s.studio.listDomains({ ...scope, region: 'eu-west-1' }, { limit: 10 })).items).toEqual(
          [],
        );
        expect((await failure(s.studio.describeDomain(other.scope, made[0] ?? ''))).kind).toBe('NotFound');
      });

      it('refuses a domain beyond the account’s quota in the Region, counting deletions until they complete', async () => {
        const limited = createStudioService({
          uow: s.uow,
          instances: s.instances,
          identityStore: s.identityStore,
          links: TEST_STUDIO_LINKS,
          clock,
          maxDomainsPerRegion: 2,
        });
        const { scope } = await s.newAccount();
        const make = () =>
          limited.createDomain(scope, { name: 'q', authMode: 'IAM', defaultUserSettings: SETTINGS });
        const first = await make();
        await make();
        const refused = await failure(make());
        expect(refused.kind).toBe('LimitExceeded');
        expect(refused.message).toContain("The account-level service limit 'Total domains' is 2 Domains");
        await limited.deleteDomain(scope, first.domainId);
        expect((await failure(make())).kind).toBe('LimitExceeded');
        clock.advance(1000);
        await make();
        // Another Region has its own quota.
        await limited.createDomain(
          { ...scope, region: 'eu-west-1' },
          { name: 'q', authMode: 'IAM', defaultUserSettings: SETTINGS },
        );
      });

      it('refuses to delete a domain with user profiles; deleting it removes its application and assignments', async () => {
        const { scope, alice, scientists, domain, applicationArn } = await onboarding();
        await assignGroup(scope, applicationArn, scientists.groupId);
        await s.studio.createUserProfile(scope, {
          domainId: domain.domainId,
          name: 'alice',
          ssoUser: { identifier: 'UserName', value: 'alice' },
        });
        const inUse = await failure(s.studio.deleteDomain(scope, domain.domainId));
        expect(inUse.kind).toBe('InUse');
        expect(inUse.message).toContain('has 1 user profile');
        // The refusal rolled back: the domain is not Deleting.
        expect((await s.studio.describeDomain(scope, domain.domainId)).status).not.toBe('Deleting');

        await s.studio.deleteUserProfile(scope, domain.domainId, 'ALICE');
        expect((await s.studio.describeUserProfile(scope, domain.domainId, 'alice')).status).toBe('Deleting');
        // Still Deleting: still counts.
        expect((await failure(s.studio.deleteDomain(scope, domain.domainId))).kind).toBe('InUse');
        clock.advance(1000);
        expect((await failure(s.studio.describeUserProfile(scope, domain.domainId, 'alice'))).kind).toBe(
          'NotFound',
        );

        await s.studio.deleteDomain(scope, domain.domainId);
        expect((await s.studio.describeDomain(scope, domain.domainId)).status).toBe('Deleting');
        expect((await failure(s.studio.deleteDomain(scope, domain.domainId))).kind).toBe('InUse');
        expect((await failure(s.applications.describeApplication(scope, applicationArn))).kind).toBe(
          'NotFound',
        );
        const assignments = await s.applications.listAssignmentsForPrincipal(
          scope,
          `arn:aws:sso:::instance/${domain.sso?.instanceId}`,
          { type: 'USER', id: alice.userId },
          { limit: 10 },
        );
        expect(assignments.items).toEqual([]);
        expect(
          (await failure(s.studio.createUserProfile(scope, { domainId: domain.domainId, name: 'late' })))
            .kind,
        ).toBe('InUse');
        clock.advance(1000);
        expect((await failure(s.studio.describeDomain(scope, domain.domainId))).kind).toBe('NotFound');
        expect((await s.studio.listDomains(scope, { limit: 10 })).items).toEqual([]);
      });

      it('keeps an SSO domain whose Identity Center instance is deleted, without its SSO link', async () => {
        const { scope, instance, domain } = await onboarding();
        await s.instances.deleteInstance(scope, `arn:aws:sso:::instance/${instance.instanceId}`);
        const described = await s.studio.describeDomain(scope, domain.domainId);
        expect(described.sso).toBeUndefined();
        expect(described.authMode).toBe('SSO');
        const refused = await failure(
          s.studio.createUserProfile(scope, {
            domainId: domain.domainId,
            name: 'alice',
            ssoUser: { identifier: 'UserName', value: 'alice' },
          }),
        );
        expect(refused.message).toContain('has lost its IAM Identity Center application');
        await s.studio.deleteDomain(scope, domain.domainId);
      });
    });

    describe('user profiles of SSO users (CreateUserProfile)', () => {
      it('refuses a user until the user or a direct group is assigned, with a message that says how', async () => {
        const { scope, alice, domain, applicationArn, scientists } = await onboarding();
        const request = {
          domainId: domain.domainId,
          name: 'alice',
          ssoUser: { identifier: 'UserName', value: 'alice' },
          userSettings: { ExecutionRole: ROLE },
        };
        const refused = await failure(s.studio.createUserProfile(scope, request));
        expect(refused.kind).toBe('Validation');
        expect(refused.message).toBe(
          `User alice is not assigned to the application "Amazon SageMaker Studio (${domain.domainId})". ` +
            `Assign the user, or a group that directly contains the user, with sso-admin create-application-assignment --application-arn ${applicationArn} --principal-type GROUP --principal-id <group-id> (or --principal-type USER --principal-id ${alice.userId}), then retry.`,
        );
        // Nothing was created by the refusal.
        expect(
          (await s.studio.listUserProfiles(scope, { limit: 10, domainId: domain.domainId })).items,
        ).toEqual([]);

        await assignGroup(scope, applicationArn, scientists.groupId);
        const profile = await s.studio.createUserProfile(scope, request);
        expect(profile).toMatchObject({
          name: 'alice',
          ssoUserId: alice.userId,
          ssoUserName: 'alice',
          homeEfsUid: '200001',
          status: 'Pending',
          configuration: { userSettings: { ExecutionRole: ROLE } },
        });
        const described = await s.studio.describeUserProfile(scope, domain.domainId, 'Alice');
        expect(described).toMatchObject({ name: 'alice', ssoUserName: 'alice', status: 'Pending' });
        clock.advance(1000);
        expect((await s.studio.describeUserProfile(scope, domain.domainId, 'alice')).status).toBe(
          'InService',
        );
      });

      it('refuses a user who is only in a nested group, naming the groups', async () => {
        const { scope, domain, applicationArn, scientists, interns } = await onboarding();
        await assignGroup(scope, applicationArn, scientists.groupId);
        const refused = await failure(
          s.studio.createUserProfile(scope, {
            domainId: domain.domainId,
            name: 'carol',
            ssoUser: { identifier: 'UserName', value: 'carol' },
          }),
        );
        expect(refused.kind).toBe('Validation');
        expect(refused.message).toBe(
          `User carol is not assigned to the application "Amazon SageMaker Studio (${domain.domainId})": carol is a member of group Interns, which is only nested in the assigned group Data Scientists, and IAM Identity Center does not honour nested groups for application assignment. ` +
            `Assign the user, or a group that directly contains the user, with sso-admin create-application-assignment --application-arn ${applicationArn} --principal-type GROUP --principal-id ${interns.groupId} (group Interns), then retry.`,
        );
        // Assigning the immediate group fixes it.
        await assignGroup(scope, applicationArn, interns.groupId);
        await s.studio.createUserProfile(scope, {
          domainId: domain.domainId,
          name: 'carol',
          ssoUser: { identifier: 'UserName', value: 'carol' },
        });
      });

      it('accepts a directly assigned user, and everyone when the application requires no assignment', async () => {
        const { scope, dave, domain, applicationArn } = await onboarding();
        await s.applications.createAssignment(scope, applicationArn, { type: 'USER', id: dave.userId });
        await s.studio.createUserProfile(scope, {
          domainId: domain.domainId,
          name: 'dave',
          ssoUser: { identifier: 'UserName', value: 'DAVE' },
        });
        await s.applications.putAssignmentConfiguration(scope, applicationArn, false);
        const carol = await s.studio.createUserProfile(scope, {
          domainId: domain.domainId,
          name: 'carol',
          ssoUser: { identifier: 'UserName', value: 'carol' },
        });
        expect(carol.homeEfsUid).toBe('200002');
      });

      it('allows one profile per SSO user and unique names regardless of case', async () => {
        const { scope, domain, applicationArn, scientists } = await onboarding();
        await assignGroup(scope, applicationArn, scientists.groupId);
        const sso = { identifier: 'UserName', value: 'alice' };
        await s.studio.createUserProfile(scope, { domainId: domain.domainId, name: 'alice', ssoUser: sso });
        const second = await failure(
          s.studio.createUserProfile(scope, { domainId: domain.domainId, name: 'alice-2', ssoUser: sso }),
        );
        expect(second.kind).toBe('Conflict');
        expect(second.message).toContain('User alice already has the user profile alice');
        const sameName = await failure(
          s.studio.createUserProfile(scope, { domainId: domain.domainId, name: 'ALICE', ssoUser: sso }),
        );
        expect(sameName.kind).toBe('Conflict');
        expect(sameName.message).toContain('not case sensitive');
      });

      it('requires the SSO fields on SSO domains, a known user, and refuses them on IAM domains', async () => {
        const { scope, domain } = await onboarding();
        const missing = await failure(
          s.studio.createUserProfile(scope, { domainId: domain.domainId, name: 'x' }),
        );
        expect(missing.message).toContain('SingleSignOnUserIdentifier (UserName) and SingleSignOnUserValue');
        const unknown = await failure(
          s.studio.createUserProfile(scope, {
            domainId: domain.domainId,
            name: 'x',
            ssoUser: { identifier: 'UserName', value: 'nobody' },
          }),
        );
        expect(unknown.kind).toBe('Validation');
        expect(unknown.message).toContain('nobody is not a user name of the identity store');

        const iam = await iamDomain(scope);
        const refused = await failure(
          s.studio.createUserProfile(scope, {
            domainId: iam.domainId,
            name: 'x',
            ssoUser: { identifier: 'UserName', value: 'alice' },
          }),
        );
        expect(refused.kind).toBe('Validation');
        expect(refused.message).toContain('only for a domain whose AuthMode is SSO');
        const plain = await s.studio.createUserProfile(scope, { domainId: iam.domainId, name: 'x' });
        expect(plain.ssoUserId).toBeUndefined();
      });

      it('keeps a profile whose Identity Center user is deleted, as AWS does', async () => {
        const { scope, store, alice, domain, applicationArn, scientists } = await onboarding();
        await assignGroup(scope, applicationArn, scientists.groupId);
        await s.studio.createUserProfile(scope, {
          domainId: domain.domainId,
          name: 'alice',
          ssoUser: { identifier: 'UserName', value: 'alice' },
        });
        await s.identityStore.deleteUser(scope, store, alice.userId);
        const kept = await s.studio.describeUserProfile(scope, domain.domainId, 'alice');
        expect(kept.ssoUserId).toBeUndefined();
        expect(kept.ssoUserName).toBe('alice');
      });
    });

    describe('listing, updating and deleting profiles', () => {
      it('filters, sorts and pages', async () => {
        const { scope } = await s.newAccount();
        const a = await iamDomain(scope);
        const b = await iamDomain(scope);
        for (const name of ['data-one', 'Data-Two', 'ops']) {
          await s.studio.createUserProfile(scope, { domainId: a.domainId, name });
          clock.advance(10);
        }
        await s.studio.createUserProfile(scope, { domainId: b.domainId, name: 'data-three' });
        clock.advance(10);
        await s.studio.updateUserProfile(scope, a.domainId, 'data-one', { StudioWebPortal: 'DISABLED' });

        const names = async (request: Parameters<StudioServices['studio']['listUserProfiles']>[1]) => {
          const out: string[] = [];
          let nextToken: string | undefined;
          do {
            const page = await s.studio.listUserProfiles(scope, { ...request, nextToken });
            out.push(...page.items.map((p) => p.name));
            nextToken = page.nextToken;
          } while (nextToken !== undefined);
          return out;
        };
        expect(await names({ limit: 1 })).toEqual(['data-one', 'Data-Two', 'ops', 'data-three']);
        expect(await names({ limit: 2, sortOrder: 'Descending' })).toEqual([
          'data-three',
          'ops',
          'Data-Two',
          'data-one',
        ]);
        expect(await names({ limit: 2, sortBy: 'LastModifiedTime' })).toEqual([
          'Data-Two',
          'ops',
          'data-three',
          'data-one',
        ]);
        expect(await names({ limit: 10, domainId: a.domainId, nameContains: 'DATA' })).toEqual([
          'data-one',
          'Data-Two',
        ]);
        expect(await names({ limit: 10, nameContains: 'data-t' })).toEqual(['Data-Two', 'data-three']);
        const first = await s.studio.listUserProfiles(scope, { limit: 1 });
        expect(
          (
            await failure(
              s.studio.listUserProfiles(scope, {
                limit: 1,
                sortOrder: 'Descending',
                nextToken: first.nextToken,
              }),
            )
          ).code,
        ).toBe('INVALID_NEXT_TOKEN');

        const updated = await s.studio.describeUserProfile(scope, a.domainId, 'data-one');
        expect(updated.status).toBe('Updating');
        expect(updated.configuration.userSettings).toEqual({ StudioWebPortal: 'DISABLED' });
        clock.advance(1000);
        await s.studio.deleteUserProfile(scope, a.domainId, 'ops');
        expect((await failure(s.studio.deleteUserProfile(scope, a.domainId, 'ops'))).kind).toBe('InUse');
        expect(
          (
            await failure(
              s.studio.updateUserProfile(scope, a.domainId, 'ops', { StudioWebPortal: 'ENABLED' }),
            )
          ).kind,
        ).toBe('InUse');
        expect(await names({ limit: 10, domainId: a.domainId })).toEqual(['data-one', 'Data-Two', 'ops']);
        clock.advance(1000);
        expect(await names({ limit: 10, domainId: a.domainId })).toEqual(['data-one', 'Data-Two']);
        // The name is free again once the deletion completed.
        const again = await s.studio.createUserProfile(scope, { domainId: a.domainId, name: 'OPS' });
        expect(again.homeEfsUid).toBe('200004');
      });
    });

    describe("the console's path (createProfileForSsoUser)", () => {
      it('assigns a user who is not allowed yet and creates the profile', async () => {
        const { scope, dave, domain, applicationArn } = await onboarding();
        const result = await s.studio.createProfileForSsoUser(scope, domain.domainId, 'dave');
        expect(result.assigned).toBe(true);
        expect(result.decision.reason).toBe('not-assigned');
        expect(result.profile).toMatchObject({ name: 'dave', ssoUserId: dave.userId, ssoUserName: 'dave' });
        expect(
          await s.applications.describeAssignment(scope, applicationArn, { type: 'USER', id: dave.userId }),
        ).toMatchObject({ principal: { type: 'USER', id: dave.userId } });
        const decision = await s.access.decideAccess(scope, { applicationArn, userId: dave.userId });
        expect(decision).toMatchObject({ allowed: true, reason: 'direct' });
        expect((await s.studio.findProfileOfUser(scope, domain.domainId, dave.userId))?.name).toBe('dave');
        expect(await s.studio.findProfileOfUser(scope, domain.domainId, 'no-such-user')).toBeUndefined();
      });

      it('gives one SSO user one profile when two creations race', async () => {
        const { scope, domain, applicationArn, scientists } = await onboarding();
        await assignGroup(scope, applicationArn, scientists.groupId);
        const attempts = await Promise.allSettled(
          ['alice-a', 'alice-b', 'alice-c'].map((name) =>
            s.studio.createUserProfile(scope, {
              domainId: domain.domainId,
              name,
              ssoUser: { identifier: 'UserName', value: 'alice' },
            }),
          ),
        );
        expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
        for (const attempt of attempts) {
          if (attempt.status === 'rejected') expect((attempt.reason as AppError).kind).toBe('Conflict');
        }
        const listed = await s.studio.listUserProfiles(scope, { limit: 10, domainId: domain.domainId });
        expect(listed.items).toHaveLength(1);
      });

      it('never leaves a profile in a domain that a concurrent DeleteDomain deleted', async () => {
        const { scope } = await s.newAccount();
        const domain = await iamDomain(scope);
        const [created, deleted] = await Promise.allSettled([
          s.studio.createUserProfile(scope, { domainId: domain.domainId, name: 'racer' }),
          s.studio.deleteDomain(scope, domain.domainId),
        ]);
        // Exactly one wins: the profile (and the deletion is refused), or the deletion (and the profile is).
        const profiles = await s.studio.listUserProfiles(scope, { limit: 10, domainId: domain.domainId });
        if (deleted.status === 'fulfilled') {
          expect(created.status).toBe('rejected');
          expect(profiles.items).toHaveLength(0);
        } else {
          expect(created.status).toBe('fulfilled');
          expect((deleted.reason as AppError).kind).toBe('InUse');
          expect(profiles.items).toHaveLength(1);
        }
      });

      it('assigns nobody when a direct group already allows the user', async () => {
        const { scope, alice, domain, applicationArn, scientists } = await onboarding();
        await assignGroup(scope, applicationArn, scientists.groupId);
        const result = await s.studio.createProfileForSsoUser(scope, domain.domainId, 'alice', 'alice-ml');
        expect(result.assigned).toBe(false);
        expect(result.decision.reason).toBe('group');
        expect(result.profile.name).toBe('alice-ml');
        expect(
          (
            await failure(
              s.applications.describeAssignment(scope, applicationArn, { type: 'USER', id: alice.userId }),
            )
          ).kind,
        ).toBe('NotFound');
      });

      it('leaves nothing behind when the profile cannot be created: the assignment is rolled back', async () => {
        const { scope, carol, dave, domain, applicationArn, scientists } = await onboarding();
        await assignGroup(scope, applicationArn, scientists.groupId);
        await s.studio.createProfileForSsoUser(scope, domain.domainId, 'dave', 'shared');
        // carol is only in a nested group: she would be assigned, but the name is taken.
        const conflict = await failure(
          s.studio.createProfileForSsoUser(scope, domain.domainId, 'carol', 'SHARED'),
        );
        expect(conflict.kind).toBe('Conflict');
        expect(
          (
            await failure(
              s.applications.describeAssignment(scope, applicationArn, { type: 'USER', id: carol.userId }),
            )
          ).kind,
        ).toBe('NotFound');
        expect((await s.access.decideAccess(scope, { applicationArn, userId: carol.userId })).reason).toBe(
          'nested-group-only',
        );
        // A second profile for dave: refused, and his assignment stays as it was.
        expect(
          (await failure(s.studio.createProfileForSsoUser(scope, domain.domainId, 'dave', 'dave-2'))).kind,
        ).toBe('Conflict');
        expect((await s.access.decideAccess(scope, { applicationArn, userId: dave.userId })).reason).toBe(
          'direct',
        );
        // IAM domains and unknown users are refused before anything happens.
        const iam = await iamDomain(scope);
        expect((await failure(s.studio.createProfileForSsoUser(scope, iam.domainId, 'dave'))).code).toBe(
          'DOMAIN_NOT_SSO',
        );
        expect((await failure(s.studio.createProfileForSsoUser(scope, domain.domainId, 'nobody'))).kind).toBe(
          'NotFound',
        );
        expect(
          (await failure(s.studio.createProfileForSsoUser(scope, domain.domainId, 'carol', '-bad'))).code,
        ).toBe('INVALID_PROFILE_NAME');
      });

      it('derives profile names from user names', () => {
        expect(profileNameFor('alice')).toBe('alice');
        expect(profileNameFor('alice.smith@example.com')).toBe('alice-smith-example-com');
        expect(profileNameFor('__x__')).toBe('x');
        expect(profileNameFor('@@@')).toMatch(/^user-[0-9a-f]{8}$/);
        expect(profileNameFor('a'.repeat(80))).toHaveLength(63);
      });
    });

    describe('presigned domain URLs', () => {
      const tokenOf = (url: string): string => new URL(url).searchParams.get('token') ?? '';

      it('are for IAM domains only, work once, and expire', async () => {
        const { scope, domain } = await onboarding();
        const ssoRefused = await failure(
          s.studio.createPresignedDomainUrl(scope, { domainId: domain.domainId, profileName: 'alice' }),
        );
        expect(ssoRefused.kind).toBe('Validation');
        expect(ssoRefused.message).toContain('only for domains whose AuthMode is IAM');

        const iam = await iamDomain(scope);
        await s.studio.createUserProfile(scope, { domainId: iam.domainId, name: 'analyst' });
        expect(
          (
            await failure(
              s.studio.createPresignedDomainUrl(scope, { domainId: iam.domainId, profileName: 'nobody' }),
            )
          ).kind,
        ).toBe('NotFound');
        const presigned = await s.studio.createPresignedDomainUrl(scope, {
          domainId: iam.domainId,
          profileName: 'Analyst',
          sessionExpirationDurationInSeconds: 3600,
        });
        expect(presigned.url).toMatch(
          new RegExp(`^https://studio\\.test/studio/${iam.domainId}/presigned\\?token=[A-Za-z0-9_-]{43}$`),
        );
        expect(presigned.expiresAt.getTime() - clock.now().getTime()).toBe(300_000);
        const token = tokenOf(presigned.url);
        // Only the hash is stored.
        const stored = await database.db.selectFrom('studio_presigned_urls').select('token_hash').execute();
        expect(stored.map((r) => r.token_hash)).not.toContain(token);

        const opened = await s.studio.redeemPresignedUrl(token);
        expect(opened).toMatchObject({
          outcome: 'signed-in',
          profile: { name: 'analyst' },
          domain: { domainId: iam.domainId },
        });
        if (opened.outcome === 'signed-in') {
          expect(opened.sessionExpiresAt.getTime() - clock.now().getTime()).toBe(3_600_000);
        }
        expect((await s.studio.redeemPresignedUrl(token)).outcome).toBe('used');

        const short = await s.studio.createPresignedDomainUrl(scope, {
          domainId: iam.domainId,
          profileName: 'analyst',
          expiresInSeconds: 5,
        });
        clock.advance(5000);
        expect((await s.studio.redeemPresignedUrl(tokenOf(short.url))).outcome).toBe('expired');
        expect((await s.studio.redeemPresignedUrl('not-a-token')).outcome).toBe('unknown');
        expect((await s.studio.redeemPresignedUrl('A'.repeat(43))).outcome).toBe('unknown');
        expect(
          (
            await failure(
              s.studio.createPresignedDomainUrl(scope, {
                domainId: iam.domainId,
                profileName: 'analyst',
                expiresInSeconds: 301,
              }),
            )
          ).kind,
        ).toBe('Validation');

        const late = await s.studio.createPresignedDomainUrl(scope, {
          domainId: iam.domainId,
          profileName: 'analyst',
        });
        await s.studio.deleteUserProfile(scope, iam.domainId, 'analyst');
        expect((await s.studio.redeemPresignedUrl(tokenOf(late.url))).outcome).toBe('profile-gone');
      });
    });
  });
}
