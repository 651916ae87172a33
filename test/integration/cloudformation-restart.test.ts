import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { IdentitystoreClient, ListGroupsCommand } from '@aws-sdk/client-identitystore';
import { CreateInstanceCommand, DescribeInstanceCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { afterEach, describe, expect, it } from 'vitest';
import { eventLines, settledStack } from '../support/cloudformation.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import {
  dropSchema,
  postgresUnavailableReason,
  TEST_DATABASE_URL,
  testDialects,
  uniqueSchemaName,
} from '../support/test-databases.js';
import { newTestCredentials } from '../support/test-server.js';

/**
 * A server process killed (SIGKILL: no chance to tidy up) between two resources of a stack
 * operation, and a new one started on the same data: the new process takes over the stack once the
 * dead one's lease has run out and finishes the operation; every group the stack made is recorded
 * by the stack, none twice, none missing.
 */

const CHAIN = `Parameters:
  StoreId:
    Type: String
Resources:
  First:
    Type: AWS::IdentityStore::Group
    Properties: { IdentityStoreId: !Ref StoreId, DisplayName: first }
  Second:
    Type: AWS::IdentityStore::Group
    DependsOn: First
    Properties: { IdentityStoreId: !Ref StoreId, DisplayName: second }
  Third:
    Type: AWS::IdentityStore::Group
    DependsOn: Second
    Properties: { IdentityStoreId: !Ref StoreId, DisplayName: third }
  Fourth:
    Type: AWS::IdentityStore::Group
    DependsOn: Third
    Properties: { IdentityStoreId: !Ref StoreId, DisplayName: !Sub '\${AWS::StackName} fourth' }
`;

const pgUnavailable = await postgresUnavailableReason();

for (const dialect of testDialects()) {
  const skipReason = dialect === 'postgres' ? pgUnavailable : undefined;

  describe.skipIf(skipReason !== undefined)(
    `a stack operation across a server restart on ${dialect}${skipReason ? ` (skipped: ${skipReason})` : ''}`,
    () => {
      const credentials = newTestCredentials();
      const running: ServerProcess[] = [];
      let cleanup: () => Promise<void> = async () => {};

      afterEach(async () => {
        for (const server of running.splice(0)) await server.stop();
        await cleanup();
      });

      it('finishes the operation a killed process left, with no orphaned resources', async () => {
        const env: Record<string, string> = {
          STUDIO_SSO_ROOT_ACCESS_KEY_ID: credentials.accessKeyId,
          STUDIO_SSO_ROOT_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        };
        if (dialect === 'postgres') {
          const schema = uniqueSchemaName();
          Object.assign(env, { DATABASE_URL: TEST_DATABASE_URL, STUDIO_SSO_DATABASE_SCHEMA: schema });
          cleanup = () => dropSchema(schema);
        } else {
          const dataDir = mkdtempSync(path.join(tmpdir(), 'studio-sso-restart-'));
          env.STUDIO_SSO_DATA = dataDir;
          cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
        }
        const clients = (url: string) => {
          const config = { endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 };
          return {
            cfn: new CloudFormationClient(config),
            sso: new SSOAdminClient(config),
            identity: new IdentitystoreClient(config),
          };
        };

        // The first process pauses after every step, so that it can be killed between two resources.
        const first = await startServerProcess({ ...env, STUDIO_SSO_TEST_CFN_STEP_DELAY_MS: '1000' });
        running.push(first);
        const a = clients(first.url);
        const instanceArn = (await a.sso.send(new CreateInstanceCommand({}))).InstanceArn ?? '';
        const storeId =
          (await a.sso.send(new DescribeInstanceCommand({ InstanceArn: instanceArn }))).IdentityStoreId ?? '';
        await a.cfn.send(
          new CreateStackCommand({
            StackName: 'chain',
            TemplateBody: CHAIN,
            Parameters: [{ ParameterKey: 'StoreId', ParameterValue: storeId }],
          }),
        );
        const deadline = Date.now() + 20_000;
        for (;;) {
          const events =
            (await a.cfn.send(new DescribeStackEventsCommand({ StackName: 'chain' }))).StackEvents ?? [];
          if (events.some((e) => e.LogicalResourceId === 'First' && e.ResourceStatus === 'CREATE_COMPLETE'))
            break;
          if (Date.now() > deadline) throw new Error('the first resource was never created');
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        first.child.kill('SIGKILL');
        await new Promise((resolve) => first.child.once('exit', resolve));
        running.splice(running.indexOf(first), 1);
        for (const client of Object.values(a)) client.destroy();

        const second = await startServerProcess(env);
        running.push(second);
        const b = clients(second.url);
        const stack = await settledStack(b.cfn, 'chain', 30_000);
        expect(stack.StackStatus).toBe('CREATE_COMPLETE');
        const lines = await eventLines(b.cfn, 'chain');
        expect(lines[0]).toBe('chain CREATE_IN_PROGRESS User Initiated');
        expect(lines.filter((l) => l === 'First CREATE_COMPLETE')).toHaveLength(1);
        expect(lines[lines.length - 1]).toBe('chain CREATE_COMPLETE');

        const groups =
          (await b.identity.send(new ListGroupsCommand({ IdentityStoreId: storeId }))).Groups ?? [];
        expect(groups.map((g) => g.DisplayName).sort()).toEqual(['chain fourth', 'first', 'second', 'third']);
        const resources =
          (await b.cfn.send(new ListStackResourcesCommand({ StackName: 'chain' }))).StackResourceSummaries ??
          [];
        expect(resources.map((r) => (r.PhysicalResourceId ?? '').split('|')[0]).sort()).toEqual(
          groups.map((g) => g.GroupId).sort(),
        );
        for (const client of Object.values(b)) client.destroy();
      }, 90_000);
    },
  );
}
