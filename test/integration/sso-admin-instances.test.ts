import { CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  ConflictException,
  CreateInstanceCommand,
  DeleteInstanceCommand,
  DescribeInstanceCommand,
  ListInstancesCommand,
  ResourceNotFoundException,
  SSOAdminClient,
  UpdateInstanceCommand,
  ValidationException,
} from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_SERVICE_ERROR_EXIT, runAws, startTestServer, type TestServer } from '../support/test-server.js';

describe('sso-admin instances through the SDK and the CLI', () => {
  let server: TestServer;
  let client: SSOAdminClient;

  beforeAll(async () => {
    server = await startTestServer();
    client = new SSOAdminClient(server.sdkConfig());
  });
  afterAll(async () => {
    client?.destroy();
    await server?.close();
  });

  it('lists no instances at first', async () => {
    expect((await client.send(new ListInstancesCommand({}))).Instances).toEqual([]);
  });

  it('creates an account instance with its identity store, once per account', async () => {
    const { InstanceArn } = await client.send(
      new CreateInstanceCommand({ Name: 'first', ClientToken: 'token-1' }),
    );
    expect(InstanceArn).toMatch(/^arn:aws:sso:::instance\/ssoins-[0-9a-f]{16}$/);
    // A retry with the same idempotency token returns the same instance.
    const retry = await client.send(new CreateInstanceCommand({ Name: 'first', ClientToken: 'token-1' }));
    expect(retry.InstanceArn).toBe(InstanceArn);
    const second = await client.send(new CreateInstanceCommand({ Name: 'second' })).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(ConflictException);
    expect((second as ConflictException).$metadata.httpStatusCode).toBe(409);

    const described = await client.send(new DescribeInstanceCommand({ InstanceArn }));
    expect(described).toMatchObject({
      InstanceArn,
      Name: 'first',
      OwnerAccountId: server.accountId,
      Status: 'ACTIVE',
      EncryptionConfigurationDetails: { KeyType: 'AWS_OWNED_KMS_KEY', EncryptionStatus: 'ENABLED' },
    });
    expect(described.IdentityStoreId).toMatch(/^d-[0-9a-f]{10}$/);
    expect(described.CreatedDate).toBeInstanceOf(Date);
    const listed = await client.send(new ListInstancesCommand({}));
    expect(listed.Instances).toHaveLength(1);
    expect(listed.Instances?.[0]).toMatchObject({ InstanceArn, IdentityStoreId: described.IdentityStoreId });
  });

  it('updates the name, refuses bad input, and deletes', async () => {
    const [instance] = (await client.send(new ListInstancesCommand({}))).Instances ?? [];
    const InstanceArn = instance?.InstanceArn;
    await client.send(new UpdateInstanceCommand({ InstanceArn, Name: 'renamed' }));
    expect((await client.send(new DescribeInstanceCommand({ InstanceArn }))).Name).toBe('renamed');

    const badName = await client
      .send(new UpdateInstanceCommand({ InstanceArn, Name: 'has space' }))
      .catch((e: unknown) => e);
    expect(badName).toBeInstanceOf(ValidationException);
    expect((badName as Error).message).toBe(
      "1 validation error detected: Value 'has space' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    );
    const missing = await client
      .send(new DescribeInstanceCommand({ InstanceArn: 'arn:aws:sso:::instance/ssoins-0000000000000000' }))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    const noArn = await client.send(new DescribeInstanceCommand({} as never)).catch((e: unknown) => e);
    expect((noArn as Error).message).toBe(
      "1 validation error detected: Value null at 'instanceArn' failed to satisfy constraint: Member must not be null",
    );

    await client.send(new DeleteInstanceCommand({ InstanceArn }));
    expect((await client.send(new ListInstancesCommand({}))).Instances).toEqual([]);
  });

  it('makes the organization instance when the management account calls, and works through the CLI', async () => {
    const organizations = new OrganizationsClient(server.sdkConfig());
    const { Organization } = await organizations.send(new CreateOrganizationCommand({}));
    organizations.destroy();
    expect(Organization?.MasterAccountId).toBe(server.accountId);

    const created = await runAws(server.cliEnv(), ['sso-admin', 'create-instance', '--name', 'org-instance']);
    expect(created.code).toBe(0);
    const { InstanceArn } = created.json as { InstanceArn: string };
    const listed = await runAws(server.cliEnv(), ['sso-admin', 'list-instances']);
    expect(listed.json).toMatchObject({
      Instances: [{ InstanceArn, Name: 'org-instance', Status: 'ACTIVE' }],
    });
    const again = await runAws(server.cliEnv(), ['sso-admin', 'create-instance']);
    expect(CLI_SERVICE_ERROR_EXIT).toContain(again.code);
    expect(again.stderr).toContain('ConflictException');
    const described = await runAws(server.cliEnv(), [
      'sso-admin',
      'describe-instance',
      '--instance-arn',
      InstanceArn,
    ]);
    expect(described.json).toMatchObject({ InstanceArn, OwnerAccountId: server.accountId });
  });
});
