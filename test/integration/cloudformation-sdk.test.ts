import {
  CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackResourceCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  GetTemplateSummaryCommand,
  ListChangeSetsCommand,
  ListExportsCommand,
  ListStackResourcesCommand,
  ListStacksCommand,
  UpdateStackCommand,
  ValidateTemplateCommand,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  waitUntilStackUpdateComplete,
} from '@aws-sdk/client-cloudformation';
import { DescribeGroupCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import {
  DescribeAppCommand,
  DescribeDomainCommand,
  DescribeUserProfileCommand,
  ListUserProfilesCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { ListApplicationsCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventLines,
  type IdentityCenter,
  settledStack,
  setUpIdentityCenter,
} from '../support/cloudformation.js';
import { postgresUnavailableReason, testDialects } from '../support/test-databases.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

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

/** The guide's onboarding as one template: SSO domain, team group, assignment, profile and app. */
const ONBOARDING = `AWSTemplateFormatVersion: '2010-09-09'
Description: Studio onboarding of a team
Parameters:
  IdentityStoreId:
    Type: String
  TeamName:
    Type: String
    Default: ml-team
    AllowedPattern: '[a-z][a-z0-9-]*'
  Members:
    Type: CommaDelimitedList
  ProfileUser:
    Type: String
  ExecutionRoleArn:
    Type: String
    Default: ''
  GroupDescription:
    Type: String
    Default: Studio users
  ApiToken:
    Type: String
    NoEcho: true
    Default: s3cr3t
Conditions:
  RoleGiven: !Not [!Equals [!Ref ExecutionRoleArn, '']]
  MakeRole: !Equals [!Ref ExecutionRoleArn, '']
Mappings:
  Apps:
    jupyter:
      Type: JupyterServer
      Name: default
Resources:
  Role:
    Type: AWS::IAM::Role
    Condition: MakeRole
    Properties:
      AssumeRolePolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Principal: { Service: sagemaker.amazonaws.com }
            Action: sts:AssumeRole
      ManagedPolicyArns: [!Sub 'arn:\${AWS::Partition}:iam::aws:policy/AmazonSageMakerFullAccess']
  Domain:
    Type: AWS::SageMaker::Domain
    Properties:
      DomainName: !Sub '\${TeamName}-\${AWS::Region}'
      AuthMode: SSO
      DefaultUserSettings:
        ExecutionRole: !If [RoleGiven, !Ref ExecutionRoleArn, !GetAtt Role.Arn]
  Group:
    Type: AWS::IdentityStore::Group
    Properties:
      IdentityStoreId: !Ref IdentityStoreId
      DisplayName: !Join [' ', [!Ref TeamName, scientists]]
      Description: !Ref GroupDescription
  Membership:
    Type: AWS::IdentityStore::GroupMembership
    Properties:
      IdentityStoreId: !Ref IdentityStoreId
      GroupId: !GetAtt Group.GroupId
      MemberId:
        UserId: !Select [0, !Ref Members]
  Assignment:
    Type: AWS::SSO::ApplicationAssignment
    Properties:
      ApplicationArn: !GetAtt Domain.SingleSignOnApplicationArn
      PrincipalType: GROUP
      PrincipalId: !GetAtt Group.GroupId
  Profile:
    Type: AWS::SageMaker::UserProfile
    DependsOn: [Assignment, Membership]
    Properties:
      DomainId: !Ref Domain
      UserProfileName: !Ref ProfileUser
      SingleSignOnUserIdentifier: UserName
      SingleSignOnUserValue: !Ref ProfileUser
  App:
    Type: AWS::SageMaker::App
    Properties:
      DomainId: !GetAtt Domain.DomainId
      UserProfileName: !Select [0, !Split ['|', !Ref Profile]]
      AppType: !FindInMap [Apps, jupyter, Type]
      AppName: !FindInMap [Apps, jupyter, Name]
Outputs:
  DomainId:
    Value: !Ref Domain
    Export:
      Name: !Sub '\${AWS::StackName}-DomainId'
  ApplicationArn:
    Value: !GetAtt Domain.SingleSignOnApplicationArn
  GroupId:
    Value: !GetAtt Group.GroupId
  ProfileArn:
    Description: The profile
    Value: !GetAtt Profile.UserProfileArn
`;

/** A domain and a profile for a user nobody assigned to its Studio application. */
const UNASSIGNED = `Resources:
  Domain:
    Type: AWS::SageMaker::Domain
    Properties:
      DomainName: lonely
      AuthMode: SSO
      DefaultUserSettings:
        ExecutionRole: arn:aws:iam::111122223333:role/service-role/AmazonSageMaker-ExecutionRole
  Group:
    Type: AWS::IdentityStore::Group
    Properties:
      IdentityStoreId: STORE
      DisplayName: lonely people
  Profile:
    Type: AWS::SageMaker::UserProfile
    DependsOn: Group
    Properties:
      DomainId: !Ref Domain
      UserProfileName: bob
      SingleSignOnUserIdentifier: UserName
      SingleSignOnUserValue: bob
`;

/**
 * The SDK's stack waiters wait 30 s between polls (minDelay) and need a longer maxWaitTime; their
 * first poll is immediate, and it must see the outcome.
 */
const WAIT = 120;

const pgUnavailable = await postgresUnavailableReason();

for (const dialect of testDialects()) {
  const skipReason = dialect === 'postgres' ? pgUnavailable : undefined;
  const suite = skipReason === undefined ? describe : describe.skip;

  suite(`CloudFormation through the SDK on ${dialect}${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
    let server: TestServer;
    let cfn: CloudFormationClient;
    let sagemaker: SageMakerClient;
    let identity: IdentitystoreClient;
    let sso: SSOAdminClient;
    let center: IdentityCenter;
    const parameters = () => [
      { ParameterKey: 'IdentityStoreId', ParameterValue: center.storeId },
      { ParameterKey: 'Members', ParameterValue: `${center.users.alice}` },
      { ParameterKey: 'ProfileUser', ParameterValue: 'alice' },
    ];

    beforeAll(async () => {
      server = await startTestServer({ database: dialect });
      cfn = new CloudFormationClient(server.sdkConfig());
      sagemaker = new SageMakerClient(server.sdkConfig());
      identity = new IdentitystoreClient(server.sdkConfig());
      sso = new SSOAdminClient(server.sdkConfig());
      center = await setUpIdentityCenter(server, ['alice', 'bob']);
    }, 60_000);

    afterAll(async () => {
      for (const client of [cfn, sagemaker, identity, sso]) client?.destroy();
      await server?.close();
    });

    it('refuses IAM resources without the capability, and templates that are wrong, naming what is wrong', async () => {
      const noCapability = await failure(
        cfn.send(
          new CreateStackCommand({ StackName: 'team', TemplateBody: ONBOARDING, Parameters: parameters() }),
        ),
      );
      expect(noCapability.name).toBe('InsufficientCapabilitiesException');
      expect(noCapability.message).toBe('Requires capabilities : [CAPABILITY_IAM]');

      const missing = await failure(
        cfn.send(
          new CreateStackCommand({
            StackName: 'team',
            TemplateBody: ONBOARDING,
            Capabilities: ['CAPABILITY_IAM'],
          }),
        ),
      );
      expect(missing.name).toBe('ValidationError');
      expect(missing.message).toBe('Parameters: [IdentityStoreId, Members, ProfileUser] must have values');

      const pattern = await failure(
        cfn.send(
          new CreateStackCommand({
            StackName: 'team',
            TemplateBody: ONBOARDING,
            Capabilities: ['CAPABILITY_IAM'],
            Parameters: [...parameters(), { ParameterKey: 'TeamName', ParameterValue: 'ML_Team' }],
          }),
        ),
      );
      expect(pattern.message).toBe("Parameter 'TeamName' must match pattern [a-z][a-z0-9-]*");

      const unresolved = await failure(
        cfn.send(
          new ValidateTemplateCommand({
            TemplateBody:
              'Resources:\n  G:\n    Type: AWS::IdentityStore::Group\n    Properties:\n      IdentityStoreId: !Ref Store\n      DisplayName: x\n',
          }),
        ),
      );
      expect(unresolved.message).toBe(
        'Template format error: Unresolved resource dependencies [Store] in the Resources block of the template',
      );

      const unsupported = await failure(
        cfn.send(
          new ValidateTemplateCommand({
            TemplateBody: JSON.stringify({
              Resources: {
                Fn: { Type: 'AWS::Lambda::Function', Properties: {} },
                Custom: { Type: 'Custom::Thing' },
              },
            }),
          }),
        ),
      );
      expect(unsupported.message).toMatch(
        /^Template format error: Unrecognized resource types: \[AWS::Lambda::Function, Custom::Thing\]/,
      );

      const attribute = await failure(
        cfn.send(
          new ValidateTemplateCommand({
            TemplateBody:
              'Resources:\n  G:\n    Type: AWS::IdentityStore::Group\n    Properties: {IdentityStoreId: x, DisplayName: y}\nOutputs:\n  O:\n    Value: !GetAtt G.Arn\n',
          }),
        ),
      );
      expect(attribute.message).toMatch(
        /^Template error: resource G does not support attribute type Arn in Fn::GetAtt/,
      );

      const cycle = await failure(
        cfn.send(
          new CreateStackCommand({
            StackName: 'cycle',
            TemplateBody:
              'Resources:\n  A:\n    Type: AWS::SSM::Parameter\n    Properties: {Type: String, Value: !Ref B}\n  B:\n    Type: AWS::SSM::Parameter\n    Properties: {Type: String, Value: !GetAtt A.Value}\n',
          }),
        ),
      );
      expect(cycle.message).toBe('Template format error: Circular dependency between resources: [A, B]');

      const yaml = await failure(
        cfn.send(new ValidateTemplateCommand({ TemplateBody: 'Resources:\n  A: !Bogus x\n' })),
      );
      expect(yaml.message).toMatch(/^Template format error: YAML not well-formed\. Unsupported tag !Bogus/);
      expect((await cfn.send(new ListStacksCommand({}))).StackSummaries).toEqual([]);
    });

    it('creates the onboarding stack in dependency order, and the SDK waiter sees it complete', async () => {
      const { StackId } = await cfn.send(
        new CreateStackCommand({
          StackName: 'team',
          TemplateBody: ONBOARDING,
          Parameters: parameters(),
          Capabilities: ['CAPABILITY_IAM'],
          Tags: [{ Key: 'team', Value: 'ml' }],
        }),
      );
      expect(StackId).toMatch(
        new RegExp(`^arn:aws:cloudformation:us-east-1:${server.accountId}:stack/team/[0-9a-f-]{36}$`),
      );
      const waited = await waitUntilStackCreateComplete(
        { client: cfn, maxWaitTime: WAIT },
        { StackName: 'team' },
      );
      expect(waited.state).toBe('SUCCESS');

      const [stack] = (await cfn.send(new DescribeStacksCommand({ StackName: 'team' }))).Stacks ?? [];
      expect(stack).toMatchObject({
        StackStatus: 'CREATE_COMPLETE',
        Description: 'Studio onboarding of a team',
      });
      expect(stack?.Tags).toEqual([{ Key: 'team', Value: 'ml' }]);
      expect(stack?.Parameters).toContainEqual({ ParameterKey: 'ApiToken', ParameterValue: '****' });
      const outputs = Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
      const domainId = outputs.DomainId ?? '';
      expect(domainId).toMatch(/^d-[a-z0-9]{12}$/);
      expect(stack?.Outputs).toContainEqual({
        OutputKey: 'DomainId',
        OutputValue: domainId,
        ExportName: 'team-DomainId',
      });

      const domain = await sagemaker.send(new DescribeDomainCommand({ DomainId: domainId }));
      expect(domain.DomainName).toBe('ml-team-us-east-1');
      expect(domain.DefaultUserSettings?.ExecutionRole).toMatch(
        new RegExp(`^arn:aws:iam::${server.accountId}:role/team-Role-[A-Z0-9]{12}$`),
      );
      expect(outputs.ApplicationArn).toBe(domain.SingleSignOnApplicationArn);
      const profile = await sagemaker.send(
        new DescribeUserProfileCommand({ DomainId: domainId, UserProfileName: 'alice' }),
      );
      expect(profile.SingleSignOnUserValue).toBe('alice');
      expect(outputs.ProfileArn).toBe(profile.UserProfileArn);
      const group = await identity.send(
        new DescribeGroupCommand({ IdentityStoreId: center.storeId, GroupId: outputs.GroupId }),
      );
      expect(group).toMatchObject({ DisplayName: 'ml-team scientists', Description: 'Studio users' });
      const app = await sagemaker.send(
        new DescribeAppCommand({
          DomainId: domainId,
          UserProfileName: 'alice',
          AppType: 'JupyterServer',
          AppName: 'default',
        }),
      );
      expect(app.AppArn).toBe(
        `arn:aws:sagemaker:us-east-1:${server.accountId}:app/${domainId}/alice/jupyterserver/default`,
      );

      const resources =
        (await cfn.send(new ListStackResourcesCommand({ StackName: 'team' }))).StackResourceSummaries ?? [];
      expect(Object.fromEntries(resources.map((r) => [r.LogicalResourceId, r.ResourceStatus]))).toEqual({
        App: 'CREATE_COMPLETE',
        Assignment: 'CREATE_COMPLETE',
        Domain: 'CREATE_COMPLETE',
        Group: 'CREATE_COMPLETE',
        Membership: 'CREATE_COMPLETE',
        Profile: 'CREATE_COMPLETE',
        Role: 'CREATE_COMPLETE',
      });
      const physical = Object.fromEntries(resources.map((r) => [r.LogicalResourceId, r.PhysicalResourceId]));
      expect(physical.Domain).toBe(domainId);
      expect(physical.Group).toBe(`${outputs.GroupId}|${center.storeId}`);
      expect(physical.Profile).toBe(`alice|${domainId}`);
      expect(physical.Assignment).toBe(`${domain.SingleSignOnApplicationArn}|GROUP|${outputs.GroupId}`);
      const detail = await cfn.send(
        new DescribeStackResourceCommand({ StackName: 'team', LogicalResourceId: 'Profile' }),
      );
      expect(detail.StackResourceDetail).toMatchObject({
        ResourceType: 'AWS::SageMaker::UserProfile',
        StackName: 'team',
      });
      const byPhysical = await cfn.send(new DescribeStackResourcesCommand({ PhysicalResourceId: domainId }));
      expect(byPhysical.StackResources).toHaveLength(7);

      // Events read like AWS's: the stack's first, each resource in progress then complete, in order.
      const lines = await eventLines(cfn, 'team');
      expect(lines[0]).toBe('team CREATE_IN_PROGRESS User Initiated');
      expect(lines[lines.length - 1]).toBe('team CREATE_COMPLETE');
      const done = (id: string) => lines.indexOf(`${id} CREATE_COMPLETE`);
      const started = (id: string) => lines.indexOf(`${id} CREATE_IN_PROGRESS`);
      expect(done('Role')).toBeLessThan(started('Domain'));
      expect(done('Group')).toBeLessThan(started('Membership'));
      expect(done('Assignment')).toBeLessThan(started('Profile'));
      expect(done('Membership')).toBeLessThan(started('Profile'));
      expect(done('Profile')).toBeLessThan(started('App'));
      expect(lines).toContain('Profile CREATE_IN_PROGRESS Resource creation Initiated');

      const template = await cfn.send(new GetTemplateCommand({ StackName: 'team' }));
      expect(template.TemplateBody).toBe(ONBOARDING);
      const summary = await cfn.send(new GetTemplateSummaryCommand({ StackName: 'team' }));
      expect(summary.Capabilities).toEqual(['CAPABILITY_IAM']);
      expect(summary.Parameters?.find((p) => p.ParameterKey === 'ApiToken')).toMatchObject({ NoEcho: true });
      const exports = await cfn.send(new ListExportsCommand({}));
      expect(exports.Exports).toEqual([
        { ExportingStackId: StackId, Name: 'team-DomainId', Value: domainId },
      ]);
    });

    it('says when an update changes nothing, and updates in place what can be', async () => {
      const same = await failure(
        cfn.send(
          new UpdateStackCommand({
            StackName: 'team',
            UsePreviousTemplate: true,
            Parameters: [
              ...parameters().map((p) => ({ ParameterKey: p.ParameterKey, UsePreviousValue: true })),
              { ParameterKey: 'ApiToken', UsePreviousValue: true },
            ],
            Capabilities: ['CAPABILITY_IAM'],
          }),
        ),
      );
      expect(same.name).toBe('ValidationError');
      expect(same.message).toBe('No updates are to be performed.');

      const before = Object.fromEntries(
        (
          (await cfn.send(new ListStackResourcesCommand({ StackName: 'team' }))).StackResourceSummaries ?? []
        ).map((r) => [r.LogicalResourceId, r.PhysicalResourceId]),
      );
      await cfn.send(
        new UpdateStackCommand({
          StackName: 'team',
          UsePreviousTemplate: true,
          Parameters: [
            ...parameters(),
            { ParameterKey: 'GroupDescription', ParameterValue: 'Our data scientists' },
          ],
          Capabilities: ['CAPABILITY_IAM'],
        }),
      );
      expect(
        (await waitUntilStackUpdateComplete({ client: cfn, maxWaitTime: WAIT }, { StackName: 'team' })).state,
      ).toBe('SUCCESS');
      const after = Object.fromEntries(
        (
          (await cfn.send(new ListStackResourcesCommand({ StackName: 'team' }))).StackResourceSummaries ?? []
        ).map((r) => [r.LogicalResourceId, r.PhysicalResourceId]),
      );
      expect(after).toEqual(before);
      const groupId = (before.Group ?? '').split('|')[0];
      const group = await identity.send(
        new DescribeGroupCommand({ IdentityStoreId: center.storeId, GroupId: groupId }),
      );
      expect(group.Description).toBe('Our data scientists');
      const lines = await eventLines(cfn, 'team');
      expect(lines.slice(-4)).toEqual([
        'Group UPDATE_IN_PROGRESS',
        'Group UPDATE_COMPLETE',
        'team UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
        'team UPDATE_COMPLETE',
      ]);
    });

    it('rolls an update back when a resource fails, leaving the stack as it was', async () => {
      const template = (await cfn.send(new GetTemplateCommand({ StackName: 'team' }))).TemplateBody ?? '';
      const failing = `${template.replace(
        'Outputs:',
        `  BobProfile:
    Type: AWS::SageMaker::UserProfile
    DependsOn: Extra
    Properties:
      DomainId: !Ref Domain
      UserProfileName: bob
      SingleSignOnUserIdentifier: UserName
      SingleSignOnUserValue: bob
  Extra:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: extra
Outputs:`,
      )}`;
      await cfn.send(
        new UpdateStackCommand({
          StackName: 'team',
          TemplateBody: failing,
          Parameters: parameters().map((p) => ({ ParameterKey: p.ParameterKey, UsePreviousValue: true })),
          Capabilities: ['CAPABILITY_IAM'],
        }),
      );
      const stack = await settledStack(cfn, 'team');
      expect(stack.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
      const lines = await eventLines(cfn, 'team');
      const failed = lines.find((l) => l.startsWith('BobProfile CREATE_FAILED'));
      expect(failed).toContain('User bob is not assigned to the application');
      expect(lines).toContain(
        'team UPDATE_ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [BobProfile].',
      );
      expect(lines).toContain('Extra DELETE_COMPLETE');
      expect(lines[lines.length - 1]).toBe('team UPDATE_ROLLBACK_COMPLETE');
      expect((await cfn.send(new GetTemplateCommand({ StackName: 'team' }))).TemplateBody).toBe(template);
      const ids = (
        (await cfn.send(new ListStackResourcesCommand({ StackName: 'team' }))).StackResourceSummaries ?? []
      ).map((r) => r.LogicalResourceId);
      expect(ids.sort()).toEqual(['App', 'Assignment', 'Domain', 'Group', 'Membership', 'Profile', 'Role']);
    });

    it('rolls a failed creation back: the UserProfile of an unassigned user fails with the studio message, nothing is left', async () => {
      await cfn.send(
        new CreateStackCommand({
          StackName: 'lonely',
          TemplateBody: UNASSIGNED.replace('STORE', center.storeId),
        }),
      );
      const waited = await waitUntilStackCreateComplete(
        { client: cfn, maxWaitTime: WAIT },
        { StackName: 'lonely' },
      ).catch((error: Error) => error);
      expect(waited).toBeInstanceOf(Error);
      const stack = await settledStack(cfn, 'lonely');
      expect(stack.StackStatus).toBe('ROLLBACK_COMPLETE');
      const lines = await eventLines(cfn, 'lonely');
      const failed = lines.find((l) => l.startsWith('Profile CREATE_FAILED')) ?? '';
      expect(failed).toMatch(
        /^Profile CREATE_FAILED Resource handler returned message: "User bob is not assigned to the application "Amazon SageMaker Studio \(d-[a-z0-9]{12}\)"\. Assign the user, or a group that directly contains the user, with sso-admin create-application-assignment .*" \(RequestToken: [0-9a-f-]{36}, HandlerErrorCode: InvalidRequest\)$/,
      );
      expect(lines).toContain(
        'lonely ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [Profile]. Rollback requested by user.',
      );
      expect(lines).toContain('Domain DELETE_COMPLETE');
      expect(lines).toContain('Group DELETE_COMPLETE');
      expect(lines[lines.length - 1]).toBe('lonely ROLLBACK_COMPLETE');
      const resources =
        (await cfn.send(new ListStackResourcesCommand({ StackName: 'lonely' }))).StackResourceSummaries ?? [];
      expect(resources.every((r) => r.ResourceStatus === 'DELETE_COMPLETE')).toBe(true);
      const domainId = resources.find((r) => r.LogicalResourceId === 'Domain')?.PhysicalResourceId ?? '';
      // The domain is deleted (gone once its Deleting phase ends), its Studio application removed with it.
      const domain = await sagemaker
        .send(new DescribeDomainCommand({ DomainId: domainId }))
        .catch((e: Error) => e);
      expect(domain instanceof Error ? domain.name : domain.Status).toMatch(/^(ResourceNotFound|Deleting)$/);
      const applications = await sso.send(new ListApplicationsCommand({ InstanceArn: center.instanceArn }));
      expect(applications.Applications?.map((a) => a.Name)).not.toContain(
        `Amazon SageMaker Studio (${domainId})`,
      );
      const groupName = await identity
        .send(
          new DescribeGroupCommand({
            IdentityStoreId: center.storeId,
            GroupId: (resources.find((r) => r.LogicalResourceId === 'Group')?.PhysicalResourceId ?? '').split(
              '|',
            )[0],
          }),
        )
        .catch((e: Error) => e.name);
      expect(groupName).toBe('ResourceNotFoundException');
      const updating = await failure(
        cfn.send(new UpdateStackCommand({ StackName: 'lonely', UsePreviousTemplate: true })),
      );
      expect(updating.message).toBe(
        `Stack:${stack.StackId} is in ROLLBACK_COMPLETE state and can not be updated.`,
      );
      await cfn.send(new DeleteStackCommand({ StackName: 'lonely' }));
      expect(
        (await waitUntilStackDeleteComplete({ client: cfn, maxWaitTime: WAIT }, { StackName: 'lonely' }))
          .state,
      ).toBe('SUCCESS');
    });

    it('keeps what was made when rollback is disabled, and deletes the stack on failure when asked to', async () => {
      const template = UNASSIGNED.replace('STORE', center.storeId);
      await cfn.send(
        new CreateStackCommand({ StackName: 'kept', TemplateBody: template, DisableRollback: true }),
      );
      const kept = await settledStack(cfn, 'kept');
      expect(kept.StackStatus).toBe('CREATE_FAILED');
      expect(kept.StackStatusReason).toBe('The following resource(s) failed to create: [Profile].');
      const resources =
        (await cfn.send(new ListStackResourcesCommand({ StackName: 'kept' }))).StackResourceSummaries ?? [];
      expect(Object.fromEntries(resources.map((r) => [r.LogicalResourceId, r.ResourceStatus]))).toEqual({
        Domain: 'CREATE_COMPLETE',
        Group: 'CREATE_COMPLETE',
        Profile: 'CREATE_FAILED',
      });
      await cfn.send(new DeleteStackCommand({ StackName: 'kept' }));
      expect(
        (await waitUntilStackDeleteComplete({ client: cfn, maxWaitTime: WAIT }, { StackName: 'kept' })).state,
      ).toBe('SUCCESS');

      const { StackId } = await cfn.send(
        new CreateStackCommand({ StackName: 'doomed', TemplateBody: template, OnFailure: 'DELETE' }),
      );
      const doomed = await settledStack(cfn, StackId ?? '');
      expect(doomed.StackStatus).toBe('DELETE_COMPLETE');
      const lines = await eventLines(cfn, StackId ?? '');
      expect(lines).toContain(
        'doomed DELETE_IN_PROGRESS The following resource(s) failed to create: [Profile]. Delete requested by user.',
      );
      expect(lines[lines.length - 1]).toBe('doomed DELETE_COMPLETE');
    });

    it('keeps an export while another stack imports it, and goes through change sets', async () => {
      const importer = `Parameters:
  Suffix:
    Type: String
Resources:
  Pointer:
    Type: AWS::SSM::Parameter
    Properties:
      Name: !Sub '/studio/\${Suffix}/domain'
      Type: String
      Value: !ImportValue team-DomainId
Outputs:
  Name:
    Value: !Ref Pointer
`;
      const { Id, StackId } = await cfn.send(
        new CreateChangeSetCommand({
          StackName: 'pointer',
          ChangeSetName: 'first',
          ChangeSetType: 'CREATE',
          TemplateBody: importer,
          Parameters: [{ ParameterKey: 'Suffix', ParameterValue: 'ml' }],
        }),
      );
      const review = await cfn.send(new DescribeStacksCommand({ StackName: 'pointer' }));
      expect(review.Stacks?.[0]?.StackStatus).toBe('REVIEW_IN_PROGRESS');
      const described = await cfn.send(
        new DescribeChangeSetCommand({ ChangeSetName: 'first', StackName: 'pointer' }),
      );
      expect(described).toMatchObject({
        ChangeSetId: Id,
        StackId,
        Status: 'CREATE_COMPLETE',
        ExecutionStatus: 'AVAILABLE',
      });
      expect(described.Changes).toEqual([
        {
          Type: 'Resource',
          ResourceChange: {
            Action: 'Add',
            LogicalResourceId: 'Pointer',
            ResourceType: 'AWS::SSM::Parameter',
            Scope: [],
            Details: [],
          },
        },
      ]);
      await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
      expect(
        (await waitUntilStackCreateComplete({ client: cfn, maxWaitTime: WAIT }, { StackName: 'pointer' }))
          .state,
      ).toBe('SUCCESS');

      const empty = await cfn.send(
        new CreateChangeSetCommand({
          StackName: 'pointer',
          ChangeSetName: 'again',
          TemplateBody: importer,
          Parameters: [{ ParameterKey: 'Suffix', UsePreviousValue: true }],
        }),
      );
      const nothing = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: empty.Id }));
      expect(nothing).toMatchObject({
        Status: 'FAILED',
        ExecutionStatus: 'UNAVAILABLE',
        StatusReason:
          "The submitted information didn't contain changes. Submit different information to create a change set.",
      });
      const renamed = await cfn.send(
        new CreateChangeSetCommand({
          StackName: 'pointer',
          ChangeSetName: 'rename',
          TemplateBody: importer,
          Parameters: [{ ParameterKey: 'Suffix', ParameterValue: 'ai' }],
        }),
      );
      const change = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: renamed.Id }));
      expect(change.Changes?.[0]?.ResourceChange).toMatchObject({
        Action: 'Modify',
        LogicalResourceId: 'Pointer',
        Replacement: 'True',
      });
      const summaries = await cfn.send(new ListChangeSetsCommand({ StackName: 'pointer' }));
      expect(summaries.Summaries?.map((c) => `${c.ChangeSetName} ${c.Status}`)).toEqual([
        'first CREATE_COMPLETE',
        'again FAILED',
        'rename CREATE_COMPLETE',
      ]);
      await cfn.send(new DeleteChangeSetCommand({ StackName: 'pointer', ChangeSetName: 'rename' }));
      expect((await cfn.send(new ListChangeSetsCommand({ StackName: 'pointer' }))).Summaries).toHaveLength(2);
      const twice = await cfn.send(
        new CreateStackCommand({
          StackName: 'twice',
          TemplateBody:
            'Resources:\n  P: { Type: AWS::SSM::Parameter, Properties: { Type: String, Value: x } }\nOutputs:\n  O: { Value: x, Export: { Name: team-DomainId } }\n',
        }),
      );
      const conflict = await settledStack(cfn, twice.StackId ?? '');
      expect(conflict.StackStatus).toBe('ROLLBACK_COMPLETE');
      expect(await eventLines(cfn, twice.StackId ?? '')).toContain(
        'twice ROLLBACK_IN_PROGRESS Export with name team-DomainId is already exported by stack team. Rollback requested by user.',
      );
      const missing = await failure(
        cfn.send(new DescribeChangeSetCommand({ ChangeSetName: 'nope', StackName: 'pointer' })),
      );
      // The wire code is the awsQueryError `ChangeSetNotFound`; the SDK names its exception class after the shape.
      expect(missing.name).toBe('ChangeSetNotFoundException');
      expect(missing.$metadata.httpStatusCode).toBe(404);

      await cfn.send(new DeleteStackCommand({ StackName: 'team' }));
      const blocked = await settledStack(cfn, 'team');
      expect(blocked.StackStatus).toBe('DELETE_FAILED');
      expect(blocked.StackStatusReason).toBe(
        'Export team-DomainId cannot be deleted as it is in use by pointer',
      );

      await cfn.send(new DeleteStackCommand({ StackName: 'pointer' }));
      expect(
        (await waitUntilStackDeleteComplete({ client: cfn, maxWaitTime: WAIT }, { StackName: 'pointer' }))
          .state,
      ).toBe('SUCCESS');
      const domainId = (
        await cfn.send(new DescribeStackResourceCommand({ StackName: 'team', LogicalResourceId: 'Domain' }))
      ).StackResourceDetail?.PhysicalResourceId;
      await cfn.send(new DeleteStackCommand({ StackName: 'team' }));
      expect(
        (await waitUntilStackDeleteComplete({ client: cfn, maxWaitTime: WAIT }, { StackName: 'team' })).state,
      ).toBe('SUCCESS');
      const gone = await failure(cfn.send(new DescribeStacksCommand({ StackName: 'team' })));
      expect(gone.message).toBe('Stack with id team does not exist');
      const profiles = await sagemaker.send(new ListUserProfilesCommand({ DomainIdEquals: domainId }));
      expect(profiles.UserProfiles).toEqual([]);
      const deleted =
        (await cfn.send(new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }))).StackSummaries ??
        [];
      expect(deleted.map((s) => s.StackName).sort()).toEqual(['doomed', 'kept', 'lonely', 'pointer', 'team']);
      expect((await cfn.send(new DescribeStacksCommand({}))).Stacks?.map((s) => s.StackName)).toEqual([
        'twice',
      ]);
      expect((await cfn.send(new ListExportsCommand({}))).Exports).toEqual([]);
    });
  });
}
