import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  IdentitystoreClient,
} from '@aws-sdk/client-identitystore';
import {
  CreateApplicationAssignmentCommand,
  CreateApplicationCommand,
  CreateInstanceCommand,
  DescribeInstanceCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStudioSso, type StudioSsoResult } from '../support/run-cli.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** Each command starts a Node process: seconds apiece on a busy two-core machine. */
const CLI_TEST_TIMEOUT = 120_000;

describe('studio-sso explain-access and groups, through the built command', () => {
  let server: TestServer;
  let sso: SSOAdminClient;
  let ids: IdentitystoreClient;
  let storeId: string;
  let applicationArn: string;
  let aliceId: string;
  const group: Record<string, string> = {};
  const cli = (...args: string[]): Promise<StudioSsoResult> => runStudioSso(server, args);
  const ok = async (...args: string[]): Promise<string> => {
    const result = await cli(...args);
    expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
    return result.stdout;
  };

  beforeAll(async () => {
    server = await startTestServer();
    sso = new SSOAdminClient(server.sdkConfig());
    ids = new IdentitystoreClient(server.sdkConfig());
    const instanceArn = (await sso.send(new CreateInstanceCommand({}))).InstanceArn as string;
    storeId = (await sso.send(new DescribeInstanceCommand({ InstanceArn: instanceArn })))
      .IdentityStoreId as string;
    aliceId = (
      await ids.send(
        new CreateUserCommand({
          IdentityStoreId: storeId,
          UserName: 'alice',
          DisplayName: 'Alice',
          Name: { GivenName: 'Alice', FamilyName: 'Doe' },
        }),
      )
    ).UserId as string;
    for (const name of ['Engineering', 'Platform', 'Interns']) {
      group[name] = (await ids.send(new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName: name })))
        .GroupId as string;
    }
    await ids.send(
      new CreateGroupMembershipCommand({
        IdentityStoreId: storeId,
        GroupId: group.Interns,
        MemberId: { UserId: aliceId },
      }),
    );
    applicationArn = (
      await sso.send(
        new CreateApplicationCommand({
          InstanceArn: instanceArn,
          ApplicationProviderArn: 'arn:aws:sso::aws:applicationProvider/custom',
          Name: 'Team notebooks',
        }),
      )
    ).ApplicationArn as string;
    await sso.send(
      new CreateApplicationAssignmentCommand({
        ApplicationArn: applicationArn,
        PrincipalType: 'GROUP',
        PrincipalId: group.Engineering,
      }),
    );
  });
  afterAll(async () => {
    sso?.destroy();
    ids?.destroy();
    await server?.close();
  });

  it(
    'nests groups by name or ID, and refuses duplicates and cycles',
    async () => {
      expect(
        await ok('groups', 'add-member', '--group', 'Engineering', '--member-group', 'platform'),
      ).toContain('Platform is now a member of Engineering.');
      const added = JSON.parse(
        await ok(
          'groups',
          'add-member',
          '--group',
          group.Platform as string,
          '--member-group',
          'Interns',
          '--json',
        ),
      );
      expect(added).toMatchObject({
        group: { groupId: group.Platform, displayName: 'Platform' },
        memberGroup: { groupId: group.Interns, displayName: 'Interns' },
        identityStoreId: storeId,
      });

      const again = await cli('groups', 'add-member', '--group', 'Engineering', '--member-group', 'Platform');
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('Member and Group relationship already exists (MEMBERSHIP_EXISTS)');
      const cycle = await cli('groups', 'add-member', '--group', 'Interns', '--member-group', 'Engineering');
      expect(cycle.code).toBe(1);
      expect(cycle.stderr).toContain(
        'Group Interns is already inside group Engineering: nesting Engineering in Interns would make a cycle. (GROUP_NESTING_CYCLE)',
      );
      const self = await cli('groups', 'add-member', '--group', 'Interns', '--member-group', 'Interns');
      expect(self.stderr).toContain('A group cannot be a member of itself.');
      const unknown = await cli('groups', 'add-member', '--group', 'Nobody', '--member-group', 'Interns');
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('(GROUP_NOT_FOUND)');

      expect(await ok('groups', 'list-member-groups', '--group', 'Engineering')).toBe(
        `Platform\t${group.Platform}\n`,
      );
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'explains a refusal through a nested group, readably and as JSON',
    async () => {
      const text = await ok('explain-access', '--user', 'alice', '--application', 'Team notebooks');
      expect(text).toBe(
        [
          'alice → Team notebooks',
          `  ${applicationArn}`,
          '',
          'access: denied: only through nested group Interns inside assigned group Engineering',
          '  alice is a direct member of Interns',
          '  Interns is inside Platform',
          '  Platform is inside Engineering, assigned to Team notebooks',
          '',
          'Nested groups never grant access to applications. To grant it: assign',
          'alice or Interns to Team notebooks, or add alice to Engineering directly.',
          '',
        ].join('\n'),
      );
      const json = JSON.parse(
        await ok('explain-access', '--user', aliceId, '--application', applicationArn, '--json'),
      );
      expect(json).toMatchObject({
        allowed: false,
        reason: 'nested-group-only',
        summary: 'denied: only through nested group Interns inside assigned group Engineering',
        user: { userId: aliceId, userName: 'alice' },
        application: { applicationArn, name: 'Team notebooks' },
        groups: [],
      });
      expect(json.nestedPath.map((g: { displayName: string }) => g.displayName)).toEqual([
        'Interns',
        'Platform',
        'Engineering',
      ]);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'follows membership changes at once',
    async () => {
      const membership = await ids.send(
        new CreateGroupMembershipCommand({
          IdentityStoreId: storeId,
          GroupId: group.Engineering,
          MemberId: { UserId: aliceId },
        }),
      );
      expect(membership.MembershipId).toBeDefined();
      const text = await ok('explain-access', '--user', 'ALICE', '--application', 'Team notebooks');
      expect(text).toContain(
        'access: group Engineering\n  alice is a direct member of Engineering, assigned to Team notebooks\n',
      );

      await ok('groups', 'remove-member', '--group', 'Platform', '--member-group', 'Interns');
      const gone = await cli('groups', 'remove-member', '--group', 'Platform', '--member-group', 'Interns');
      expect(gone.code).toBe(1);
      expect(gone.stderr).toContain('(GROUP_MEMBERSHIP_NOT_FOUND)');
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'says clearly what it could not find',
    async () => {
      const noApp = await cli('explain-access', '--user', 'alice', '--application', 'Nothing');
      expect(noApp.code).toBe(1);
      expect(noApp.stderr).toContain('No application is named Nothing. (APPLICATION_NOT_FOUND)');
      const noUser = await cli('explain-access', '--user', 'nobody', '--application', 'Team notebooks');
      expect(noUser.code).toBe(1);
      expect(noUser.stderr).toContain('(USER_NOT_FOUND)');
      const missing = await cli('explain-access', '--user', 'alice');
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain("required option '--application <application>' not specified");
    },
    CLI_TEST_TIMEOUT,
  );
});
