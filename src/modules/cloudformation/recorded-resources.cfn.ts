import { randomBytes, randomUUID } from 'node:crypto';
import {
  type Capability,
  type CreatedResource,
  type PropertySpec,
  type ProviderContext,
  propertiesValidationFailed,
  ResourceFailure,
  type ResourceProvider,
  stringProperty,
} from './resource-providers.js';

/**
 * Recorded resources: the IAM roles and policies, VPC pieces, security groups, S3 buckets, SSM
 * parameters and KMS keys that real SageMaker templates declare beside the Studio resources.
 * **No service stands behind them.** The stack records each one with an AWS-shaped physical ID and
 * attributes (an IAM role's Arn and RoleId, a security group's GroupId, a bucket's Arn and domain
 * names, …), so that templates deploy unchanged and other resources can refer to them, and it
 * checks what AWS would refuse outright (a missing required property, a malformed name, a name the
 * account already uses). Nothing is enforced by them: a recorded role grants nothing.
 */

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const randomFrom = (alphabet: string, length: number): string =>
  Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');
const hexId = (length: number): string =>
  randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);

/** CloudFormation's generated names: stack and logical ID, cut to fit, and a random suffix. */
const generatedName = (ctx: ProviderContext<unknown>, max: number, lower = false): string => {
  const suffix = randomFrom(UPPER_ALNUM, 12);
  const stem = `${ctx.stackName}-${ctx.logicalId}`.slice(0, max - suffix.length - 1);
  const name = `${stem}-${suffix}`;
  return lower ? name.toLowerCase() : name;
};

const arnPrefix = (ctx: ProviderContext<unknown>, service: string, regional: boolean): string =>
  `arn:aws:${service}:${regional ? ctx.scope.region : ''}:${ctx.scope.accountId}`;

interface RecordedType {
  type: string;
  properties: Record<string, PropertySpec>;
  attributes: readonly string[];
  /** The property that names the resource; its value (or a generated one) must be unique. */
  nameProperty?: string;
  /** Where names are unique: the account (IAM, S3) or the account's Region (SSM). */
  unique?: 'account' | 'region';
  capability?(properties: Record<string, unknown>): Capability | undefined;
  validate?(logicalId: string, properties: Record<string, unknown>): void;
  /** The physical ID (what Ref returns) of a new resource, from its name when it has one. */
  physicalId(
    ctx: ProviderContext<unknown>,
    properties: Record<string, unknown>,
    name: string | undefined,
  ): string;
  attributesOf(
    ctx: ProviderContext<unknown>,
    properties: Record<string, unknown>,
    physicalId: string,
    previous?: Record<string, unknown>,
  ): Record<string, unknown>;
}

const checkPattern = (
  logicalId: string,
  properties: Record<string, unknown>,
  name: string,
  pattern: RegExp,
  rule: string,
) => {
  const value = stringProperty(properties, name);
  if (value !== undefined && !pattern.test(value)) {
    throw propertiesValidationFailed(
      logicalId,
      `#/${name}: failed validation constraint for keyword [pattern] (${rule})`,
    );
  }
};

const isPolicyDocument = (value: unknown): boolean =>
  (typeof value === 'object' && value !== null && !Array.isArray(value)) || typeof value === 'string';

const checkDocument = (logicalId: string, properties: Record<string, unknown>, name: string) => {
  const value = properties[name];
  if (value !== undefined && !isPolicyDocument(value)) {
    throw propertiesValidationFailed(
      logicalId,
      `#/${name}: expected type: JSONObject, found: ${Array.isArray(value) ? 'JSONArray' : typeof value}`,
    );
  }
};

const recordedProvider = (spec: RecordedType): ResourceProvider<unknown> => {
  const create = async (
    ctx: ProviderContext<unknown>,
    properties: Record<string, unknown>,
  ): Promise<CreatedResource> => {
    spec.validate?.(ctx.logicalId, properties);
    const given = spec.nameProperty === undefined ? undefined : stringProperty(properties, spec.nameProperty);
    const physicalId = spec.physicalId(ctx, properties, given);
    if (spec.unique !== undefined) {
      const holder = await ctx.records.holder(spec.type, physicalId, { regional: spec.unique === 'region' });
      if (holder !== undefined) {
        throw new ResourceFailure(`${physicalId} already exists in stack ${holder}`);
      }
    }
    return { physicalId, attributes: spec.attributesOf(ctx, properties, physicalId) };
  };
  return {
    type: spec.type,
    properties: spec.properties,
    attributes: spec.attributes,
    ...(spec.nameProperty !== undefined ? { identity: [spec.nameProperty] } : {}),
    recorded: true,
    ...(spec.capability !== undefined ? { capability: spec.capability } : {}),
    create,
    update: async (ctx, current, properties) => {
      spec.validate?.(ctx.logicalId, properties);
      return spec.attributesOf(ctx, properties, current.physicalId, current.attributes);
    },
    delete: async () => {},
  };
};

const p = (required = false, replace = false): PropertySpec => ({
  ...(required ? { required: true } : {}),
  ...(replace ? { replace: true } : {}),
});

const iamCapability =
  (nameProperty: string) =>
  (properties: Record<string, unknown>): Capability =>
    properties[nameProperty] !== undefined ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM';

const IAM_NAME = /^[\w+=,.@-]{1,64}$/;
const IAM_PATH = /^\/(?:[\u0021-\u007E]*\/)?$/;

const iamPath = (properties: Record<string, unknown>): string => stringProperty(properties, 'Path') ?? '/';

const iamRole: RecordedType = {
  type: 'AWS::IAM::Role',
  properties: {
    AssumeRolePolicyDocument: p(true),
    Description: p(),
    ManagedPolicyArns: p(),
    MaxSessionDuration: p(),
    Path: p(false, true),
    PermissionsBoundary: p(),
    Policies: p(),
    RoleName: p(false, true),
    Tags: p(),
  },
  attributes: ['Arn', 'RoleId'],
  nameProperty: 'RoleName',
  unique: 'account',
  capability: iamCapability('RoleName'),
  validate: (logicalId, properties) => {
    checkPattern(logicalId, properties, 'RoleName', IAM_NAME, '1 to 64 of letters, digits and +=,.@_-');
    checkPattern(logicalId, properties, 'Path', IAM_PATH, 'a path that starts and ends with /');
    checkDocument(logicalId, properties, 'AssumeRolePolicyDocument');
    const duration = properties.MaxSessionDuration;
    if (duration !== undefined && (Number(duration) < 3600 || Number(duration) > 43200)) {
      throw propertiesValidationFailed(logicalId, '#/MaxSessionDuration: must be from 3600 to 43200');
    }
    const policies = properties.Policies;
    if (policies !== undefined) {
      if (!Array.isArray(policies))
        throw propertiesValidationFailed(logicalId, '#/Policies: expected type: JSONArray');
      policies.forEach((policy, i) => {
        const entry = (policy ?? {}) as Record<string, unknown>;
        if (entry.PolicyName === undefined)
          throw propertiesValidationFailed(logicalId, `#/Policies/${i}: required key [PolicyName] not found`);
        if (entry.PolicyDocument === undefined)
          throw propertiesValidationFailed(
            logicalId,
            `#/Policies/${i}: required key [PolicyDocument] not found`,
          );
      });
    }
  },
  physicalId: (ctx, _properties, name) => name ?? generatedName(ctx, 64),
  attributesOf: (ctx, properties, roleName, previous) => ({
    Arn: `arn:aws:iam::${ctx.scope.accountId}:role${iamPath(properties)}${roleName}`,
    RoleId: previous?.RoleId ?? `AROA${randomFrom(UPPER_ALNUM, 17)}`,
  }),
};

const managedPolicy: RecordedType = {
  type: 'AWS::IAM::ManagedPolicy',
  properties: {
    Description: p(false, true),
    Groups: p(),
    ManagedPolicyName: p(false, true),
    Path: p(false, true),
    PolicyDocument: p(true),
    Roles: p(),
    Users: p(),
  },
  attributes: [
    'AttachmentCount',
    'CreateDate',
    'DefaultVersionId',
    'IsAttachable',
    'PermissionsBoundaryUsageCount',
    'PolicyArn',
    'PolicyId',
    'UpdateDate',
  ],
  nameProperty: 'ManagedPolicyName',
  unique: 'account',
  capability: iamCapability('ManagedPolicyName'),
  validate: (logicalId, properties) => {
    checkPattern(
      logicalId,
      properties,
      'ManagedPolicyName',
      /^[\w+=,.@-]{1,128}$/,
      '1 to 128 of letters, digits and +=,.@_-',
    );
    checkPattern(logicalId, properties, 'Path', IAM_PATH, 'a path that starts and ends with /');
    checkDocument(logicalId, properties, 'PolicyDocument');
  },
  physicalId: (ctx, properties, name) =>
    `arn:aws:iam::${ctx.scope.accountId}:policy${iamPath(properties)}${name ?? generatedName(ctx, 128)}`,
  attributesOf: (ctx, properties, arn, previous) => {
    const now = ctx.clock.now().toISOString();
    const roles = Array.isArray(properties.Roles) ? properties.Roles.length : 0;
    const users = Array.isArray(properties.Users) ? properties.Users.length : 0;
    const groups = Array.isArray(properties.Groups) ? properties.Groups.length : 0;
    const version =
      previous === undefined ? 1 : Number(String(previous.DefaultVersionId ?? 'v1').slice(1)) + 1;
    return {
      PolicyArn: arn,
      PolicyId: previous?.PolicyId ?? `ANPA${randomFrom(UPPER_ALNUM, 17)}`,
      AttachmentCount: roles + users + groups,
      CreateDate: previous?.CreateDate ?? now,
      UpdateDate: now,
      DefaultVersionId: `v${version}`,
      IsAttachable: 'true',
      PermissionsBoundaryUsageCount: 0,
    };
  },
};

const inlinePolicy: RecordedType = {
  type: 'AWS::IAM::Policy',
  properties: { Groups: p(), PolicyDocument: p(true), PolicyName: p(true), Roles: p(), Users: p() },
  attributes: ['Id'],
  capability: () => 'CAPABILITY_IAM',
  validate: (logicalId, properties) => checkDocument(logicalId, properties, 'PolicyDocument'),
  physicalId: (ctx) => generatedName(ctx, 64),
  attributesOf: (_ctx, _properties, id) => ({ Id: id }),
};

const instanceProfile: RecordedType = {
  type: 'AWS::IAM::InstanceProfile',
  properties: { InstanceProfileName: p(false, true), Path: p(false, true), Roles: p(true) },
  attributes: ['Arn'],
  nameProperty: 'InstanceProfileName',
  unique: 'account',
  capability: iamCapability('InstanceProfileName'),
  physicalId: (ctx, _properties, name) => name ?? generatedName(ctx, 128),
  attributesOf: (ctx, properties, name) => ({
    Arn: `arn:aws:iam::${ctx.scope.accountId}:instance-profile${iamPath(properties)}${name}`,
  }),
};

const CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

const vpc: RecordedType = {
  type: 'AWS::EC2::VPC',
  properties: {
    CidrBlock: p(false, true),
    EnableDnsHostnames: p(),
    EnableDnsSupport: p(),
    InstanceTenancy: p(false, true),
    Ipv4IpamPoolId: p(false, true),
    Ipv4NetmaskLength: p(false, true),
    Tags: p(),
  },
  attributes: [
    'CidrBlock',
    'CidrBlockAssociations',
    'DefaultNetworkAcl',
    'DefaultSecurityGroup',
    'Ipv6CidrBlocks',
    'VpcId',
  ],
  validate: (logicalId, properties) =>
    checkPattern(logicalId, properties, 'CidrBlock', CIDR, 'an IPv4 CIDR block'),
  physicalId: () => `vpc-${hexId(17)}`,
  attributesOf: (_ctx, properties, vpcId, previous) => ({
    VpcId: vpcId,
    CidrBlock: stringProperty(properties, 'CidrBlock') ?? '10.0.0.0/16',
    CidrBlockAssociations: previous?.CidrBlockAssociations ?? [`vpc-cidr-assoc-${hexId(17)}`],
    DefaultNetworkAcl: previous?.DefaultNetworkAcl ?? `acl-${hexId(17)}`,
    DefaultSecurityGroup: previous?.DefaultSecurityGroup ?? `sg-${hexId(17)}`,
    Ipv6CidrBlocks: [],
  }),
};

const subnet: RecordedType = {
  type: 'AWS::EC2::Subnet',
  properties: {
    AssignIpv6AddressOnCreation: p(),
    AvailabilityZone: p(false, true),
    AvailabilityZoneId: p(false, true),
    CidrBlock: p(false, true),
    EnableDns64: p(),
    Ipv6CidrBlock: p(false, true),
    Ipv6Native: p(false, true),
    MapPublicIpOnLaunch: p(),
    OutpostArn: p(false, true),
    PrivateDnsNameOptionsOnLaunch: p(),
    Tags: p(),
    VpcId: p(true, true),
  },
  attributes: [
    'AvailabilityZone',
    'AvailabilityZoneId',
    'CidrBlock',
    'Ipv6CidrBlocks',
    'NetworkAclAssociationId',
    'OutpostArn',
    'SubnetId',
    'VpcId',
  ],
  validate: (logicalId, properties) =>
    checkPattern(logicalId, properties, 'CidrBlock', CIDR, 'an IPv4 CIDR block'),
  physicalId: () => `subnet-${hexId(17)}`,
  attributesOf: (ctx, properties, subnetId, previous) => ({
    SubnetId: subnetId,
    VpcId: stringProperty(properties, 'VpcId'),
    CidrBlock: stringProperty(properties, 'CidrBlock'),
    AvailabilityZone: stringProperty(properties, 'AvailabilityZone') ?? `${ctx.scope.region}a`,
    AvailabilityZoneId: `${ctx.scope.region
      .split('-')
      .map((part) => part[0])
      .join('')}-az1`,
    Ipv6CidrBlocks: [],
    NetworkAclAssociationId: previous?.NetworkAclAssociationId ?? `aclassoc-${hexId(17)}`,
    OutpostArn: stringProperty(properties, 'OutpostArn') ?? '',
  }),
};

const securityGroup: RecordedType = {
  type: 'AWS::EC2::SecurityGroup',
  properties: {
    GroupDescription: p(true, true),
    GroupName: p(false, true),
    SecurityGroupEgress: p(),
    SecurityGroupIngress: p(),
    Tags: p(),
    VpcId: p(false, true),
  },
  attributes: ['GroupId', 'VpcId'],
  validate: (logicalId, properties) => {
    const name = stringProperty(properties, 'GroupName');
    if (name?.toLowerCase().startsWith('sg-')) {
      throw propertiesValidationFailed(logicalId, '#/GroupName: a security group name cannot start with sg-');
    }
  },
  physicalId: () => `sg-${hexId(17)}`,
  attributesOf: (_ctx, properties, groupId) => ({
    GroupId: groupId,
    VpcId: stringProperty(properties, 'VpcId') ?? '',
  }),
};

const RULE_PROPERTIES = [
  'CidrIp',
  'CidrIpv6',
  'FromPort',
  'ToPort',
  'IpProtocol',
  'GroupId',
  'GroupName',
  'SourcePrefixListId',
  'SourceSecurityGroupId',
  'SourceSecurityGroupName',
  'SourceSecurityGroupOwnerId',
];

const ingress: RecordedType = {
  type: 'AWS::EC2::SecurityGroupIngress',
  properties: {
    ...Object.fromEntries(RULE_PROPERTIES.map((name) => [name, p(name === 'IpProtocol', true)])),
    Description: p(),
  },
  attributes: ['Id'],
  validate: (logicalId, properties) => {
    if (properties.GroupId === undefined && properties.GroupName === undefined) {
      throw propertiesValidationFailed(logicalId, '#: either GroupId or GroupName is required');
    }
  },
  physicalId: () => `sgr-${hexId(17)}`,
  attributesOf: (_ctx, _properties, id) => ({ Id: id }),
};

const egress: RecordedType = {
  type: 'AWS::EC2::SecurityGroupEgress',
  properties: {
    CidrIp: p(false, true),
    CidrIpv6: p(false, true),
    Description: p(),
    DestinationPrefixListId: p(false, true),
    DestinationSecurityGroupId: p(false, true),
    FromPort: p(false, true),
    GroupId: p(true, true),
    IpProtocol: p(true, true),
    ToPort: p(false, true),
  },
  attributes: ['Id'],
  physicalId: () => `sgr-${hexId(17)}`,
  attributesOf: (_ctx, _properties, id) => ({ Id: id }),
};

const BUCKET_PROPERTIES = [
  'AbacStatus',
  'AccelerateConfiguration',
  'AccessControl',
  'AnalyticsConfigurations',
  'BucketEncryption',
  'CorsConfiguration',
  'IntelligentTieringConfigurations',
  'InventoryConfigurations',
  'LifecycleConfiguration',
  'LoggingConfiguration',
  'MetadataConfiguration',
  'MetadataTableConfiguration',
  'MetricsConfigurations',
  'NotificationConfiguration',
  'ObjectLockConfiguration',
  'ObjectLockEnabled',
  'OwnershipControls',
  'PublicAccessBlockConfiguration',
  'ReplicationConfiguration',
  'Tags',
  'VersioningConfiguration',
  'WebsiteConfiguration',
];

const bucket: RecordedType = {
  type: 'AWS::S3::Bucket',
  properties: {
    ...Object.fromEntries(BUCKET_PROPERTIES.map((name) => [name, p()])),
    BucketName: p(false, true),
  },
  attributes: ['Arn', 'DomainName', 'DualStackDomainName', 'RegionalDomainName', 'WebsiteURL'],
  nameProperty: 'BucketName',
  unique: 'account',
  validate: (logicalId, properties) =>
    checkPattern(
      logicalId,
      properties,
      'BucketName',
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      '3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit',
    ),
  physicalId: (ctx, _properties, name) => name ?? generatedName(ctx, 63, true),
  attributesOf: (ctx, _properties, name) => ({
    Arn: `arn:aws:s3:::${name}`,
    DomainName: `${name}.s3.amazonaws.com`,
    DualStackDomainName: `${name}.s3.dualstack.${ctx.scope.region}.amazonaws.com`,
    RegionalDomainName: `${name}.s3.${ctx.scope.region}.amazonaws.com`,
    WebsiteURL: `http://${name}.s3-website-${ctx.scope.region}.amazonaws.com`,
  }),
};

const ssmParameter: RecordedType = {
  type: 'AWS::SSM::Parameter',
  properties: {
    AllowedPattern: p(),
    DataType: p(false, true),
    Description: p(),
    Name: p(false, true),
    Policies: p(),
    Tags: p(),
    Tier: p(),
    Type: p(true),
    Value: p(true),
  },
  attributes: ['Type', 'Value'],
  nameProperty: 'Name',
  unique: 'region',
  validate: (logicalId, properties) => {
    const type = stringProperty(properties, 'Type');
    if (type !== 'String' && type !== 'StringList') {
      throw propertiesValidationFailed(
        logicalId,
        `#/Type: ${type} is not a valid enum value (String, StringList)`,
      );
    }
    checkPattern(logicalId, properties, 'Name', /^[a-zA-Z0-9_.\-/]{1,2048}$/, 'letters, digits and _.-/');
    const pattern = stringProperty(properties, 'AllowedPattern');
    const value = stringProperty(properties, 'Value') ?? '';
    if (pattern !== undefined && !new RegExp(pattern).test(value)) {
      throw new ResourceFailure(
        `Parameter value, ${value}, failed to satisfy constraint specified by the AllowedPattern ${pattern}`,
      );
    }
  },
  physicalId: (ctx, _properties, name) => name ?? `CFN-${ctx.logicalId}-${randomFrom(UPPER_ALNUM, 12)}`,
  attributesOf: (_ctx, properties) => ({
    Type: stringProperty(properties, 'Type'),
    Value: stringProperty(properties, 'Value'),
  }),
};

const kmsKey: RecordedType = {
  type: 'AWS::KMS::Key',
  properties: {
    BypassPolicyLockoutSafetyCheck: p(),
    Description: p(),
    Enabled: p(),
    EnableKeyRotation: p(),
    KeyPolicy: p(),
    KeySpec: p(),
    KeyUsage: p(),
    MultiRegion: p(),
    Origin: p(),
    PendingWindowInDays: p(),
    RotationPeriodInDays: p(),
    Tags: p(),
  },
  attributes: ['Arn', 'KeyId'],
  physicalId: () => randomUUID(),
  attributesOf: (ctx, _properties, keyId) => ({
    KeyId: keyId,
    Arn: `${arnPrefix(ctx, 'kms', true)}:key/${keyId}`,
  }),
};

const kmsAlias: RecordedType = {
  type: 'AWS::KMS::Alias',
  properties: { AliasName: p(true, true), TargetKeyId: p(true) },
  attributes: [],
  nameProperty: 'AliasName',
  unique: 'region',
  validate: (logicalId, properties) =>
    checkPattern(
      logicalId,
      properties,
      'AliasName',
      /^alias\/[a-zA-Z0-9/_-]+$/,
      'alias/ followed by letters, digits and /_-',
    ),
  physicalId: (_ctx, _properties, name) => name ?? '',
  attributesOf: () => ({}),
};

const waitConditionHandle: RecordedType = {
  type: 'AWS::CloudFormation::WaitConditionHandle',
  properties: {},
  attributes: [],
  physicalId: (ctx) =>
    `https://cloudformation-waitcondition-${ctx.scope.region}.s3.amazonaws.com/${encodeURIComponent(ctx.stackId)}/${ctx.logicalId}?X-Amz-Signature=${hexId(64)}`,
  attributesOf: () => ({}),
};

/** The recorded resource types; see the module comment for what "recorded" means. */
export const recordedResourceProviders: ResourceProvider<unknown>[] = [
  iamRole,
  managedPolicy,
  inlinePolicy,
  instanceProfile,
  vpc,
  subnet,
  securityGroup,
  ingress,
  egress,
  bucket,
  ssmParameter,
  kmsKey,
  kmsAlias,
  waitConditionHandle,
].map(recordedProvider);
