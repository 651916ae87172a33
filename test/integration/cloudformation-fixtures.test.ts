import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type Capability,
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type Parameter,
  ValidateTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeAppCommand,
  DescribeDomainCommand,
  DescribeUserProfileCommand,
  ListDomainsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventLines, settledStack, setUpIdentityCenter } from '../support/cloudformation.js';
import { postgresUnavailableReason, testDialects } from '../support/test-databases.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * The real public templates of test/fixtures/cfn-samples (copied byte for byte from
 * shared/fixtures, each with its .source.txt), deployed unchanged with companion stacks that export
 * what they import. The one that needs Lambda functions and custom resources is refused by
 * validation, which names those types.
 */

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/cfn-samples');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

const ROLE = 'arn:aws:iam::111122223333:role/service-role/AmazonSageMaker-ExecutionRole';
const EU = 'eu-west-1';

/** Shared services of the secure data science workshop: network, keys and an IAM-mode VpcOnly domain. */
const DS_SHARED = `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.2.0.0/16 }
  Subnet1:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: !Select [0, !Cidr [!GetAtt Vpc.CidrBlock, 3, 8]], AvailabilityZone: !Select [0, !GetAZs ''] }
  Subnet2:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: !Select [1, !Cidr [!GetAtt Vpc.CidrBlock, 3, 8]], AvailabilityZone: !Select [1, !GetAZs ''] }
  Subnet3:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: !Select [2, !Cidr [!GetAtt Vpc.CidrBlock, 3, 8]], AvailabilityZone: !Select [2, !GetAZs ''] }
  SageMakerSg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: SageMaker VPC, VpcId: !Ref Vpc }
  UserProfileSg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: Studio user profiles, VpcId: !Ref Vpc }
  TeamKey:
    Type: AWS::KMS::Key
  StudioKey:
    Type: AWS::KMS::Key
  DataLakeKey:
    Type: AWS::KMS::Key
  Domain:
    Type: AWS::SageMaker::Domain
    Properties:
      DomainName: ds-shared
      AuthMode: IAM
      AppNetworkAccessType: VpcOnly
      VpcId: !Ref Vpc
      SubnetIds: [!Ref Subnet1, !Ref Subnet2, !Ref Subnet3]
      DefaultUserSettings: { ExecutionRole: ${ROLE}, SecurityGroups: [!Ref SageMakerSg] }
Outputs:
  S1: { Value: !Ref Subnet1, Export: { Name: ds-subnet1-DSSharedServices } }
  S2: { Value: !Ref Subnet2, Export: { Name: ds-subnet2-DSSharedServices } }
  S3: { Value: !Ref Subnet3, Export: { Name: ds-subnet3-DSSharedServices } }
  Sg: { Value: !GetAtt SageMakerSg.GroupId, Export: { Name: ds-sagemaker-vpc-sg-DSSharedServices } }
  ProfileSg: { Value: !Ref UserProfileSg, Export: { Name: ds-userprofile-sg-DSSharedServices } }
  TeamKey: { Value: !GetAtt TeamKey.Arn, Export: { Name: ds-kms-cmk-ds-dev-arn } }
  StudioKey: { Value: !GetAtt StudioKey.Arn, Export: { Name: ds-sagemaker-studio-kms-cmk-DSSharedServices-arn } }
  DataLakeKey: { Value: !GetAtt DataLakeKey.Arn, Export: { Name: ds-data-lake-kms-cmk-DSSharedServices-arn } }
  Ecr: { Value: ds-shared-images, Export: { Name: ds-shared-ecr-repository-DSSharedServices } }
  Domain: { Value: !Ref Domain, Export: { Name: ds-sagemaker-studio-DSSharedServices-domain-id } }
`;

/** What the admin templates' lab 0 stack exports: a domain and a security group. */
const LAB0 = `Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: lab 0, VpcId: vpc-0a1b2c3d4e5f60718 }
  Domain:
    Type: AWS::SageMaker::Domain
    Properties:
      DomainName: lab0
      AuthMode: IAM
      DefaultUserSettings: { ExecutionRole: ${ROLE} }
Outputs:
  Domain: { Value: !Ref Domain, Export: { Name: SageMakerDomainId } }
  Sg: { Value: !Ref Sg, Export: { Name: SageMakerCloudformationSecurityGroup } }
`;

/** The playground's network and bucket stacks (infra-vpc, infra-buckets) and its EMR roles (<deployment>-infra-emr). */
const INFRA_VPC = `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16, EnableDnsHostnames: true }
  NatA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
  NatB:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24 }
Outputs:
  VpcId: { Value: !Ref Vpc, Export: { Name: !Sub '\${AWS::StackName}-VpcId' } }
  NatA: { Value: !Ref NatA, Export: { Name: !Sub '\${AWS::StackName}-sn-nat-a' } }
  NatB: { Value: !Ref NatB, Export: { Name: !Sub '\${AWS::StackName}-sn-nat-b' } }
`;
const INFRA_BUCKETS = `Resources:
  LogBucket:
    Type: AWS::S3::Bucket
Outputs:
  LogBucket: { Value: !Ref LogBucket, Export: { Name: !Sub '\${AWS::StackName}-LogBucket' } }
`;
const INFRA_EMR = `Resources:
  EmrInstanceRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Version: 2012-10-17, Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }] }
  EmrServiceRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Version: 2012-10-17, Statement: [{ Effect: Allow, Principal: { Service: elasticmapreduce.amazonaws.com }, Action: sts:AssumeRole }] }
  MasterSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: EMR master, VpcId: !ImportValue infra-vpc-VpcId }
Outputs:
  EmrInstanceRole: { Value: !GetAtt EmrInstanceRole.Arn, Export: { Name: !Sub '\${AWS::StackName}-EmrInstanceRole' } }
  EmrServiceRole: { Value: !GetAtt EmrServiceRole.Arn, Export: { Name: !Sub '\${AWS::StackName}-EmrServiceRole' } }
  Master: { Value: !Ref MasterSecurityGroup, Export: { Name: !Sub '\${AWS::StackName}-MasterSecurityGroup' } }
`;

const params = (values: Record<string, string>): Parameter[] =>
  Object.entries(values).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));

const pgUnavailable = await postgresUnavailableReason();

describe('the sample templates', () => {
  it('are the published files, unmodified', () => {
    const names = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml'));
    expect(names).toHaveLength(8);
    for (const name of names) {
      const source = readFileSync(path.join(FIXTURES, `${name}.source.txt`), 'utf8');
      const expected = /sha256 of saved file: ([0-9a-f]{64})/.exec(source)?.[1];
      expect(
        createHash('sha256')
          .update(readFileSync(path.join(FIXTURES, name)))
          .digest('hex'),
      ).toBe(expected);
    }
  });
});

for (const dialect of testDialects()) {
  const skipReason = dialect === 'postgres' ? pgUnavailable : undefined;
  const suite = skipReason === undefined ? describe : describe.skip;

  suite(`the sample templates deploy on ${dialect}${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
    let server: TestServer;
    let cfn: CloudFormationClient;
    let cfnEu: CloudFormationClient;
    let sagemaker: SageMakerClient;
    let sagemakerEu: SageMakerClient;

    /** Creates a stack and expects CREATE_COMPLETE, with the failure events in the message if not. */
    const deploy = async (
      client: CloudFormationClient,
      stackName: string,
      templateBody: string,
      parameters: Parameter[] = [],
      capabilities: Capability[] = [],
    ): Promise<Record<string, string>> => {
      await client.send(
        new CreateStackCommand({
          StackName: stackName,
          TemplateBody: templateBody,
          Parameters: parameters,
          Capabilities: capabilities,
        }),
      );
      const stack = await settledStack(client, stackName);
      if (stack.StackStatus !== 'CREATE_COMPLETE') {
        throw new Error(
          `${stackName}: ${stack.StackStatus}\n${(await eventLines(client, stackName)).join('\n')}`,
        );
      }
      const resources =
        (await client.send(new ListStackResourcesCommand({ StackName: stackName }))).StackResourceSummaries ??
        [];
      return Object.fromEntries(
        resources.map((r) => [r.LogicalResourceId ?? '', r.PhysicalResourceId ?? '']),
      );
    };

    const outputs = async (
      client: CloudFormationClient,
      stackName: string,
    ): Promise<Record<string, string>> => {
      const [stack] = (await client.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks ?? [];
      return Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
    };

    const remove = async (client: CloudFormationClient, stackName: string): Promise<void> => {
      await client.send(new DeleteStackCommand({ StackName: stackName }));
      const [stack] =
        (await client.send(new DescribeStacksCommand({ StackName: stackName })).catch(() => ({ Stacks: [] })))
          .Stacks ?? [];
      if (stack !== undefined) {
        const settled = await settledStack(client, stack.StackId ?? stackName);
        expect(settled.StackStatus, `${stackName}: ${settled.StackStatusReason}`).toBe('DELETE_COMPLETE');
      }
    };

    beforeAll(async () => {
      server = await startTestServer({ database: dialect });
      cfn = new CloudFormationClient(server.sdkConfig());
      cfnEu = new CloudFormationClient({ ...server.sdkConfig(), region: EU });
      sagemaker = new SageMakerClient(server.sdkConfig());
      sagemakerEu = new SageMakerClient({ ...server.sdkConfig(), region: EU });
      // The playground's domain is an SSO domain in eu-west-1 (its mapping has eu-west-1 and eu-north-1 only).
      await setUpIdentityCenter(server, ['alice'], EU);
    }, 60_000);

    afterAll(async () => {
      for (const client of [cfn, cfnEu, sagemaker, sagemakerEu]) client?.destroy();
      await server?.close();
    });

    it('amazon-sagemaker-studio-vpc-networkfirewall: mappings, conditions, list parameters, apps', async () => {
      const template = fixture(
        'aws-samples__amazon-sagemaker-studio-vpc-networkfirewall__sagemaker-studio.yaml',
      );
      const physical = await deploy(
        cfn,
        'firewall-studio',
        template,
        params({
          DomainName: 'firewall',
          UserProfileName: 'analyst',
          VPCId: 'vpc-0a1b2c3d4e5f60718',
          SageMakerStudioSubnetIds: 'subnet-0a1b2c3d4e5f60718,subnet-1a1b2c3d4e5f60718',
          SageMakerSecurityGroupIds: 'sg-0a1b2c3d4e5f60718',
          SageMakerExecutionRoleArn: ROLE,
          StartKernelGatewayApps: 'YES',
        }),
      );
      expect(Object.keys(physical).sort()).toEqual([
        'DataScienceApp',
        'DataWranglerApp',
        'JupyterApp',
        'SageMakerStudioDomain',
        'SageMakerUserProfile',
      ]);
      const domainId = physical.SageMakerStudioDomain ?? '';
      const domain = await sagemaker.send(new DescribeDomainCommand({ DomainId: domainId }));
      expect(domain).toMatchObject({
        AppNetworkAccessType: 'VpcOnly',
        AuthMode: 'IAM',
        SubnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-1a1b2c3d4e5f60718'],
        DefaultUserSettings: { ExecutionRole: ROLE, SecurityGroups: ['sg-0a1b2c3d4e5f60718'] },
      });
      expect(domain.KmsKeyId).toBeUndefined();
      const wrangler = await sagemaker.send(
        new DescribeAppCommand({
          DomainId: domainId,
          UserProfileName: 'analyst',
          AppType: 'KernelGateway',
          AppName: 'instance-event-engine-datawrangler-ml-m5-4xlarge',
        }),
      );
      expect(wrangler.ResourceSpec).toEqual({
        InstanceType: 'ml.m5.4xlarge',
        SageMakerImageArn: 'arn:aws:sagemaker:us-east-1:663277389841:image/sagemaker-data-wrangler-1.0',
      });
      expect(await outputs(cfn, 'firewall-studio')).toEqual({
        SageMakerStudioDomainId: domainId,
        UserProfileName: 'analyst',
      });
      await remove(cfn, 'firewall-studio');
      const gone = await sagemaker
        .send(new DescribeUserProfileCommand({ DomainId: domainId, UserProfileName: 'analyst' }))
        .catch((e: Error) => e.name);
      expect(gone).toBe('ResourceNotFound');
    });

    it('amazon-sagemaker-studio-secure-sso: the SAM transform without serverless types, apps after the profile', async () => {
      const template = fixture('aws-samples__amazon-sagemaker-studio-secure-sso__sagemakerstudio.yaml');
      const values = params({
        SageMakerExecutionRoleArn: ROLE,
        SageMakerDomainName: 'secure-sso',
        PrivateSubnetVPCSageMakerStudio: 'subnet-0123456789abcdef0',
        SecurityGroupSageMakerStudio: 'sg-0123456789abcdef0',
        VPCSageMaker: 'vpc-0123456789abcdef0',
        EnvironmentName: 'dev',
        SSOUserId: 'jane',
        DataScienceImage: 'arn:aws:sagemaker:us-east-1:081325390199:image/datascience-1.0',
      });
      const refused = await cfn
        .send(new CreateStackCommand({ StackName: 'secure-sso', TemplateBody: template, Parameters: values }))
        .catch((e: Error) => e);
      expect(refused).toMatchObject({
        name: 'InsufficientCapabilitiesException',
        message: 'Requires capabilities : [CAPABILITY_AUTO_EXPAND]',
      });
      const physical = await deploy(cfn, 'secure-sso', template, values, ['CAPABILITY_AUTO_EXPAND']);
      expect(physical.JupyterApp).toBe(`default|JupyterServer|${physical.SageMakerStudioDomain}|jane`);
      await remove(cfn, 'secure-sso');
    });

    it('sagemaker-studio-admin-iac-templates: a named role, Fn::Split of a string parameter, and the data science profile on an imported domain', async () => {
      const internetOnly = fixture(
        'aws-samples__sagemaker-studio-admin-iac-templates__create-studio-and-user-internet-only.yaml',
      );
      const values = params({
        VPCId: 'vpc-0a1b2c3d4e5f60718',
        SubnetIds: 'subnet-0a1b2c3d4e5f60718,subnet-1a1b2c3d4e5f60718',
      });
      const named = await cfn
        .send(
          new CreateStackCommand({
            StackName: 'admin-studio',
            TemplateBody: internetOnly,
            Parameters: values,
            Capabilities: ['CAPABILITY_IAM'],
          }),
        )
        .catch((e: Error) => e.message);
      expect(named).toBe('Requires capabilities : [CAPABILITY_NAMED_IAM]');
      const physical = await deploy(cfn, 'admin-studio', internetOnly, values, ['CAPABILITY_NAMED_IAM']);
      expect(physical.SageMakerStudioFullAccessRole).toBe('admin-studio-MyExampleDomain-Role');
      const out = await outputs(cfn, 'admin-studio');
      expect(out.SageMakerDomainUrl).toBe(
        `https://console.aws.amazon.com/sagemaker/home?region=us-east-1#/studio/${physical.SageMakerStudioInternetOnlyDomain}`,
      );
      const profile = await sagemaker.send(
        new DescribeUserProfileCommand({
          DomainId: physical.SageMakerStudioInternetOnlyDomain,
          UserProfileName: 'test-user1',
        }),
      );
      expect(profile.UserSettings?.ExecutionRole).toBe(
        `arn:aws:iam::${server.accountId}:role/admin-studio-MyExampleDomain-Role`,
      );

      await deploy(cfn, 'lab0', LAB0);
      const dataScience = fixture(
        'aws-samples__sagemaker-studio-admin-iac-templates__datascience-user-profile.yaml',
      );
      const ds = await deploy(cfn, 'lab1', dataScience, [], ['CAPABILITY_NAMED_IAM']);
      const lab0 = await outputs(cfn, 'lab0');
      expect(ds.DataScienceUserProfile).toBe(`data-science|${lab0.Domain}`);
      const lab1 = await outputs(cfn, 'lab1');
      expect(lab1.DataScienceUserProfileArn).toBe(
        `arn:aws:sagemaker:us-east-1:${server.accountId}:user-profile/${lab0.Domain}/data-science`,
      );
      const inUse = await cfn
        .send(new DeleteStackCommand({ StackName: 'lab0' }))
        .then(() => settledStack(cfn, 'lab0'));
      expect(inUse.StackStatusReason).toMatch(
        /^Export SageMaker\w+ cannot be deleted as it is in use by lab1$/,
      );
      for (const name of ['lab1', 'lab0', 'admin-studio']) await remove(cfn, name);
    });

    it('amazon-sagemaker-studio-secure-data-science-workshop: a profile whose policies import the shared services', async () => {
      await deploy(cfn, 'ds-shared', DS_SHARED);
      const workshop = fixture(
        'aws-samples__amazon-sagemaker-studio-secure-data-science-workshop__ds_env_studio_user_profile_v2.yaml',
      );
      const values = params({ TeamName: 'ds', EnvType: 'dev', StudioUserProfileName: 'ds-user' });
      const physical = await deploy(cfn, 'ds-profile', workshop, values, ['CAPABILITY_NAMED_IAM']);
      expect(physical.SageMakerExecRole).toBe('ds-notebook-role-ds-dev-ds-user');
      expect(physical.SageMakerExecPolicy1).toBe(
        `arn:aws:iam::${server.accountId}:policy/ds-notebook-policy-ds-dev-ds-user-1`,
      );
      const shared = await outputs(cfn, 'ds-shared');
      const profile = await sagemaker.send(
        new DescribeUserProfileCommand({ DomainId: shared.Domain, UserProfileName: 'ds-user' }),
      );
      expect(profile.UserSettings).toEqual({
        ExecutionRole: `arn:aws:iam::${server.accountId}:role/service-role/ds-notebook-role-ds-dev-ds-user`,
        SharingSettings: { NotebookOutputOption: 'Disabled' },
        SecurityGroups: [shared.Sg, shared.ProfileSg],
      });
      expect(await outputs(cfn, 'ds-profile')).toEqual({ StudioUserProfileName: `ds-user|${shared.Domain}` });
      const wrongType = await cfn
        .send(
          new CreateStackCommand({
            StackName: 'ds-profile-2',
            TemplateBody: workshop,
            Parameters: [...values, { ParameterKey: 'InstanceType', ParameterValue: 'ml.g5.large' }],
            Capabilities: ['CAPABILITY_NAMED_IAM'],
          }),
        )
        .catch((e: Error) => e.message);
      expect(wrongType).toBe("Parameter 'InstanceType' must be one of AllowedValues");
      await remove(cfn, 'ds-profile');
      await remove(cfn, 'ds-shared');
    });

    it('sjakthol aws-sagemaker-studio-playground: the infra stack and the SSO domain in eu-west-1, through their exports', async () => {
      await deploy(cfnEu, 'infra-vpc', INFRA_VPC);
      await deploy(cfnEu, 'infra-buckets', INFRA_BUCKETS);
      await deploy(cfnEu, 'demo-infra-emr', INFRA_EMR, [], ['CAPABILITY_IAM']);
      const infra = fixture('sjakthol__aws-sagemaker-studio-playground__infra-studio.yaml');
      const studioInfra = await deploy(
        cfnEu,
        'demo-infra-studio',
        infra,
        params({ DeploymentName: 'demo' }),
        ['CAPABILITY_NAMED_IAM'],
      );
      expect(studioInfra.WorkspaceBucket).toBe('demo-infra-studio-workspace');
      expect(studioInfra.StudioSecurityGroupSelfRule).toMatch(/^sgr-[0-9a-f]{17}$/);
      const studio = fixture('sjakthol__aws-sagemaker-studio-playground__studio-sso-domain.yaml');
      const physical = await deploy(cfnEu, 'demo-studio', studio, params({ DeploymentName: 'demo' }));
      const domain = await sagemakerEu.send(new DescribeDomainCommand({ DomainId: physical.StudioDomain }));
      const vpc = await outputs(cfnEu, 'infra-vpc');
      expect(domain).toMatchObject({
        DomainName: 'demo-studio',
        AuthMode: 'SSO',
        VpcId: vpc.VpcId,
        SubnetIds: [vpc.NatA, vpc.NatB],
        DefaultUserSettings: {
          JupyterServerAppSettings: {
            DefaultResourceSpec: {
              InstanceType: 'system',
              SageMakerImageArn: 'arn:aws:sagemaker:eu-west-1:470317259841:image/jupyter-server-3',
            },
          },
        },
      });
      expect(domain.SingleSignOnApplicationArn).toMatch(/^arn:aws:sso::\d{12}:application\//);
      for (const name of [
        'demo-studio',
        'demo-infra-studio',
        'demo-infra-emr',
        'infra-buckets',
        'infra-vpc',
      ]) {
        await remove(cfnEu, name);
      }
      const domains = await sagemakerEu.send(new ListDomainsCommand({}));
      expect(domains.Domains?.every((d) => d.Status === 'Deleting')).toBe(true);
    });

    it('users-and-team-management: refused, naming the Lambda and custom resource types it needs', async () => {
      const template = fixture(
        'aws-samples__users-and-team-management-with-amazon-sagemaker-and-aws-sso__sagemaker-domain.yaml',
      );
      const error = await cfn
        .send(new ValidateTemplateCommand({ TemplateBody: template }))
        .catch((e: Error) => e);
      expect(error).toMatchObject({ name: 'ValidationError' });
      expect((error as Error).message).toMatch(
        /^Template format error: Unrecognized resource types: \[Custom::ResourceForEnablingSageMakerProjects, Custom::DeleteDomainApps, AWS::Lambda::Function\]/,
      );
      const created = await cfn
        .send(
          new CreateStackCommand({
            StackName: 'team-mgmt',
            TemplateBody: template,
            Parameters: params({
              VPCId: 'vpc-1',
              SageMakerDomainSubnetIds: 'subnet-1',
              SageMakerDomainSecurityGroupIds: 'sg-1',
              SageMakerDefaultExecutionRoleArn: ROLE,
              SetupLambdaExecutionRoleArn: ROLE,
            }),
          }),
        )
        .catch((e: Error) => e.message);
      expect(created).toContain('EnableSageMakerProjects (Custom::ResourceForEnablingSageMakerProjects)');
      expect(created).toContain('DeleteDomainAppsLambda (AWS::Lambda::Function)');
    });
  });
}
