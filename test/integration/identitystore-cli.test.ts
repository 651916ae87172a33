import {
  CreateGroupMembershipCommand,
  CreateUserCommand,
  IdentitystoreClient,
} from '@aws-sdk/client-identitystore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  awsCli,
  CLI_SERVICE_ERROR_EXIT,
  runAws,
  startTestServer,
  type TestServer,
} from '../support/test-server.js';

const RESOURCE_ID = /^[0-9a-f]{10}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('identitystore through the aws CLI', () => {
  let server: TestServer;
  let storeId: string;
  /** `ok`: a command that must succeed, returning its JSON output. */
  const { aws, ok } = awsCli(() => server);
  const store = (...args: string[]): string[] => [...args, '--identity-store-id', storeId];

  beforeAll(async () => {
    server = await startTestServer();
    const { InstanceArn } = (await runAws(server.cliEnv(), ['sso-admin', 'create-instance', '--name', 'cli']))
      .json as {
      InstanceArn: string;
    };
    const described = await runAws(server.cliEnv(), [
      'sso-admin',
      'describe-instance',
      '--instance-arn',
      InstanceArn,
    ]);
    storeId = (described.json as { IdentityStoreId: string }).IdentityStoreId;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  it('creates, describes, lists, finds and updates users', async () => {
    const created = await ok(
      ...store('identitystore', 'create-user'),
      '--user-name',
      'cli.user',
      '--display-name',
      'CLI User',
      '--name',
      'GivenName=Cli,FamilyName=User',
      '--emails',
      'Value=cli.user@example.com,Type=work,Primary=true',
    );
    expect(created.IdentityStoreId).toBe(storeId);
    const userId = created.UserId as string;
    expect(userId).toMatch(RESOURCE_ID);

    const described = await ok(...store('identitystore', 'describe-user'), '--user-id', userId);
    expect(described).toMatchObject({
      IdentityStoreId: storeId,
      UserId: userId,
      UserName: 'cli.user',
      DisplayName: 'CLI User',
      Name: { GivenName: 'Cli', FamilyName: 'User' },
      Emails: [{ Value: 'cli.user@example.com', Type: 'work', Primary: true }],
    });

    const listed = await ok(
      ...store('identitystore', 'list-users'),
      '--filters',
      'AttributePath=UserName,AttributeValue=CLI.USER',
    );
    expect((listed.Users as { UserId: string }[]).map((u) => u.UserId)).toEqual([userId]);

    const found = await ok(
      ...store('identitystore', 'get-user-id'),
      '--alternate-identifier',
      JSON.stringify({ UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'cli.user' } }),
    );
    expect(found).toEqual({ IdentityStoreId: storeId, UserId: userId });
    const byEmail = await ok(
      ...store('identitystore', 'get-user-id'),
      '--alternate-identifier',
      JSON.stringify({
        UniqueAttribute: { AttributePath: 'emails.value', AttributeValue: 'CLI.USER@example.com' },
      }),
    );
    expect(byEmail.UserId).toBe(userId);

    await ok(
      ...store('identitystore', 'update-user'),
      '--user-id',
      userId,
      '--operations',
      JSON.stringify([
        { AttributePath: 'displayName', AttributeValue: 'Renamed User' },
        { AttributePath: 'name', AttributeValue: { givenName: 'Renamed', familyName: 'User' } },
      ]),
    );
    expect(await ok(...store('identitystore', 'describe-user'), '--user-id', userId)).toMatchObject({
      DisplayName: 'Renamed User',
      Name: { GivenName: 'Renamed', FamilyName: 'User' },
    });
  });

  it('fails with a service-error exit code and AWS’s error codes and messages', async () => {
    const args = [
      ...store('identitystore', 'create-user'),
      '--user-name',
      'dup.user',
      '--display-name',
      'Dup',
      '--name',
      'GivenName=D,FamilyName=U',
    ];
    await ok(...args);
    const duplicate = await aws(...args.map((a) => (a === 'dup.user' ? 'DUP.USER' : a)));
    expect(CLI_SERVICE_ERROR_EXIT).toContain(duplicate.code);
    expect(duplicate.stderr).toContain(
      'An error occurred (ConflictException) when calling the CreateUser operation: Duplicate UserName',
    );

    const missing = await aws(
      ...store('identitystore', 'describe-user'),
      '--user-id',
      '0123456789-00000000-0000-4000-8000-000000000000',
    );
    expect(CLI_SERVICE_ERROR_EXIT).toContain(missing.code);
    expect(missing.stderr).toContain('ResourceNotFoundException');

    const noStore = await aws('identitystore', 'list-users', '--identity-store-id', 'd-0000000000');
    expect(CLI_SERVICE_ERROR_EXIT).toContain(noStore.code);
    expect(noStore.stderr).toContain(
      'An error occurred (ResourceNotFoundException) when calling the ListUsers operation',
    );

    const incomplete = await aws(...store('identitystore', 'create-user'), '--user-name', 'half.user');
    expect(CLI_SERVICE_ERROR_EXIT).toContain(incomplete.code);
    expect(incomplete.stderr).toContain('(ValidationException)');
    expect(incomplete.stderr).toContain('displayName: The attribute displayName is required');

    const badPattern = await aws(...store('identitystore', 'describe-user'), '--user-id', 'not-an-id');
    expect(CLI_SERVICE_ERROR_EXIT).toContain(badPattern.code);
    expect(badPattern.stderr).toContain(
      "1 validation error detected: Value 'not-an-id' at 'userId' failed to satisfy constraint: Member must satisfy regular expression pattern",
    );

    const badFilter = await aws(
      ...store('identitystore', 'list-users'),
      '--filters',
      'AttributePath=Email,AttributeValue=x',
    );
    expect(CLI_SERVICE_ERROR_EXIT).toContain(badFilter.code);
    expect(badFilter.stderr).toContain('(ValidationException)');
  });

  it('manages groups and memberships, paging with --max-items and --page-size', async () => {
    const group = await ok(
      ...store('identitystore', 'create-group'),
      '--display-name',
      'CLI Team',
      '--description',
      'Team',
    );
    const groupId = group.GroupId as string;
    expect(groupId).toMatch(RESOURCE_ID);
    const duplicate = await aws(...store('identitystore', 'create-group'), '--display-name', 'cli team');
    expect(CLI_SERVICE_ERROR_EXIT).toContain(duplicate.code);
    expect(duplicate.stderr).toContain(
      '(ConflictException) when calling the CreateGroup operation: Duplicate GroupDisplayName',
    );
    expect(
      await ok(
        ...store('identitystore', 'get-group-id'),
        '--alternate-identifier',
        JSON.stringify({ UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'CLI TEAM' } }),
      ),
    ).toEqual({ IdentityStoreId: storeId, GroupId: groupId });

    // The crowd is made through the SDK (each CLI call costs a Python start-up); the CLI makes
    // the first membership and reads everything back.
    const sdk = new IdentitystoreClient(server.sdkConfig());
    const userIds: string[] = [];
    const membershipIds: string[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const { UserId } = await sdk.send(
          new CreateUserCommand({
            IdentityStoreId: storeId,
            UserName: `team.${i}`,
            DisplayName: `Team ${i}`,
            Name: { GivenName: `T${i}`, FamilyName: 'Member' },
          }),
        );
        userIds.push(UserId as string);
      }
      const first = await ok(
        ...store('identitystore', 'create-group-membership'),
        '--group-id',
        groupId,
        '--member-id',
        `UserId=${userIds[0]}`,
      );
      membershipIds.push(first.MembershipId as string);
      for (const UserId of userIds.slice(1)) {
        const { MembershipId } = await sdk.send(
          new CreateGroupMembershipCommand({
            IdentityStoreId: storeId,
            GroupId: groupId,
            MemberId: { UserId },
          }),
        );
        membershipIds.push(MembershipId as string);
      }
    } finally {
      sdk.destroy();
    }
    const again = await aws(
      ...store('identitystore', 'create-group-membership'),
      '--group-id',
      groupId,
      '--member-id',
      `UserId=${userIds[0]}`,
    );
    expect(CLI_SERVICE_ERROR_EXIT).toContain(again.code);
    expect(again.stderr).toContain('Member and Group relationship already exists');

    // --page-size makes the CLI fetch every page of 2 and join them.
    const all = await ok(
      ...store('identitystore', 'list-group-memberships'),
      '--group-id',
      groupId,
      '--page-size',
      '2',
    );
    const allMemberships = all.GroupMemberships as { MembershipId: string; MemberId: { UserId: string } }[];
    expect(allMemberships.map((m) => m.MembershipId).sort()).toEqual([...membershipIds].sort());
    expect(all.NextToken).toBeUndefined();

    // --max-items stops early and hands out the CLI's own token for --starting-token.
    const first = await ok(
      ...store('identitystore', 'list-group-memberships'),
      '--group-id',
      groupId,
      '--max-items',
      '3',
      '--page-size',
      '2',
    );
    expect(first.GroupMemberships).toHaveLength(3);
    expect(typeof first.NextToken).toBe('string');
    const rest = await ok(
      ...store('identitystore', 'list-group-memberships'),
      '--group-id',
      groupId,
      '--page-size',
      '2',
      '--starting-token',
      first.NextToken as string,
    );
    const restItems = rest.GroupMemberships as { MembershipId: string }[];
    expect(restItems).toHaveLength(2);
    expect(
      [...(first.GroupMemberships as { MembershipId: string }[]), ...restItems]
        .map((m) => m.MembershipId)
        .sort(),
    ).toEqual([...membershipIds].sort());

    const other = await ok(...store('identitystore', 'create-group'), '--display-name', 'CLI Others');
    const check = await ok(
      ...store('identitystore', 'is-member-in-groups'),
      '--member-id',
      `UserId=${userIds[1]}`,
      '--group-ids',
      groupId,
      other.GroupId as string,
    );
    expect(check.Results).toEqual([
      { GroupId: groupId, MemberId: { UserId: userIds[1] }, MembershipExists: true },
      { GroupId: other.GroupId, MemberId: { UserId: userIds[1] }, MembershipExists: false },
    ]);

    const forMember = await ok(
      ...store('identitystore', 'list-group-memberships-for-member'),
      '--member-id',
      `UserId=${userIds[1]}`,
    );
    expect((forMember.GroupMemberships as { GroupId: string }[]).map((m) => m.GroupId)).toEqual([groupId]);

    await ok(...store('identitystore', 'delete-group'), '--group-id', groupId);
    const gone = await aws(
      ...store('identitystore', 'describe-group-membership'),
      '--membership-id',
      membershipIds[0] as string,
    );
    expect(CLI_SERVICE_ERROR_EXIT).toContain(gone.code);
    expect(gone.stderr).toContain(
      '(ResourceNotFoundException) when calling the DescribeGroupMembership operation',
    );
  });
});
