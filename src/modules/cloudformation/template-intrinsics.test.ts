// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not JavaScript's
import { describe, expect, it } from 'vitest';
import { cidrSubnets } from './cidr.js';
import { readTemplate } from './template.js';
import { collectReferences, planResources } from './template-analysis.js';
import {
  type EvaluationContext,
  evaluate,
  evaluateConditions,
  NO_VALUE,
  parseSub,
  type ResourceValues,
} from './template-intrinsics.js';
import { resolveParameters } from './template-parameters.js';
import { parseTemplateBody } from './template-parser.js';

const resources: ResourceValues = {
  ref: (id) => `${id}-physical`,
  attribute: (id, attribute) => (attribute === 'List' ? ['x', 'y'] : `${id}.${attribute}-value`),
};

const context = (overrides: Partial<EvaluationContext> = {}): EvaluationContext => ({
  section: 'Resources',
  parameters: new Map<string, string | string[]>([
    ['Env', 'prod'],
    ['Subnets', ['subnet-a', 'subnet-b']],
    ['Count', '3'],
  ]),
  pseudo: {
    accountId: '123456789012',
    region: 'eu-west-1',
    stackName: 'demo',
    stackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/demo/1',
    notificationArns: [],
  },
  mappings: { Regions: { 'eu-west-1': { Image: 'ami-eu', Zones: ['a', 'b'] } } },
  resourceIds: new Set(['Role', 'Domain']),
  condition: (name) => name === 'IsProd',
  resources,
  importValue: (name) => (name === 'shared-vpc' ? 'vpc-123' : `imported:${name}`),
  ...overrides,
});

const yaml = (text: string): unknown => parseTemplateBody(text).document;

describe('YAML short tags', () => {
  it('become the long form of each function', () => {
    expect(
      yaml(`a: !Ref Env
b: !GetAtt Role.Arn
c: !GetAtt Bucket.Metadata.Key
d: !Sub 'x-\${Env}'
e: !Sub ['\${A}', { A: !Ref Env }]
f: !If [IsProd, !Ref Env, !Ref 'AWS::NoValue']
g: !Join [',', [a, b]]
h: !Select [0, !GetAZs '']
i: !Split [',', 'a,b']
j: !Equals [!Ref Env, prod]
k: !And [!Condition A, !Not [!Condition B]]
l: !Or [!Condition A, !Condition B]
m: !FindInMap [Regions, !Ref 'AWS::Region', Image]
n: !Base64 hello
o: !Cidr [10.0.0.0/16, 2, 8]
p: !ImportValue shared-vpc
q: !GetAtt [Role, Arn]
v: 2012-10-17
`),
    ).toEqual({
      a: { Ref: 'Env' },
      b: { 'Fn::GetAtt': ['Role', 'Arn'] },
      c: { 'Fn::GetAtt': ['Bucket', 'Metadata.Key'] },
      d: { 'Fn::Sub': 'x-${Env}' },
      e: { 'Fn::Sub': ['${A}', { A: { Ref: 'Env' } }] },
      f: { 'Fn::If': ['IsProd', { Ref: 'Env' }, { Ref: 'AWS::NoValue' }] },
      g: { 'Fn::Join': [',', ['a', 'b']] },
      h: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
      i: { 'Fn::Split': [',', 'a,b'] },
      j: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
      k: { 'Fn::And': [{ Condition: 'A' }, { 'Fn::Not': [{ Condition: 'B' }] }] },
      l: { 'Fn::Or': [{ Condition: 'A' }, { Condition: 'B' }] },
      m: { 'Fn::FindInMap': ['Regions', { Ref: 'AWS::Region' }, 'Image'] },
      n: { 'Fn::Base64': 'hello' },
      o: { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] },
      p: { 'Fn::ImportValue': 'shared-vpc' },
      q: { 'Fn::GetAtt': ['Role', 'Arn'] },
      // YAML 1.2's core schema, as CloudFormation reads it: a policy Version stays a string.
      v: '2012-10-17',
    });
  });

  it('are refused when unknown, as are duplicate keys and broken JSON', () => {
    expect(() => yaml('a: !Bogus x')).toThrow(
      /^Template format error: YAML not well-formed\. Unsupported tag !Bogus/,
    );
    expect(() => yaml('a: 1\na: 2')).toThrow(/^Template format error: YAML not well-formed/);
    expect(() => parseTemplateBody('{ "Resources": ')).toThrow(
      /^Template format error: JSON not well-formed/,
    );
  });
});

describe('intrinsic functions', () => {
  const ctx = context();

  it('Ref: parameters, resources and pseudo parameters; AWS::NoValue removes what it stands for', () => {
    expect(
      evaluate(
        {
          env: { Ref: 'Env' },
          subnets: { Ref: 'Subnets' },
          role: { Ref: 'Role' },
          account: { Ref: 'AWS::AccountId' },
          region: { Ref: 'AWS::Region' },
          stack: { Ref: 'AWS::StackName' },
          id: { Ref: 'AWS::StackId' },
          partition: { Ref: 'AWS::Partition' },
          suffix: { Ref: 'AWS::URLSuffix' },
          gone: { Ref: 'AWS::NoValue' },
          list: ['a', { Ref: 'AWS::NoValue' }, 'b'],
        },
        ctx,
      ),
    ).toEqual({
      env: 'prod',
      subnets: ['subnet-a', 'subnet-b'],
      role: 'Role-physical',
      account: '123456789012',
      region: 'eu-west-1',
      stack: 'demo',
      id: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/demo/1',
      partition: 'aws',
      suffix: 'amazonaws.com',
      list: ['a', 'b'],
    });
    expect(
      evaluate({ Ref: 'AWS::Partition' }, context({ pseudo: { ...ctx.pseudo, region: 'cn-north-1' } })),
    ).toBe('aws-cn');
    expect(() => evaluate({ Ref: 'Missing' }, ctx)).toThrow(
      'Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template',
    );
    expect(() => evaluate({ Ref: 'Missing' }, context({ section: 'Outputs' }))).toThrow(
      'Template format error: Unresolved resource dependencies [Missing] in the Outputs block of the template',
    );
  });

  it('Fn::GetAtt in its list and dotted forms', () => {
    expect(evaluate({ 'Fn::GetAtt': ['Role', 'Arn'] }, ctx)).toBe('Role.Arn-value');
    expect(evaluate({ 'Fn::GetAtt': 'Domain.DomainId' }, ctx)).toBe('Domain.DomainId-value');
    expect(evaluate({ 'Fn::GetAtt': ['Role', { Ref: 'Env' }] }, ctx)).toBe('Role.prod-value');
    expect(() => evaluate({ 'Fn::GetAtt': ['Nope', 'Arn'] }, ctx)).toThrow(
      'Template error: instance of Fn::GetAtt references undefined resource Nope',
    );
  });

  it('Fn::Sub in both forms, with GetAtt variables and ${!Literal}', () => {
    expect(parseSub('a-${X}-${!Y}-${R.Arn}')).toEqual([
      { literal: 'a-' },
      { variable: 'X' },
      { literal: '-${Y}-' },
      { variable: 'R.Arn' },
    ]);
    expect(evaluate({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Env}-${Role.Arn}-${!Keep}' }, ctx)).toBe(
      'arn:aws:s3:::prod-Role.Arn-value-${Keep}',
    );
    expect(
      evaluate({ 'Fn::Sub': ['${Name}/${AWS::Region}', { Name: { 'Fn::Join': ['-', ['a', 'b']] } }] }, ctx),
    ).toBe('a-b/eu-west-1');
    expect(() => evaluate({ 'Fn::Sub': '${Subnets}' }, ctx)).toThrow(/list: use Fn::Join/);
    expect(() => evaluate({ 'Fn::Sub': '${Nope}' }, ctx)).toThrow(
      /Unresolved resource dependencies \[Nope\]/,
    );
  });

  it('Fn::Join, Fn::Select, Fn::Split, Fn::Base64, Fn::GetAZs, Fn::FindInMap', () => {
    expect(evaluate({ 'Fn::Join': [',', { Ref: 'Subnets' }] }, ctx)).toBe('subnet-a,subnet-b');
    expect(evaluate({ 'Fn::Join': ['', ['a', 1, true]] }, ctx)).toBe('a1true');
    expect(evaluate({ 'Fn::Select': ['1', { Ref: 'Subnets' }] }, ctx)).toBe('subnet-b');
    expect(() => evaluate({ 'Fn::Select': [5, { Ref: 'Subnets' }] }, ctx)).toThrow(
      'Template error: Fn::Select cannot select nonexistent value at index 5',
    );
    expect(evaluate({ 'Fn::Split': ['|', 'a|b||c'] }, ctx)).toEqual(['a', 'b', '', 'c']);
    expect(evaluate({ 'Fn::Select': [0, { 'Fn::Split': ['|', { Ref: 'Role' }] }] }, ctx)).toBe(
      'Role-physical',
    );
    expect(evaluate({ 'Fn::Base64': { 'Fn::Sub': '#!/bin/sh\necho ${Env}' } }, ctx)).toBe(
      Buffer.from('#!/bin/sh\necho prod').toString('base64'),
    );
    expect(evaluate({ 'Fn::GetAZs': '' }, ctx)).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(evaluate({ 'Fn::GetAZs': { Ref: 'AWS::Region' } }, ctx)).toEqual([
      'eu-west-1a',
      'eu-west-1b',
      'eu-west-1c',
    ]);
    expect(evaluate({ 'Fn::FindInMap': ['Regions', { Ref: 'AWS::Region' }, 'Image'] }, ctx)).toBe('ami-eu');
    expect(evaluate({ 'Fn::FindInMap': ['Regions', 'eu-west-1', 'Zones'] }, ctx)).toEqual(['a', 'b']);
    expect(() => evaluate({ 'Fn::FindInMap': ['Regions', 'us-east-1', 'Image'] }, ctx)).toThrow(
      'Template error: Unable to get mapping for Regions::us-east-1::Image',
    );
    expect(() => evaluate({ 'Fn::Join': ['-'] }, ctx)).toThrow(
      /every Fn::Join object requires two parameters/,
    );
  });

  it('Fn::If, Fn::Equals, Fn::And, Fn::Or, Fn::Not and Condition', () => {
    expect(evaluate({ 'Fn::If': ['IsProd', 'big', 'small'] }, ctx)).toBe('big');
    expect(evaluate({ a: { 'Fn::If': ['IsDev', 'x', { Ref: 'AWS::NoValue' }] } }, ctx)).toEqual({});
    expect(evaluate({ 'Fn::If': ['IsDev', 'x', { Ref: 'AWS::NoValue' }] }, ctx)).toBe(NO_VALUE);
    const conditions = evaluateConditions(
      {
        IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
        HasThree: { 'Fn::Equals': [{ Ref: 'Count' }, 3] },
        Both: { 'Fn::And': [{ Condition: 'IsProd' }, { Condition: 'HasThree' }] },
        Either: { 'Fn::Or': [{ 'Fn::Not': [{ Condition: 'IsProd' }] }, { Condition: 'HasThree' }] },
        Neither: { 'Fn::Not': [{ Condition: 'Either' }] },
        InEurope: {
          'Fn::Equals': [{ 'Fn::Select': [0, { 'Fn::Split': ['-', { Ref: 'AWS::Region' }] }] }, 'eu'],
        },
      },
      {
        parameters: ctx.parameters,
        pseudo: ctx.pseudo,
        mappings: ctx.mappings,
        resourceIds: ctx.resourceIds,
      },
    );
    expect(Object.fromEntries(conditions)).toEqual({
      IsProd: true,
      HasThree: true,
      Both: true,
      Either: true,
      Neither: false,
      InEurope: true,
    });
    expect(() =>
      evaluateConditions(
        { A: { Condition: 'B' }, B: { Condition: 'A' } },
        {
          parameters: ctx.parameters,
          pseudo: ctx.pseudo,
          mappings: ctx.mappings,
          resourceIds: ctx.resourceIds,
        },
      ),
    ).toThrow('Template format error: Circular dependency between conditions: [A, B, A]');
    expect(() =>
      evaluateConditions(
        { A: { 'Fn::Equals': [{ Ref: 'Role' }, 'x'] } },
        {
          parameters: ctx.parameters,
          pseudo: ctx.pseudo,
          mappings: ctx.mappings,
          resourceIds: ctx.resourceIds,
        },
      ),
    ).toThrow(
      'Template format error: Unresolved dependencies [Role]. Cannot reference resources in the Conditions block of the template',
    );
  });

  it('Fn::ImportValue, Fn::Cidr, and unsupported functions', () => {
    expect(evaluate({ 'Fn::ImportValue': { 'Fn::Sub': 'shared-${Env}' } }, ctx)).toBe('imported:shared-prod');
    expect(evaluate({ 'Fn::ImportValue': 'shared-vpc' }, ctx)).toBe('vpc-123');
    expect(() => evaluate({ 'Fn::ImportValue': { Ref: 'Role' } }, ctx)).toThrow(
      /Fn::ImportValue cannot depend on resource Role/,
    );
    expect(evaluate({ 'Fn::Cidr': ['10.0.0.0/16', 3, 8] }, ctx)).toEqual([
      '10.0.0.0/24',
      '10.0.1.0/24',
      '10.0.2.0/24',
    ]);
    expect(cidrSubnets('192.168.0.0/24', 4, 6)).toEqual([
      '192.168.0.0/26',
      '192.168.0.64/26',
      '192.168.0.128/26',
      '192.168.0.192/26',
    ]);
    expect(cidrSubnets('2600:1f16:ab:2e00::/56', 2, 64)).toEqual([
      '2600:1f16:ab:2e00::/64',
      '2600:1f16:ab:2e01::/64',
    ]);
    expect(() => cidrSubnets('10.0.0.0/24', 2, 9)).toThrow(/do not fit/);
    expect(() => evaluate({ 'Fn::Length': [1, 2] }, ctx)).toThrow(
      /^Template format error: Encountered unsupported function: Fn::Length/,
    );
  });
});

describe('parameters', () => {
  const declarations = readTemplate(`Parameters:
  Name: { Type: String, MinLength: 2, MaxLength: 5, AllowedPattern: '[a-z]+' }
  Size: { Type: Number, MinValue: 1, MaxValue: 10, Default: 3 }
  Vpc: { Type: 'AWS::EC2::VPC::Id' }
  Subnets: { Type: 'List<AWS::EC2::Subnet::Id>' }
  Tier: { Type: String, AllowedValues: [dev, prod], Default: dev, ConstraintDescription: dev or prod only }
  Secret: { Type: String, NoEcho: true, Default: x }
  Optional: { Type: CommaDelimitedList, Default: '' }
Resources:
  P: { Type: AWS::SSM::Parameter, Properties: { Type: String, Value: v } }
`).parameters;
  const given = (extra: Record<string, string> = {}) =>
    Object.entries({ Name: 'abc', Vpc: 'vpc-0abc', Subnets: 'subnet-1, subnet-2', ...extra }).map(
      ([key, value]) => ({ key, value }),
    );

  it('resolves values, defaults and lists', async () => {
    const resolved = await resolveParameters(declarations, given());
    expect(Object.fromEntries(resolved.values)).toEqual({
      Name: 'abc',
      Size: '3',
      Vpc: 'vpc-0abc',
      Subnets: ['subnet-1', 'subnet-2'],
      Tier: 'dev',
      Secret: 'x',
      Optional: [''],
    });
    expect(resolved.parameters.find((p) => p.key === 'Secret')).toEqual({ key: 'Secret', value: 'x' });
  });

  it('refuses what the declarations do not allow, in CloudFormation words', async () => {
    await expect(resolveParameters(declarations, given({ Name: 'a' }))).rejects.toThrow(
      "Parameter 'Name' must contain at least 2 characters",
    );
    await expect(resolveParameters(declarations, given({ Name: 'abcdef' }))).rejects.toThrow(
      "Parameter 'Name' must contain at most 5 characters",
    );
    await expect(resolveParameters(declarations, given({ Name: 'AB' }))).rejects.toThrow(
      "Parameter 'Name' must match pattern [a-z]+",
    );
    await expect(resolveParameters(declarations, given({ Size: '11' }))).rejects.toThrow(
      "Parameter 'Size' must be a number not greater than 10",
    );
    await expect(resolveParameters(declarations, given({ Size: 'x' }))).rejects.toThrow(
      "Parameter 'Size' must be a number",
    );
    await expect(resolveParameters(declarations, given({ Tier: 'qa' }))).rejects.toThrow(
      "Parameter 'Tier' failed to satisfy constraint: dev or prod only",
    );
    await expect(resolveParameters(declarations, given({ Vpc: 'subnet-1' }))).rejects.toThrow(
      "Parameter validation failed: parameter value 'subnet-1' for parameter name Vpc is not a VPC ID (vpc-…).",
    );
    await expect(resolveParameters(declarations, [{ key: 'Name', value: 'abc' }])).rejects.toThrow(
      'Parameters: [Vpc, Subnets] must have values',
    );
    await expect(resolveParameters(declarations, given({ Other: 'x' }))).rejects.toThrow(
      'Parameters: [Other] do not exist in the template',
    );
  });
});

describe('the resources a stack has, and their order', () => {
  const template = readTemplate(`Conditions:
  WithApp: !Equals [a, b]
Resources:
  Domain: { Type: AWS::SageMaker::Domain, Properties: { DomainName: d } }
  Profile:
    Type: AWS::SageMaker::UserProfile
    Properties: { DomainId: !Ref Domain, UserProfileName: !Sub '\${Domain.DomainId}-p' }
  App:
    Type: AWS::SageMaker::App
    Condition: WithApp
    DependsOn: Profile
    Properties: { DomainId: !GetAtt Domain.DomainId }
  Group: { Type: AWS::IdentityStore::Group, Properties: { DisplayName: !If [WithApp, !Ref App, plain] } }
`);

  it('follows Ref, Fn::GetAtt, Fn::Sub and DependsOn, and only the Fn::If branch the conditions take', () => {
    const plan = planResources(template, new Map([['WithApp', false]]));
    expect(plan.resources.map((r) => r.logicalId)).toEqual(['Domain', 'Profile', 'Group']);
    expect(Object.fromEntries([...plan.dependencies].map(([id, deps]) => [id, [...deps]]))).toEqual({
      Domain: [],
      Profile: ['Domain'],
      Group: [],
    });
    expect(() =>
      planResources(
        readTemplate(`Resources:
  A: { Type: AWS::SSM::Parameter, Condition: Never, Properties: { Type: String, Value: x } }
  B: { Type: AWS::SSM::Parameter, Properties: { Type: String, Value: !Ref A } }
Conditions:
  Never: !Equals [a, b]
`),
        new Map([['Never', false]]),
      ),
    ).toThrow(
      'Template format error: Unresolved resource dependencies [A] in the Resources block of the template',
    );
    const references = collectReferences(template.resources[3]?.properties);
    expect([...references.refs]).toEqual(['App']);
    expect([...references.conditions]).toEqual(['WithApp']);
  });

  it('refuses templates without resources, with bad names or unknown sections', () => {
    expect(() => readTemplate('Description: nothing')).toThrow(
      'Template format error: At least one Resources member must be defined.',
    );
    expect(() => readTemplate('Resources:\n  my_bucket: { Type: AWS::S3::Bucket }')).toThrow(
      'Template format error: Resource name my_bucket is non alphanumeric.',
    );
    expect(() => readTemplate('Resourcez: {}\nResources:\n  B: { Type: AWS::S3::Bucket }')).toThrow(
      'Template format error: Invalid template property or properties [Resourcez]',
    );
    expect(() => readTemplate('Resources:\n  B: { Type: AWS::S3::Bucket, DependsOn: C }')).toThrow(
      'Template format error: Unresolved resource dependencies [C] in the Resources block of the template',
    );
    expect(() =>
      readTemplate('Parameters:\n  P: { Type: Strng }\nResources:\n  B: { Type: AWS::S3::Bucket }'),
    ).toThrow('Template format error: Unrecognized parameter type: Strng (parameter P)');
  });
});
