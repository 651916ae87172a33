import {
  AccountNotFoundException,
  AlreadyInOrganizationException,
  AWSOrganizationsNotInUseException,
  CreateOrganizationCommand,
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  InvalidInputException,
  ListAccountsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_SERVICE_ERROR_EXIT, runAws, startTestServer, type TestServer } from '../support/test-server.js';

describe('organizations through the SDK and the CLI', () => {
  let server: TestServer;
  let client: OrganizationsClient;

  beforeAll(async () => {
    server = await startTestServer();
    client = new OrganizationsClient(server.sdkConfig());
  });
  afterAll(async () => {
    client?.destroy();
    await server?.close();
  });

  it('refuses to describe an organization that does not exist yet', async () => {
    const error = await client.send(new DescribeOrganizationCommand({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AWSOrganizationsNotInUseException);
    expect((error as AWSOrganizationsNotInUseException).$metadata.httpStatusCode).toBe(404);
    const cli = await runAws(server.cliEnv(), ['organizations', 'list-accounts']);
    expect(CLI_SERVICE_ERROR_EXIT).toContain(cli.code);
    expect(cli.stderr).toContain('AWSOrganizationsNotInUseException');
  });

  it('creates the organization with the caller as management account, e-mail unverified', async () => {
    const { Organization } = await client.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    expect(Organization?.Id).toMatch(/^o-[a-z0-9]{10}$/);
    expect(Organization?.MasterAccountId).toBe(server.accountId);
    expect(Organization?.Arn).toBe(
      `arn:aws:organizations::${server.accountId}:organization/${Organization?.Id}`,
    );
    expect(Organization?.MasterAccountArn).toBe(
      `arn:aws:organizations::${server.accountId}:account/${Organization?.Id}/${server.accountId}`,
    );
    expect(Organization?.MasterAccountEmail).toBe('admin@studio-sso.local');
    expect(Organization?.AvailablePolicyTypes).toEqual([
      { Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' },
    ]);

    const described = await client.send(new DescribeOrganizationCommand({}));
    expect(described.Organization).toEqual(Organization);
  });

  it('refuses a second organization for the same account', async () => {
    const error = await client.send(new CreateOrganizationCommand({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlreadyInOrganizationException);
    expect((error as AlreadyInOrganizationException).$metadata.httpStatusCode).toBe(409);
  });

  it('lists and describes the management account', async () => {
    const { Accounts, NextToken } = await client.send(new ListAccountsCommand({}));
    expect(NextToken).toBeUndefined();
    expect(Accounts).toHaveLength(1);
    const [account] = Accounts ?? [];
    expect(account).toMatchObject({
      Id: server.accountId,
      Status: 'ACTIVE',
      State: 'ACTIVE',
      JoinedMethod: 'INVITED',
    });
    expect(account?.JoinedTimestamp).toBeInstanceOf(Date);
    const { Account } = await client.send(new DescribeAccountCommand({ AccountId: server.accountId }));
    expect(Account).toEqual(account);
  });

  it('answers unknown and malformed account IDs as AWS does', async () => {
    const unknown = await client
      .send(new DescribeAccountCommand({ AccountId: '111122223333' }))
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(AccountNotFoundException);
    const malformed = await client
      .send(new DescribeAccountCommand({ AccountId: 'abc' }))
      .catch((e: unknown) => e);
    expect(malformed).toBeInstanceOf(InvalidInputException);
    expect((malformed as InvalidInputException).Reason).toBe('INVALID_PATTERN');
    expect((malformed as Error).message).toBe(
      "1 validation error detected: Value 'abc' at 'accountId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^\\d{12}$",
    );
    const tooMany = await client.send(new ListAccountsCommand({ MaxResults: 21 })).catch((e: unknown) => e);
    expect(tooMany).toBeInstanceOf(InvalidInputException);
    expect((tooMany as InvalidInputException).Reason).toBe('MAX_VALUE_EXCEEDED');
  });

  it('works through the aws CLI', async () => {
    const org = await runAws(server.cliEnv(), ['organizations', 'describe-organization']);
    expect(org.code).toBe(0);
    expect(org.json).toMatchObject({
      Organization: { MasterAccountId: server.accountId, FeatureSet: 'ALL' },
    });
    const accounts = await runAws(server.cliEnv(), ['organizations', 'list-accounts']);
    expect(accounts.json).toMatchObject({ Accounts: [{ Id: server.accountId }] });
    const account = await runAws(server.cliEnv(), [
      'organizations',
      'describe-account',
      '--account-id',
      server.accountId,
    ]);
    expect(account.json).toMatchObject({
      Account: { Id: server.accountId, Email: 'admin@studio-sso.local' },
    });
    const again = await runAws(server.cliEnv(), ['organizations', 'create-organization']);
    expect(CLI_SERVICE_ERROR_EXIT).toContain(again.code);
    expect(again.stderr).toContain('AlreadyInOrganizationException');
  });
});
