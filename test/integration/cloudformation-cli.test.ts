// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not JavaScript's
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpIdentityCenter } from '../support/cloudformation.js';
import { postgresUnavailableReason, testDialects } from '../support/test-databases.js';
import { CLI_SERVICE_ERROR_EXIT, runAws, startTestServer, type TestServer } from '../support/test-server.js';

/**
 * `aws cloudformation deploy` (the real CLI v1, AWS_MAX_ATTEMPTS=1) of templates written with YAML
 * short tags and in JSON: create, update, "no changes", and delete. Its waiters poll once at once,
 * then every 5 s (change sets) or 30 s (stacks): each deploy finishing well under 30 s shows that
 * the first poll saw the outcome.
 */

const FIXTURE = path.resolve(
  import.meta.dirname,
  '../fixtures/cfn-samples/aws-samples__sagemaker-studio-admin-iac-templates__create-studio-and-user-internet-only.yaml',
);

/** The guide's group-based onboarding in JSON, with Fn::Sub's both forms, Fn::Join and Fn::Select. */
const jsonTemplate = (): string =>
  JSON.stringify(
    {
      AWSTemplateFormatVersion: '2010-09-09',
      Description: 'Team group with its members',
      Parameters: {
        IdentityStoreId: { Type: 'String' },
        Members: { Type: 'CommaDelimitedList' },
        Team: { Type: 'String', AllowedValues: ['ml', 'ai'] },
      },
      Resources: {
        Group: {
          Type: 'AWS::IdentityStore::Group',
          Properties: {
            IdentityStoreId: { Ref: 'IdentityStoreId' },
            DisplayName: { 'Fn::Sub': '${Team} team' },
            Description: { 'Fn::Sub': ['${Count} members in ${AWS::Region}', { Count: '2' }] },
          },
        },
        First: {
          Type: 'AWS::IdentityStore::GroupMembership',
          Properties: {
            IdentityStoreId: { Ref: 'IdentityStoreId' },
            GroupId: { 'Fn::GetAtt': ['Group', 'GroupId'] },
            MemberId: { UserId: { 'Fn::Select': ['0', { Ref: 'Members' }] } },
          },
        },
        Second: {
          Type: 'AWS::IdentityStore::GroupMembership',
          Properties: {
            IdentityStoreId: { Ref: 'IdentityStoreId' },
            GroupId: { 'Fn::GetAtt': 'Group.GroupId' },
            MemberId: { UserId: { 'Fn::Select': [1, { Ref: 'Members' }] } },
          },
        },
      },
      Outputs: {
        Group: { Value: { 'Fn::Join': [':', [{ 'Fn::GetAtt': ['Group', 'GroupId'] }, { Ref: 'Team' }]] } },
      },
    },
    null,
    2,
  );

const pgUnavailable = await postgresUnavailableReason();

for (const dialect of testDialects()) {
  const skipReason = dialect === 'postgres' ? pgUnavailable : undefined;
  const suite = skipReason === undefined ? describe : describe.skip;

  suite(`aws cloudformation deploy on ${dialect}${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
    let server: TestServer;
    let dir: string;
    let storeId: string;
    let users: Record<string, string>;
    const aws = (...args: string[]) => runAws(server.cliEnv(), ['cloudformation', ...args]);

    beforeAll(async () => {
      server = await startTestServer({ database: dialect });
      dir = mkdtempSync(path.join(tmpdir(), 'cfn-cli-'));
      ({ storeId, users } = await setUpIdentityCenter(server, ['alice', 'bob']));
    }, 60_000);

    afterAll(async () => {
      await server?.close();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    });

    it('deploys a YAML template with short tags, updates it, and says when nothing changed', async () => {
      const file = path.join(dir, 'studio.yaml');
      writeFileSync(file, readFileSync(FIXTURE));
      const overrides = [
        'VPCId=vpc-0a1b2c3d4e5f60718',
        'SubnetIds=subnet-0a1b2c3d4e5f60718,subnet-1a1b2c3d4e5f60718',
      ];
      const started = Date.now();
      const created = await aws(
        'deploy',
        '--stack-name',
        'studio',
        '--template-file',
        file,
        '--capabilities',
        'CAPABILITY_NAMED_IAM',
        '--parameter-overrides',
        ...overrides,
      );
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      expect(created.stdout).toContain('Successfully created/updated stack - studio');
      expect(Date.now() - started).toBeLessThan(25_000);

      const described = await aws('describe-stacks', '--stack-name', 'studio');
      const stack = (
        described.json as {
          Stacks: Array<{ StackStatus: string; Outputs: Array<{ OutputKey: string; OutputValue: string }> }>;
        }
      ).Stacks[0];
      expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
      const domainId = stack?.Outputs.find((o) => o.OutputKey === 'NewSageMakerDomain')?.OutputValue ?? '';
      expect(domainId).toMatch(/^d-[a-z0-9]{12}$/);
      const profile = await runAws(server.cliEnv(), [
        'sagemaker',
        'describe-user-profile',
        '--domain-id',
        domainId,
        '--user-profile-name',
        'test-user1',
      ]);
      expect(profile.code).toBe(0);

      const updated = await aws(
        'deploy',
        '--stack-name',
        'studio',
        '--template-file',
        file,
        '--capabilities',
        'CAPABILITY_NAMED_IAM',
        '--parameter-overrides',
        'StudioUserName=test-user2',
      );
      expect(updated.code).toBe(0);
      expect(updated.stdout).toContain('Successfully created/updated stack - studio');
      const events = await aws('describe-stack-events', '--stack-name', 'studio');
      const lines = (
        events.json as {
          StackEvents: Array<{
            LogicalResourceId: string;
            ResourceStatus: string;
            ResourceStatusReason?: string;
          }>;
        }
      ).StackEvents.map(
        (e) =>
          `${e.LogicalResourceId} ${e.ResourceStatus}${e.ResourceStatusReason ? ` ${e.ResourceStatusReason}` : ''}`,
      );
      // Newest first; the profile was replaced (its name changed) and the old one removed in the cleanup.
      expect(lines[0]).toBe('studio UPDATE_COMPLETE');
      expect(lines).toContain(
        'UserProfile UPDATE_IN_PROGRESS Requested update requires the creation of a new physical resource; hence creating one.',
      );
      expect(lines.indexOf('UserProfile DELETE_COMPLETE')).toBeLessThan(
        lines.indexOf('studio UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'),
      );
      const old = await runAws(server.cliEnv(), [
        'sagemaker',
        'describe-user-profile',
        '--domain-id',
        domainId,
        '--user-profile-name',
        'test-user1',
      ]);
      expect(old.stderr).toMatch(/ResourceNotFound|Deleting/);

      const same = await aws(
        'deploy',
        '--stack-name',
        'studio',
        '--template-file',
        file,
        '--capabilities',
        'CAPABILITY_NAMED_IAM',
      );
      expect(same.stdout + same.stderr).toContain('No changes to deploy. Stack studio is up to date');
      expect(CLI_SERVICE_ERROR_EXIT).toContain(same.code);
      // deploy names its change sets by the second: a second deploy in the same second would collide.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const quiet = await aws(
        'deploy',
        '--stack-name',
        'studio',
        '--template-file',
        file,
        '--capabilities',
        'CAPABILITY_NAMED_IAM',
        '--no-fail-on-empty-changeset',
      );
      expect(quiet.code).toBe(0);
    });

    it('deploys a JSON template, answers errors in XML that the CLI reads, and deletes with the waiter', async () => {
      const file = path.join(dir, 'team.json');
      writeFileSync(file, jsonTemplate());
      const deployed = await aws(
        'deploy',
        '--stack-name',
        'team',
        '--template-file',
        file,
        '--parameter-overrides',
        `IdentityStoreId=${storeId}`,
        `Members=${users.alice},${users.bob}`,
        'Team=ml',
      );
      expect(deployed.code).toBe(0);
      const groups = await runAws(server.cliEnv(), [
        'identitystore',
        'list-groups',
        '--identity-store-id',
        storeId,
      ]);
      const group = (
        groups.json as { Groups: Array<{ GroupId: string; DisplayName: string; Description: string }> }
      ).Groups.find((g) => g.DisplayName === 'ml team');
      expect(group?.Description).toBe('2 members in us-east-1');
      const members = await runAws(server.cliEnv(), [
        'identitystore',
        'list-group-memberships',
        '--identity-store-id',
        storeId,
        '--group-id',
        group?.GroupId ?? '',
      ]);
      expect((members.json as { GroupMemberships: unknown[] }).GroupMemberships).toHaveLength(2);

      const refused = await aws(
        'deploy',
        '--stack-name',
        'team',
        '--template-file',
        file,
        '--parameter-overrides',
        'Team=data',
      );
      expect(CLI_SERVICE_ERROR_EXIT).toContain(refused.code);
      expect(refused.stderr).toContain(
        "An error occurred (ValidationError) when calling the CreateChangeSet operation: Parameter 'Team' must be one of AllowedValues",
      );
      const missing = await aws('describe-stacks', '--stack-name', 'nope');
      expect(missing.stderr.trim()).toBe(
        'An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id nope does not exist',
      );
      const noChangeSet = await aws(
        'describe-change-set',
        '--stack-name',
        'team',
        '--change-set-name',
        'nope',
      );
      expect(noChangeSet.stderr.trim()).toBe(
        'An error occurred (ChangeSetNotFound) when calling the DescribeChangeSet operation: ChangeSet [nope] does not exist',
      );

      expect((await aws('delete-stack', '--stack-name', 'team')).code).toBe(0);
      const started = Date.now();
      expect((await aws('wait', 'stack-delete-complete', '--stack-name', 'team')).code).toBe(0);
      expect(Date.now() - started).toBeLessThan(25_000);
      const after = await runAws(server.cliEnv(), [
        'identitystore',
        'list-groups',
        '--identity-store-id',
        storeId,
      ]);
      expect((after.json as { Groups: unknown[] }).Groups).toEqual([]);
      expect((await aws('delete-stack', '--stack-name', 'team')).code).toBe(0);
      expect((await aws('delete-stack', '--stack-name', 'studio')).code).toBe(0);
      expect((await aws('wait', 'stack-delete-complete', '--stack-name', 'studio')).code).toBe(0);
    });
  });
}
