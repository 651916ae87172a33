import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  IdentitystoreClient,
} from '@aws-sdk/client-identitystore';
import { CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  CreateDomainCommand,
  CreatePresignedDomainUrlCommand,
  CreateUserProfileCommand,
  DeleteDomainCommand,
  DeleteUserProfileCommand,
  DescribeDomainCommand,
  DescribeUserProfileCommand,
  ListDomainsCommand,
  ListUserProfilesCommand,
  paginateListDomains,
  SageMakerClient,
  UpdateDomainCommand,
  UpdateUserProfileCommand,
} from '@aws-sdk/client-sagemaker';
import {
  CreateApplicationAssignmentCommand,
  CreateInstanceCommand,
  DescribeApplicationCommand,
  DescribeInstanceCommand,
  ListApplicationAssignmentsForPrincipalCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../../src/cli/admin-client.js';
import { ManualClock } from '../../src/core/clock.js';
import type { Scope } from '../../src/core/scope.js';
import type { SsoProfileResponse } from '../../src/web/admin/studio.routes.js';
import { postgresUnavailableReason, testDialects } from '../support/test-databases.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const ROLE = 'arn:aws:iam::111122223333:role/service-role/AmazonSageMaker-ExecutionRole';

/** The SDK's error, with what the wire said. */
interface SdkError extends Error {
  $metadata: { httpStatusCode?: number };
}

const failure = (work: Promise<unknown>): Promise<SdkError> =>
  work.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: SdkError) => error,
  );

const pgUnavailable = await postgresUnavailableReason();

for (const dialect of testDialects()) {
  const skipReason = dialect === 'postgres' ? pgUnavailable : undefined;
  const suite = skipReason === undefined ? describe : describe.skip;

  suite(`the guide's SageMaker onboarding through the SDK on ${dialect}${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
    // SigV4 allows 15 minutes of skew: the tests move this clock by seconds only.
    const clock = new ManualClock();
    let server: TestServer;
    let sagemaker: SageMakerClient;
    let sso: SSOAdminClient;
    let identity: IdentitystoreClient;
    let instanceArn: string;
    let storeId: string;
    const groups = { 'Data Scientists': '', Interns: '' };
    const users = { alice: '', carol: '', dave: '' };

    beforeAll(async () => {
      server = await startTestServer({ database: dialect, clock });
      sagemaker = new SageMakerClient(server.sdkConfig());
      sso = new SSOAdminClient(server.sdkConfig());
      identity = new IdentitystoreClient(server.sdkConfig());

      // Organization → instance → users and groups, as the guide's first steps.
      const organizations = new OrganizationsClient(server.sdkConfig());
      await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
      organizations.destroy();
      instanceArn = (await sso.send(new CreateInstanceCommand({ Name: 'studio' }))).InstanceArn ?? '';
      storeId =
        (await sso.send(new DescribeInstanceCommand({ InstanceArn: instanceArn }))).IdentityStoreId ?? '';
      for (const userName of ['alice', 'carol', 'dave'] as const) {
        const created = await identity.send(
          new CreateUserCommand({
            IdentityStoreId: storeId,
            UserName: userName,
            DisplayName: userName,
            Name: { GivenName: userName, FamilyName: 'Doe' },
          }),
        );
        users[userName] = created.UserId ?? '';
      }
      for (const displayName of ['Data Scientists', 'Interns'] as const) {
        const created = await identity.send(
          new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName: displayName }),
        );
        groups[displayName] = created.GroupId ?? '';
      }
      await identity.send(
        new CreateGroupMembershipCommand({
          IdentityStoreId: storeId,
          GroupId: groups['Data Scientists'],
          MemberId: { UserId: users.alice },
        }),
      );
      await identity.send(
        new CreateGroupMembershipCommand({
          IdentityStoreId: storeId,
          GroupId: groups.Interns,
          MemberId: { UserId: users.carol },
        }),
      );
      // Interns inside Data Scientists: a nested group, which AWS's API cannot make (a directory sync can).
      const scope: Scope = {
        accountId: server.accountId,
        region: server.region,
        principalArn: `arn:aws:iam::${server.accountId}:root`,
      };
      await server.server.app.services.identityStore.addGroupToGroup(
        scope,
        storeId,
        groups['Data Scientists'],
        groups.Interns,
      );
    }, 60_000);

    afterAll(async () => {
      sagemaker?.destroy();
      sso?.destroy();
      identity?.destroy();
      await server?.close();
    });

    it('walks the guide: SSO domain, refusal before assignment, group assignment, profile, nested group refused', async () => {
      const created = await sagemaker.send(
        new CreateDomainCommand({
          DomainName: 'ml-team',
          AuthMode: 'SSO',
          DefaultUserSettings: { ExecutionRole: ROLE, SharingSettings: { NotebookOutputOption: 'Disabled' } },
        }),
      );
      const domainId = created.DomainId ?? '';
      expect(domainId).toMatch(/^d-[a-z0-9]{12}$/);
      expect(created.DomainArn).toBe(`arn:aws:sagemaker:us-east-1:${server.accountId}:domain/${domainId}`);
      expect(created.Url).toBe(`https://${domainId}.studio.us-east-1.sagemaker.aws`);

      const pending = await sagemaker.send(new DescribeDomainCommand({ DomainId: domainId }));
      expect(pending).toMatchObject({
        DomainId: domainId,
        DomainName: 'ml-team',
        AuthMode: 'SSO',
        Status: 'Pending',
        AppNetworkAccessType: 'PublicInternetOnly',
        TagPropagation: 'DISABLED',
        DefaultUserSettings: { ExecutionRole: ROLE, SharingSettings: { NotebookOutputOption: 'Disabled' } },
      });
      expect(pending.HomeEfsFileSystemId).toMatch(/^fs-[0-9a-f]{17}$/);
      expect(pending.CreationTime).toBeInstanceOf(Date);
      expect(pending.SingleSignOnManagedApplicationInstanceId).toMatch(/^apl-[0-9a-f]{16}$/);
      const applicationArn = pending.SingleSignOnApplicationArn ?? '';
      expect(applicationArn).toBe(
        `arn:aws:sso::${server.accountId}:application/${instanceArn.split('/')[1]}/${pending.SingleSignOnManagedApplicationInstanceId}`,
      );
      const application = await sso.send(new DescribeApplicationCommand({ ApplicationArn: applicationArn }));
      expect(application).toMatchObject({
        Name: `Amazon SageMaker Studio (${domainId})`,
        ApplicationProviderArn: 'arn:aws:sso::aws:applicationProvider/sagemaker',
        Status: 'ENABLED',
      });
      clock.advance(1000);
      expect((await sagemaker.send(new DescribeDomainCommand({ DomainId: domainId }))).Status).toBe(
        'InService',
      );

      const createAlice = new CreateUserProfileCommand({
        DomainId: domainId,
        UserProfileName: 'alice',
        SingleSignOnUserIdentifier: 'UserName',
        SingleSignOnUserValue: 'alice',
        UserSettings: { ExecutionRole: ROLE },
      });
      const refused = await failure(sagemaker.send(createAlice));
      expect(refused.name).toBe('ValidationException');
      expect(refused.$metadata.httpStatusCode).toBe(400);
      expect(refused.message).toBe(
        `User alice is not assigned to the application "Amazon SageMaker Studio (${domainId})". ` +
          `Assign the user, or a group that directly contains the user, with sso-admin create-application-assignment --application-arn ${applicationArn} --principal-type GROUP --principal-id <group-id> (or --principal-type USER --principal-id ${users.alice}), then retry.`,
      );

      await sso.send(
        new CreateApplicationAssignmentCommand({
          ApplicationArn: applicationArn,
          PrincipalType: 'GROUP',
          PrincipalId: groups['Data Scientists'],
        }),
      );
      const profile = await sagemaker.send(createAlice);
      expect(profile.UserProfileArn).toBe(
        `arn:aws:sagemaker:us-east-1:${server.accountId}:user-profile/${domainId}/alice`,
      );
      const described = await sagemaker.send(
        new DescribeUserProfileCommand({ DomainId: domainId, UserProfileName: 'ALICE' }),
      );
      expect(described).toMatchObject({
        DomainId: domainId,
        UserProfileName: 'alice',
        UserProfileArn: profile.UserProfileArn,
        HomeEfsFileSystemUid: '200001',
        Status: 'Pending',
        SingleSignOnUserIdentifier: 'UserName',
        SingleSignOnUserValue: 'alice',
        UserSettings: { ExecutionRole: ROLE },
      });
      const again = await failure(
        sagemaker.send(
          new CreateUserProfileCommand({
            DomainId: domainId,
            UserProfileName: 'alice-two',
            SingleSignOnUserIdentifier: 'UserName',
            SingleSignOnUserValue: 'alice',
          }),
        ),
      );
      expect(again.name).toBe('ResourceInUse');
      expect(again.$metadata.httpStatusCode).toBe(400);

      const nested = await failure(
        sagemaker.send(
          new CreateUserProfileCommand({
            DomainId: domainId,
            UserProfileName: 'carol',
            SingleSignOnUserIdentifier: 'UserName',
            SingleSignOnUserValue: 'carol',
          }),
        ),
      );
      expect(nested.name).toBe('ValidationException');
      expect(nested.message).toContain(
        'carol is a member of group Interns, which is only nested in the assigned group Data Scientists, and IAM Identity Center does not honour nested groups for application assignment.',
      );
      expect(nested.message).toContain(
        `--principal-type GROUP --principal-id ${groups.Interns} (group Interns)`,
      );

      // The console's way: dave is assigned and gets his profile in one step.
      const admin = new AdminClient({
        endpoint: server.url,
        region: server.region,
        credentials: server.credentials,
      });
      const viaConsole = await admin.post<SsoProfileResponse>(`/studio/domains/${domainId}/sso-profiles`, {
        user: 'dave',
      });
      expect(viaConsole).toMatchObject({
        userProfileName: 'dave',
        assigned: true,
        accessBefore: 'denied: not assigned',
      });
      const daveApps = await sso.send(
        new ListApplicationAssignmentsForPrincipalCommand({
          InstanceArn: instanceArn,
          PrincipalType: 'USER',
          PrincipalId: users.dave,
        }),
      );
      expect(daveApps.ApplicationAssignments?.map((a) => a.ApplicationArn)).toEqual([applicationArn]);

      const listed = await sagemaker.send(
        new ListUserProfilesCommand({ DomainIdEquals: domainId, SortOrder: 'Descending' }),
      );
      expect(listed.UserProfiles?.map((p) => p.UserProfileName)).toEqual(['dave', 'alice']);

      // Not while profiles exist; then the domain goes, and its application and assignments with it.
      const inUse = await failure(sagemaker.send(new DeleteDomainCommand({ DomainId: domainId })));
      expect(inUse.name).toBe('ResourceInUse');
      for (const name of ['alice', 'dave']) {
        await sagemaker.send(new DeleteUserProfileCommand({ DomainId: domainId, UserProfileName: name }));
      }
      clock.advance(1000);
      await sagemaker.send(
        new DeleteDomainCommand({ DomainId: domainId, RetentionPolicy: { HomeEfsFileSystem: 'Delete' } }),
      );
      expect((await sagemaker.send(new DescribeDomainCommand({ DomainId: domainId }))).Status).toBe(
        'Deleting',
      );
      const gone = await failure(
        sso.send(new DescribeApplicationCommand({ ApplicationArn: applicationArn })),
      );
      expect(gone.name).toBe('ResourceNotFoundException');
      clock.advance(1000);
      const notFound = await failure(sagemaker.send(new DescribeDomainCommand({ DomainId: domainId })));
      expect(notFound.name).toBe('ResourceNotFound');
      expect(notFound.$metadata.httpStatusCode).toBe(400);
    });

    it('keeps SSO fields off IAM domains, and presigned URLs work once and expire', async () => {
      const { DomainId: domainId = '' } = await sagemaker.send(
        new CreateDomainCommand({
          DomainName: 'iam-team',
          AuthMode: 'IAM',
          DefaultUserSettings: { ExecutionRole: ROLE },
          VpcId: 'vpc-0123456789abcdef0',
          SubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
          Tags: [{ Key: 'team', Value: 'ml' }],
        }),
      );
      const described = await sagemaker.send(new DescribeDomainCommand({ DomainId: domainId }));
      expect(described.SingleSignOnApplicationArn).toBeUndefined();
      expect(described.SingleSignOnManagedApplicationInstanceId).toBeUndefined();
      expect(described.SubnetIds).toEqual(['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1']);

      const refused = await failure(
        sagemaker.send(
          new CreateUserProfileCommand({
            DomainId: domainId,
            UserProfileName: 'analyst',
            SingleSignOnUserIdentifier: 'UserName',
            SingleSignOnUserValue: 'alice',
          }),
        ),
      );
      expect(refused.name).toBe('ValidationException');
      expect(refused.message).toContain('only for a domain whose AuthMode is SSO');
      await sagemaker.send(new CreateUserProfileCommand({ DomainId: domainId, UserProfileName: 'analyst' }));

      const { AuthorizedUrl: url = '' } = await sagemaker.send(
        new CreatePresignedDomainUrlCommand({
          DomainId: domainId,
          UserProfileName: 'analyst',
          SessionExpirationDurationInSeconds: 1800,
        }),
      );
      expect(url).toMatch(
        new RegExp(`^${server.url}/studio/${domainId}/presigned\\?token=[A-Za-z0-9_-]{43}$`),
      );
      const opened = await fetch(url);
      expect(opened.status).toBe(200);
      expect(await opened.text()).toContain(`Signed in to Studio as analyst in iam-team (${domainId})`);
      const reused = await fetch(url);
      expect(reused.status).toBe(410);
      expect(await reused.text()).toContain('already used');

      const { AuthorizedUrl: short = '' } = await sagemaker.send(
        new CreatePresignedDomainUrlCommand({
          DomainId: domainId,
          UserProfileName: 'analyst',
          ExpiresInSeconds: 5,
        }),
      );
      clock.advance(5000);
      const expired = await fetch(short);
      expect(expired.status).toBe(410);
      expect(await expired.text()).toContain('expired');
      const forged = await fetch(`${server.url}/studio/${domainId}/presigned?token=${'A'.repeat(43)}`);
      expect(forged.status).toBe(404);

      // The model's limits are checked by the server: the SDK checks nothing.
      const tooLong = await failure(
        sagemaker.send(
          new CreatePresignedDomainUrlCommand({
            DomainId: domainId,
            UserProfileName: 'analyst',
            ExpiresInSeconds: 301,
          }),
        ),
      );
      expect(tooLong.name).toBe('ValidationException');
      expect(tooLong.message).toContain("at 'expiresInSeconds'");
    });

    it('validates, updates and lists domains', async () => {
      const noRole = await failure(
        sagemaker.send(
          new CreateDomainCommand({ DomainName: 'x', AuthMode: 'IAM', DefaultUserSettings: {} }),
        ),
      );
      expect(noRole.name).toBe('ValidationException');
      expect(noRole.message).toContain('DefaultUserSettings.ExecutionRole is required');
      const badMode = await failure(
        sagemaker.send(
          new CreateDomainCommand({
            DomainName: 'x',
            AuthMode: 'LDAP' as 'IAM',
            DefaultUserSettings: { ExecutionRole: ROLE },
          }),
        ),
      );
      expect(badMode.message).toContain("at 'authMode' failed to satisfy constraint");

      const { DomainId: domainId = '' } = await sagemaker.send(
        new CreateDomainCommand({
          DomainName: 'update-me',
          AuthMode: 'IAM',
          DefaultUserSettings: { ExecutionRole: ROLE },
        }),
      );
      const updated = await sagemaker.send(
        new UpdateDomainCommand({
          DomainId: domainId,
          DefaultUserSettings: { StudioWebPortal: 'ENABLED' },
          DomainSettingsForUpdate: {
            RStudioServerProDomainSettingsForUpdate: { DomainExecutionRoleArn: ROLE },
          },
        }),
      );
      expect(updated.DomainArn).toContain(domainId);
      const described = await sagemaker.send(new DescribeDomainCommand({ DomainId: domainId }));
      expect(described.Status).toBe('Updating');
      expect(described.DefaultUserSettings).toEqual({ ExecutionRole: ROLE, StudioWebPortal: 'ENABLED' });
      expect(described.DomainSettings).toEqual({
        RStudioServerProDomainSettings: { DomainExecutionRoleArn: ROLE },
      });

      await sagemaker.send(new CreateUserProfileCommand({ DomainId: domainId, UserProfileName: 'u1' }));
      const { UserProfileArn } = await sagemaker.send(
        new UpdateUserProfileCommand({
          DomainId: domainId,
          UserProfileName: 'U1',
          UserSettings: { StudioWebPortal: 'DISABLED' },
        }),
      );
      expect(UserProfileArn).toMatch(/user-profile\/d-[a-z0-9]{12}\/u1$/);

      const first = await sagemaker.send(new ListDomainsCommand({ MaxResults: 1 }));
      expect(first.Domains).toHaveLength(1);
      expect(first.NextToken).toBeDefined();
      const all: string[] = [];
      for await (const page of paginateListDomains({ client: sagemaker, pageSize: 1 }, {})) {
        all.push(...(page.Domains ?? []).map((d) => d.DomainId ?? ''));
      }
      expect(all).toContain(domainId);
      expect(new Set(all).size).toBe(all.length);

      const unknown = await failure(
        sagemaker.send(new DescribeDomainCommand({ DomainId: 'd-000000000000' })),
      );
      expect(unknown.name).toBe('ResourceNotFound');
    });
  });
}
