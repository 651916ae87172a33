import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStudioSso } from '../support/run-cli.js';
import { awsCli, startTestServer, type TestServer } from '../support/test-server.js';

const ROLE = 'arn:aws:iam::111122223333:role/SageMakerExecutionRole';

/**
 * The guide end to end through the real `aws` CLI (v1, current model) and the `studio-sso` command,
 * against a server on the system clock: the Pending → InService lifecycle is watched as a user
 * would, by polling describe-domain (botocore has no domain waiter; `aws sagemaker wait` offers none).
 */
describe('the guide’s SageMaker onboarding through the aws CLI', () => {
  let server: TestServer;
  const { ok, fails } = awsCli(() => server);
  let storeId: string;
  /** The SSO domain of the first test. */
  let ssoDomainId = '';
  const groupIds: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer();
    await ok('organizations', 'create-organization', '--feature-set', 'ALL');
    const instanceArn = (await ok('sso-admin', 'create-instance', '--name', 'studio')).InstanceArn as string;
    storeId = (await ok('sso-admin', 'describe-instance', '--instance-arn', instanceArn))
      .IdentityStoreId as string;
    const userIds: Record<string, string> = {};
    for (const userName of ['alice', 'carol', 'dave']) {
      userIds[userName] = (
        await ok(
          'identitystore',
          'create-user',
          '--identity-store-id',
          storeId,
          '--user-name',
          userName,
          '--display-name',
          userName,
          '--name',
          `GivenName=${userName},FamilyName=Doe`,
        )
      ).UserId as string;
    }
    for (const [group, member] of [
      ['Data Scientists', 'alice'],
      ['Interns', 'carol'],
    ] as const) {
      const groupId = (
        await ok('identitystore', 'create-group', '--identity-store-id', storeId, '--display-name', group)
      ).GroupId as string;
      groupIds[group] = groupId;
      await ok(
        'identitystore',
        'create-group-membership',
        '--identity-store-id',
        storeId,
        '--group-id',
        groupId,
        '--member-id',
        `UserId=${userIds[member]}`,
      );
    }
    const nested = await runStudioSso(server, [
      'groups',
      'add-member',
      '--group',
      'Data Scientists',
      '--member-group',
      'Interns',
    ]);
    expect(nested.code, nested.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it('walks the guide: SSO domain, refusal, group assignment, profile, nested group, console path', async () => {
    const created = await ok(
      'sagemaker',
      'create-domain',
      '--domain-name',
      'ml-team',
      '--auth-mode',
      'SSO',
      '--default-user-settings',
      `ExecutionRole=${ROLE}`,
      '--vpc-id',
      'vpc-0123456789abcdef0',
      '--subnet-ids',
      'subnet-0123456789abcdef0',
    );
    const domainId = created.DomainId as string;
    ssoDomainId = domainId;
    expect(domainId).toMatch(/^d-[a-z0-9]{12}$/);
    expect(created.Url).toBe(`https://${domainId}.studio.us-east-1.sagemaker.aws`);

    // Pending for a second, then InService: poll as a script would.
    let domain = await ok('sagemaker', 'describe-domain', '--domain-id', domainId);
    for (let attempt = 0; domain.Status !== 'InService' && attempt < 20; attempt++) {
      expect(domain.Status).toBe('Pending');
      await new Promise((resolve) => setTimeout(resolve, 250));
      domain = await ok('sagemaker', 'describe-domain', '--domain-id', domainId);
    }
    expect(domain).toMatchObject({ Status: 'InService', AuthMode: 'SSO', VpcId: 'vpc-0123456789abcdef0' });
    const applicationArn = domain.SingleSignOnApplicationArn as string;
    expect(applicationArn).toMatch(
      /^arn:aws:sso::\d{12}:application\/ssoins-[0-9a-f]{16}\/apl-[0-9a-f]{16}$/,
    );
    expect(applicationArn.endsWith(`/${domain.SingleSignOnManagedApplicationInstanceId}`)).toBe(true);

    const profileFor = (userName: string, profileName = userName) => [
      'sagemaker',
      'create-user-profile',
      '--domain-id',
      domainId,
      '--user-profile-name',
      profileName,
      '--single-sign-on-user-identifier',
      'UserName',
      '--single-sign-on-user-value',
      userName,
    ];
    const refused = await fails('ValidationException', ...profileFor('alice'));
    expect(refused.stderr).toContain(
      `User alice is not assigned to the application "Amazon SageMaker Studio (${domainId})". Assign the user, or a group that directly contains the user, with sso-admin create-application-assignment --application-arn ${applicationArn} --principal-type GROUP`,
    );

    await ok(
      'sso-admin',
      'create-application-assignment',
      '--application-arn',
      applicationArn,
      '--principal-type',
      'GROUP',
      '--principal-id',
      groupIds['Data Scientists'] ?? '',
    );
    const profile = await ok(...profileFor('alice'));
    expect(profile.UserProfileArn).toBe(
      `arn:aws:sagemaker:us-east-1:${server.accountId}:user-profile/${domainId}/alice`,
    );
    expect(
      await ok('sagemaker', 'describe-user-profile', '--domain-id', domainId, '--user-profile-name', 'alice'),
    ).toMatchObject({
      UserProfileName: 'alice',
      SingleSignOnUserIdentifier: 'UserName',
      SingleSignOnUserValue: 'alice',
      HomeEfsFileSystemUid: '200001',
    });

    const nested = await fails('ValidationException', ...profileFor('carol'));
    expect(nested.stderr).toContain(
      'carol is a member of group Interns, which is only nested in the assigned group Data Scientists',
    );
    expect(nested.stderr).toContain(
      `--principal-type GROUP --principal-id ${groupIds.Interns} (group Interns)`,
    );

    // The console's path from the command line: dave is assigned and gets a profile, both or neither.
    const added = await runStudioSso(server, [
      'studio',
      'add-profile',
      '--domain',
      domainId,
      '--user',
      'dave',
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain(
      "Assigned dave to the domain's application (before: denied: not assigned).",
    );
    expect(added.stdout).toContain(`Created user profile dave for dave in ${domainId}`);
    const taken = await runStudioSso(server, [
      'studio',
      'add-profile',
      '--domain',
      domainId,
      '--user',
      'carol',
      '--profile-name',
      'DAVE',
    ]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('USER_PROFILE_EXISTS');
    const carolApps = await ok(
      'sso-admin',
      'list-application-assignments',
      '--application-arn',
      applicationArn,
    );
    expect(
      (carolApps.ApplicationAssignments as { PrincipalType: string }[]).map((a) => a.PrincipalType).sort(),
    ).toEqual(['GROUP', 'USER']);

    const listed = await ok('sagemaker', 'list-user-profiles', '--domain-id-equals', domainId);
    expect((listed.UserProfiles as { UserProfileName: string }[]).map((p) => p.UserProfileName)).toEqual([
      'alice',
      'dave',
    ]);
    await fails('ResourceInUse', 'sagemaker', 'delete-domain', '--domain-id', domainId);
  }, 180_000);

  it('keeps SSO fields off IAM domains and opens a presigned URL once', async () => {
    const domainId = (
      await ok(
        'sagemaker',
        'create-domain',
        '--domain-name',
        'iam-team',
        '--auth-mode',
        'IAM',
        '--default-user-settings',
        `ExecutionRole=${ROLE}`,
      )
    ).DomainId as string;
    const describedDomain = await ok('sagemaker', 'describe-domain', '--domain-id', domainId);
    expect(describedDomain.SingleSignOnApplicationArn).toBeUndefined();
    const refused = await fails(
      'ValidationException',
      'sagemaker',
      'create-user-profile',
      '--domain-id',
      domainId,
      '--user-profile-name',
      'analyst',
      '--single-sign-on-user-identifier',
      'UserName',
      '--single-sign-on-user-value',
      'alice',
    );
    expect(refused.stderr).toContain('only for a domain whose AuthMode is SSO');
    await ok('sagemaker', 'create-user-profile', '--domain-id', domainId, '--user-profile-name', 'analyst');
    await fails(
      'ValidationException',
      'sagemaker',
      'create-presigned-domain-url',
      '--domain-id',
      ssoDomainId,
      '--user-profile-name',
      'alice',
    );

    const url = (
      await ok(
        'sagemaker',
        'create-presigned-domain-url',
        '--domain-id',
        domainId,
        '--user-profile-name',
        'analyst',
        '--expires-in-seconds',
        '60',
      )
    ).AuthorizedUrl as string;
    const opened = await fetch(url);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain(`Signed in to Studio as analyst in iam-team (${domainId})`);
    expect((await fetch(url)).status).toBe(410);

    // The CLI's paginator follows NextToken to the end.
    const domains = await ok('sagemaker', 'list-domains', '--page-size', '1');
    expect((domains.Domains as { DomainId: string }[]).map((d) => d.DomainId)).toContain(domainId);
    expect(domains.Domains as unknown[]).toHaveLength(2);
    await fails('ResourceNotFound', 'sagemaker', 'describe-domain', '--domain-id', 'd-000000000000');
  }, 180_000);
});
