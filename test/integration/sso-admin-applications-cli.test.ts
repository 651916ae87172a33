import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, startTestServer, type TestServer } from '../support/test-server.js';

const CUSTOM = 'arn:aws:sso::aws:applicationProvider/custom';

/** Each `aws` call starts a Python interpreter (about a second on a busy two-core machine). */
const CLI_TEST_TIMEOUT = 240_000;

describe('sso-admin applications through the aws CLI', () => {
  let server: TestServer;
  let instanceArn: string;
  let storeId: string;
  const { ok, fails } = awsCli(() => server);

  beforeAll(async () => {
    server = await startTestServer();
    instanceArn = (await ok('sso-admin', 'create-instance', '--name', 'cli-apps')).InstanceArn as string;
    storeId = (await ok('sso-admin', 'describe-instance', '--instance-arn', instanceArn))
      .IdentityStoreId as string;
  }, CLI_TEST_TIMEOUT);
  afterAll(async () => {
    await server?.close();
  });

  it(
    'walks the guide: custom application, group assignment, what alice gets, assignment configuration',
    async () => {
      const providers = await ok('sso-admin', 'list-application-providers');
      expect(
        (providers.ApplicationProviders as { ApplicationProviderArn: string }[]).map(
          (p) => p.ApplicationProviderArn,
        ),
      ).toContain(CUSTOM);

      const created = await ok(
        'sso-admin',
        'create-application',
        '--instance-arn',
        instanceArn,
        '--application-provider-arn',
        CUSTOM,
        '--name',
        'Team notebooks',
        '--description',
        'Notebooks',
        '--portal-options',
        'Visibility=ENABLED,SignInOptions={Origin=IDENTITY_CENTER}',
      );
      const applicationArn = created.ApplicationArn as string;
      expect(applicationArn).toMatch(
        /^arn:aws:sso::\d{12}:application\/ssoins-[0-9a-f]{16}\/apl-[0-9a-f]{16}$/,
      );
      expect(
        await ok('sso-admin', 'describe-application', '--application-arn', applicationArn),
      ).toMatchObject({
        Name: 'Team notebooks',
        Status: 'ENABLED',
        ApplicationProviderArn: CUSTOM,
        InstanceArn: instanceArn,
      });
      const listed = await ok('sso-admin', 'list-applications', '--instance-arn', instanceArn);
      expect((listed.Applications as { ApplicationArn: string }[]).map((a) => a.ApplicationArn)).toEqual([
        applicationArn,
      ]);

      const userId = (
        await ok(
          'identitystore',
          'create-user',
          '--identity-store-id',
          storeId,
          '--user-name',
          'alice',
          '--display-name',
          'Alice',
          '--name',
          'GivenName=Alice,FamilyName=Doe',
        )
      ).UserId as string;
      const groupId = (
        await ok(
          'identitystore',
          'create-group',
          '--identity-store-id',
          storeId,
          '--display-name',
          'Data Scientists',
        )
      ).GroupId as string;
      await ok(
        'identitystore',
        'create-group-membership',
        '--identity-store-id',
        storeId,
        '--group-id',
        groupId,
        '--member-id',
        `UserId=${userId}`,
      );
      await ok(
        'sso-admin',
        'create-application-assignment',
        '--application-arn',
        applicationArn,
        '--principal-type',
        'GROUP',
        '--principal-id',
        groupId,
      );
      await fails(
        'ConflictException',
        'sso-admin',
        'create-application-assignment',
        '--application-arn',
        applicationArn,
        '--principal-type',
        'GROUP',
        '--principal-id',
        groupId,
      );
      expect(
        await ok(
          'sso-admin',
          'describe-application-assignment',
          '--application-arn',
          applicationArn,
          '--principal-type',
          'GROUP',
          '--principal-id',
          groupId,
        ),
      ).toEqual({ ApplicationArn: applicationArn, PrincipalType: 'GROUP', PrincipalId: groupId });
      expect(
        await ok('sso-admin', 'list-application-assignments', '--application-arn', applicationArn),
      ).toEqual({
        ApplicationAssignments: [
          { ApplicationArn: applicationArn, PrincipalType: 'GROUP', PrincipalId: groupId },
        ],
      });
      expect(
        await ok(
          'sso-admin',
          'list-application-assignments-for-principal',
          '--instance-arn',
          instanceArn,
          '--principal-type',
          'USER',
          '--principal-id',
          userId,
        ),
      ).toEqual({
        ApplicationAssignments: [
          { ApplicationArn: applicationArn, PrincipalType: 'USER', PrincipalId: userId },
        ],
      });

      expect(
        await ok(
          'sso-admin',
          'get-application-assignment-configuration',
          '--application-arn',
          applicationArn,
        ),
      ).toEqual({ AssignmentRequired: true });
      await ok(
        'sso-admin',
        'put-application-assignment-configuration',
        '--application-arn',
        applicationArn,
        '--no-assignment-required',
      );
      expect(
        await ok(
          'sso-admin',
          'get-application-assignment-configuration',
          '--application-arn',
          applicationArn,
        ),
      ).toEqual({ AssignmentRequired: false });

      await ok(
        'sso-admin',
        'delete-application-assignment',
        '--application-arn',
        applicationArn,
        '--principal-type',
        'GROUP',
        '--principal-id',
        groupId,
      );
      await fails(
        'ResourceNotFoundException',
        'sso-admin',
        'delete-application-assignment',
        '--application-arn',
        applicationArn,
        '--principal-type',
        'GROUP',
        '--principal-id',
        groupId,
      );
      await ok(
        'sso-admin',
        'update-application',
        '--application-arn',
        applicationArn,
        '--name',
        'Renamed notebooks',
      );
      await ok('sso-admin', 'delete-application', '--application-arn', applicationArn);
      await fails(
        'ResourceNotFoundException',
        'sso-admin',
        'describe-application',
        '--application-arn',
        applicationArn,
      );
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'answers errors with AWS’s codes',
    async () => {
      const managed = await fails(
        'ValidationException',
        'sso-admin',
        'create-application',
        '--instance-arn',
        instanceArn,
        '--application-provider-arn',
        'arn:aws:sso::aws:applicationProvider/sagemaker',
        '--name',
        'Studio',
      );
      expect(managed.stderr).toContain('AWS managed');
      const applicationArn = (
        await ok(
          'sso-admin',
          'create-application',
          '--instance-arn',
          instanceArn,
          '--application-provider-arn',
          CUSTOM,
          '--name',
          'errors',
        )
      ).ApplicationArn as string;
      await fails(
        'ResourceNotFoundException',
        'sso-admin',
        'create-application-assignment',
        '--application-arn',
        applicationArn,
        '--principal-type',
        'USER',
        '--principal-id',
        '0123456789-00000000-0000-4000-8000-000000000001',
      );
      await fails(
        'ValidationException',
        'sso-admin',
        'create-application-assignment',
        '--application-arn',
        applicationArn,
        '--principal-type',
        'USER',
        '--principal-id',
        'alice',
      );
      await fails(
        'ResourceNotFoundException',
        'sso-admin',
        'list-application-assignments-for-principal',
        '--instance-arn',
        instanceArn,
        '--principal-type',
        'GROUP',
        '--principal-id',
        '0123456789-00000000-0000-4000-8000-000000000001',
      );
      const provider = await fails(
        'ResourceNotFoundException',
        'sso-admin',
        'describe-application-provider',
        '--application-provider-arn',
        'arn:aws:sso::aws:applicationProvider/nope',
      );
      expect(provider.stderr).toContain('does not exist');
    },
    CLI_TEST_TIMEOUT,
  );
});
