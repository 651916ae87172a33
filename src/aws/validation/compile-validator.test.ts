import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { IdentityStoreOperationName, IdentityStoreOperations } from '../models/identitystore.types.js';
import { loadServiceModel, type ServiceModel, type ServiceName, serviceNames } from '../models/load-model.js';
import type { OrganizationsOperations } from '../models/organizations.types.js';
import type { SageMakerOperations } from '../models/sagemaker.types.js';
import type { SsoAdminOperations } from '../models/sso-admin.types.js';
import {
  compileInputValidator,
  formatValidationMessage,
  MAX_ISSUES,
  unsupportedPatterns,
  type ValidationResult,
} from './compile-validator.js';
import { compileModelPattern, relaxJavaEscapes } from './regex.js';

const STORE = 'd-1234567890';
const UUID = '12345678-1234-1234-1234-123456789012';
const APP_ARN = 'arn:aws:sso::123456789012:application/ssoins-1234567890abcdef/apl-1234567890abcdef';

function validate(service: ServiceName, operation: string, input: unknown): ValidationResult {
  return compileInputValidator(loadServiceModel(service), operation)(input);
}

function message(result: ValidationResult): string {
  if (result.ok) return 'ok';
  return result.kind === 'serialization'
    ? `serialization: ${result.message}`
    : formatValidationMessage(result.issues);
}

describe('compileInputValidator on identitystore', () => {
  it('accepts a typical CreateUser input', () => {
    const result = validate('identitystore', 'CreateUser', {
      IdentityStoreId: STORE,
      UserName: 'jane.doe@example.com',
      DisplayName: 'Jane Doe',
      Name: { GivenName: 'Jane', FamilyName: 'Doe' },
      Emails: [{ Value: 'jane.doe@example.com', Type: 'work', Primary: true }],
      Extensions: { 'aws:identitystore:enterprise': { employeeNumber: '42' } },
      SomethingNew: 'ignored like AWS does',
    });
    expect(result).toEqual({ ok: true });
  });

  it('reports a UserName with a space in the exact AWS wording', () => {
    const result = validate('identitystore', 'CreateUser', { IdentityStoreId: STORE, UserName: 'jane doe' });
    expect(message(result)).toBe(
      "1 validation error detected: Value 'jane doe' at 'userName' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+',
    );
  });

  it('reports each missing required member as null', () => {
    const result = validate('identitystore', 'DescribeUser', {});
    expect(result).toEqual({
      ok: false,
      kind: 'constraint',
      issues: [
        { path: 'identityStoreId', value: null, constraint: 'Member must not be null' },
        { path: 'userId', value: null, constraint: 'Member must not be null' },
      ],
    });
    expect(message(result)).toBe(
      "2 validation errors detected: Value null at 'identityStoreId' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'userId' failed to satisfy constraint: Member must not be null",
    );
  });

  it('treats an explicit null like a missing member', () => {
    expect(message(validate('identitystore', 'DescribeUser', { IdentityStoreId: null, UserId: UUID }))).toBe(
      "1 validation error detected: Value null at 'identityStoreId' failed to satisfy constraint: Member must not be null",
    );
    expect(validate('identitystore', 'ListUsers', { IdentityStoreId: STORE, NextToken: null })).toEqual({
      ok: true,
    });
  });

  it('checks integer ranges', () => {
    expect(message(validate('identitystore', 'ListUsers', { IdentityStoreId: STORE, MaxResults: 0 }))).toBe(
      "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    expect(message(validate('identitystore', 'ListUsers', { IdentityStoreId: STORE, MaxResults: 101 }))).toBe(
      "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
    expect(validate('identitystore', 'ListUsers', { IdentityStoreId: STORE, MaxResults: 100 })).toEqual({
      ok: true,
    });
  });

  it('checks list lengths with the length phrases', () => {
    const emails = [{ Value: 'a@example.com' }, { Value: 'b@example.com' }];
    expect(message(validate('identitystore', 'CreateUser', { IdentityStoreId: STORE, Emails: emails }))).toBe(
      `1 validation error detected: Value '${JSON.stringify(emails)}' at 'emails' failed to satisfy constraint: ` +
        'Member must have length less than or equal to 1',
    );
  });

  it('names list items AWS style: list.<n>.member', () => {
    const result = validate('identitystore', 'UpdateUser', {
      IdentityStoreId: STORE,
      UserId: UUID,
      Operations: [
        { AttributePath: 'displayName', AttributeValue: 'ok' },
        { AttributePath: 'not a path', AttributeValue: 'x' },
      ],
    });
    expect(result.ok || result.kind !== 'constraint' ? [] : result.issues.map((i) => i.path)).toEqual([
      'operations.2.member.attributePath',
    ]);
    const nested = validate('identitystore', 'CreateUser', {
      IdentityStoreId: STORE,
      Emails: [{ Value: 'two\u0001' }],
    });
    expect(nested.ok || nested.kind !== 'constraint' ? [] : nested.issues.map((i) => i.path)).toEqual([
      'emails.1.member.value',
    ]);
  });

  it('lowerCamels nested structure members', () => {
    const result = validate('identitystore', 'CreateUser', {
      IdentityStoreId: STORE,
      Name: { GivenName: '' },
    });
    expect(message(result)).toContain("Value '' at 'name.givenName' failed to satisfy constraint");
  });

  it('requires exactly one member of a union', () => {
    const base = { IdentityStoreId: STORE, GroupId: UUID };
    expect(message(validate('identitystore', 'CreateGroupMembership', { ...base, MemberId: {} }))).toBe(
      "1 validation error detected: Value '{}' at 'memberId' failed to satisfy constraint: Member must have exactly one member set",
    );
    expect(
      validate('identitystore', 'CreateGroupMembership', { ...base, MemberId: { UserId: UUID } }),
    ).toEqual({
      ok: true,
    });
    const both = validate('identitystore', 'GetUserId', {
      IdentityStoreId: STORE,
      AlternateIdentifier: {
        ExternalId: { Issuer: 'idp', Id: '1' },
        UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'jane' },
      },
    });
    expect(both.ok || both.kind !== 'constraint' ? undefined : both.issues[0]?.path).toBe(
      'alternateIdentifier',
    );
  });

  it('accepts any JSON for document members', () => {
    const result = validate('identitystore', 'GetUserId', {
      IdentityStoreId: STORE,
      AlternateIdentifier: {
        UniqueAttribute: { AttributePath: 'emails.value', AttributeValue: [1, { a: null }] },
      },
    });
    expect(result).toEqual({ ok: true });
  });

  it('validates map keys', () => {
    const result = validate('identitystore', 'CreateUser', {
      IdentityStoreId: STORE,
      Extensions: { bad: {} },
    });
    expect(message(result)).toBe(
      "1 validation error detected: Value 'bad' at 'extensions.bad.key' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: aws:identitystore:[a-z]{1,20}',
    );
  });

  it('reports a wrong JSON type as a serialization error, not a constraint', () => {
    expect(validate('identitystore', 'DescribeUser', { IdentityStoreId: 5, UserId: '' })).toEqual({
      ok: false,
      kind: 'serialization',
      message: 'NUMBER_VALUE can not be converted to a String',
    });
    expect(message(validate('identitystore', 'CreateUser', { IdentityStoreId: STORE, Name: 'Jane' }))).toBe(
      'serialization: STRING_VALUE can not be converted to a Structure',
    );
    expect(message(validate('identitystore', 'CreateUser', { IdentityStoreId: STORE, Emails: {} }))).toBe(
      'serialization: Start of structure or map found where not expected.',
    );
    expect(message(validate('identitystore', 'ListUsers', { IdentityStoreId: STORE, MaxResults: 1.5 }))).toBe(
      'serialization: NUMBER_VALUE can not be converted to an Integer',
    );
    expect(message(validate('identitystore', 'ListUsers', []))).toBe(
      'serialization: Start of list found where not expected',
    );
  });

  it('caps the report at ten issues and truncates long values', () => {
    const names = Array.from({ length: 12 }, (_, i) => `bad-${i}`);
    const result = validate('identitystore', 'ListUsers', { IdentityStoreId: STORE, Extensions: names });
    expect(result.ok || result.kind !== 'constraint' ? 0 : result.issues.length).toBe(MAX_ISSUES);
    expect(message(result)).toMatch(/^10 validation errors detected: /);

    const long = validate('identitystore', 'CreateGroup', {
      IdentityStoreId: STORE,
      DisplayName: 'x'.repeat(2000),
    });
    expect(message(long)).toBe(
      `1 validation error detected: Value '${'x'.repeat(256)}...' at 'displayName' failed to satisfy constraint: ` +
        'Member must have length less than or equal to 1024',
    );
  });
});

describe('compileInputValidator on the other services', () => {
  it('checks enums in sso-admin', () => {
    const result = validate('sso-admin', 'CreateApplicationAssignment', {
      ApplicationArn: APP_ARN,
      PrincipalId: UUID,
      PrincipalType: 'ROBOT',
    });
    expect(message(result)).toBe(
      "1 validation error detected: Value 'ROBOT' at 'principalType' failed to satisfy constraint: " +
        'Member must satisfy enum value set: [USER, GROUP]',
    );
  });

  it('follows nested SageMaker settings', () => {
    const result = validate('sagemaker', 'CreateDomain', {
      DomainName: 'studio',
      AuthMode: 'SSO',
      DefaultUserSettings: { ExecutionRole: 'arn:aws:iam::123456789012:user/not-a-role' },
    });
    expect(message(result)).toBe(
      "1 validation error detected: Value 'arn:aws:iam::123456789012:user/not-a-role' at " +
        "'defaultUserSettings.executionRole' failed to satisfy constraint: Member must satisfy regular expression " +
        'pattern: arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+',
    );
  });

  it('checks enums inside lists of scalars in cloudformation', () => {
    const validateListStacks = compileInputValidator(loadServiceModel('cloudformation'), 'ListStacks');
    expect(validateListStacks({ StackStatusFilter: ['CREATE_COMPLETE'] })).toEqual({ ok: true });
    expect(message(validateListStacks({ StackStatusFilter: ['NOPE'] }))).toContain(
      "Value 'NOPE' at 'stackStatusFilter.1.member' failed to satisfy constraint: Member must satisfy enum value set: [",
    );
  });

  it('lets operations without an input through and rejects unknown operations at compile time', () => {
    expect(validate('organizations', 'DescribeOrganization', { Anything: 1 })).toEqual({ ok: true });
    expect(() => compileInputValidator(loadServiceModel('organizations'), 'CloseAccount')).toThrow(
      /CloseAccount/,
    );
  });
});

describe('compileInputValidator on shapes the served operations do not use', () => {
  // No served input has a timestamp, blob, float or recursive shape; a small model covers them.
  const model: ServiceModel = {
    metadata: { apiVersion: '2024-01-01', endpointPrefix: 'test', protocol: 'json', serviceId: 'Test' },
    operations: { Put: { name: 'Put', input: 'PutRequest', errors: [] } },
    paginators: {},
    shapes: {
      PutRequest: {
        type: 'structure',
        members: {
          At: { shape: 'Stamp' },
          Data: { shape: 'Bytes' },
          Ratio: { shape: 'Ratio' },
          Tree: { shape: 'Node' },
        },
      },
      Stamp: { type: 'timestamp' },
      Bytes: { type: 'blob', max: 3 },
      Ratio: { type: 'double', min: 0, max: 1 },
      Node: { type: 'structure', members: { Name: { shape: 'Label' }, Children: { shape: 'Nodes' } } },
      Nodes: { type: 'list', member: { shape: 'Node' } },
      Label: { type: 'string', min: 1 },
    },
  };
  const validatePut = compileInputValidator(model, 'Put');

  it('accepts epoch seconds and ISO-8601 strings for timestamps', () => {
    expect(validatePut({ At: 1733300000.123 })).toEqual({ ok: true });
    expect(validatePut({ At: '2024-12-04T10:00:00.123Z' })).toEqual({ ok: true });
    expect(message(validatePut({ At: 'yesterday' }))).toMatch(/^serialization: /);
    expect(message(validatePut({ At: true }))).toBe(
      'serialization: BOOLEAN_VALUE can not be converted to a Timestamp',
    );
  });

  it('measures blobs in decoded bytes', () => {
    expect(validatePut({ Data: 'YWJj' })).toEqual({ ok: true });
    expect(message(validatePut({ Data: 'YWJjZA==' }))).toBe(
      "1 validation error detected: Value 'YWJjZA==' at 'data' failed to satisfy constraint: Member must have length less than or equal to 3",
    );
    expect(message(validatePut({ Data: 'not base64!' }))).toMatch(/^serialization: /);
  });

  it('checks double ranges and recursive shapes', () => {
    expect(message(validatePut({ Ratio: 1.5 }))).toContain('Member must have value less than or equal to 1');
    const tree = { Name: 'root', Children: [{ Name: 'a', Children: [{ Name: '' }] }] };
    expect(message(validatePut({ Tree: tree }))).toContain(
      "at 'tree.children.1.member.children.1.member.name'",
    );
  });
});

describe('model patterns', () => {
  it('compiles every pattern in the five trimmed models', () => {
    let count = 0;
    for (const service of serviceNames) {
      for (const shape of Object.values(loadServiceModel(service).shapes)) {
        if (shape.pattern === undefined) continue;
        count++;
        expect(compileModelPattern(shape.pattern), shape.pattern).toBeInstanceOf(RegExp);
      }
    }
    expect(count).toBeGreaterThan(60);
    expect(unsupportedPatterns).toEqual([]);
  });

  it("rewrites Java escapes that the u flag rejects (organizations' Path)", () => {
    const path = loadServiceModel('organizations').shapes.Path?.pattern ?? '';
    expect(relaxJavaEscapes(path)).not.toBe(path);
    const regex = compileModelPattern(path);
    expect(regex?.flags).toBe('u');
    expect(regex?.test('o-abcdefghij/r-ab12/ou-ab12-abcdefgh/')).toBe(true);
  });
});

describe('generated models and types', () => {
  const served = JSON.parse(
    readFileSync(new URL('../../../scripts/served-operations.json', import.meta.url), 'utf8'),
  ) as Record<ServiceName, string[]>;

  it.each(serviceNames)('%s serves exactly the listed operations', (service) => {
    const model = loadServiceModel(service);
    expect(Object.keys(model.operations).sort()).toEqual([...served[service]].sort());
    const typesUrl = new URL(`../models/${service}.types.ts`, import.meta.url);
    expect(existsSync(typesUrl)).toBe(true);
    const types = readFileSync(typesUrl, 'utf8');
    expect(types.startsWith('// generated by scripts/trim-models.ts; do not edit')).toBe(true);
    for (const operation of served[service]) expect(types).toContain(`\n  ${operation}: {`);
  });

  it('exposes operation input and output types', () => {
    const input: IdentityStoreOperations['CreateUser']['input'] = { IdentityStoreId: STORE };
    const listed: SsoAdminOperations['ListInstances']['output'] = {
      Instances: [{ CreatedDate: new Date(0) }],
    };
    const domain: SageMakerOperations['CreateDomain']['input'] = {
      DomainName: 'studio',
      AuthMode: 'SSO',
      DefaultUserSettings: {},
    };
    expect(validate('identitystore', 'CreateUser', input)).toEqual({ ok: true });
    expect(listed.Instances).toHaveLength(1);
    expect(domain.AuthMode).toBe('SSO');
    expectTypeOf<OrganizationsOperations['DescribeOrganization']['input']>().toEqualTypeOf<
      Record<string, never>
    >();
    expectTypeOf<IdentityStoreOperationName>().toEqualTypeOf<
      | 'CreateGroup'
      | 'CreateGroupMembership'
      | 'CreateUser'
      | 'DeleteGroup'
      | 'DeleteGroupMembership'
      | 'DeleteUser'
      | 'DescribeGroup'
      | 'DescribeGroupMembership'
      | 'DescribeUser'
      | 'GetGroupId'
      | 'GetGroupMembershipId'
      | 'GetUserId'
      | 'IsMemberInGroups'
      | 'ListGroupMemberships'
      | 'ListGroupMembershipsForMember'
      | 'ListGroups'
      | 'ListUsers'
      | 'UpdateGroup'
      | 'UpdateUser'
    >();
  });
});
