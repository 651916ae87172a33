import {
  type CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { CreateUserCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateInstanceCommand, DescribeInstanceCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { TestServer } from './test-server.js';

export interface IdentityCenter {
  instanceArn: string;
  storeId: string;
  users: Record<string, string>;
}

/** Organization, Identity Center instance (in `region`) and users, as the guide's first steps. */
export const setUpIdentityCenter = async (
  server: TestServer,
  userNames: readonly string[],
  region = server.region,
): Promise<IdentityCenter> => {
  const config = { ...server.sdkConfig(), region };
  const organizations = new OrganizationsClient(config);
  const sso = new SSOAdminClient(config);
  const identity = new IdentitystoreClient(config);
  try {
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const instanceArn = (await sso.send(new CreateInstanceCommand({ Name: 'studio' }))).InstanceArn ?? '';
    const storeId =
      (await sso.send(new DescribeInstanceCommand({ InstanceArn: instanceArn }))).IdentityStoreId ?? '';
    const users: Record<string, string> = {};
    for (const userName of userNames) {
      const created = await identity.send(
        new CreateUserCommand({
          IdentityStoreId: storeId,
          UserName: userName,
          DisplayName: userName,
          Name: { GivenName: userName, FamilyName: 'Doe' },
        }),
      );
      users[userName] = created.UserId ?? '';
    }
    return { instanceArn, storeId, users };
  } finally {
    organizations.destroy();
    sso.destroy();
    identity.destroy();
  }
};

/** DescribeStacks until the stack's status no longer ends in _IN_PROGRESS. */
export const settledStack = async (
  cfn: CloudFormationClient,
  stackName: string,
  timeoutMs = 30_000,
): Promise<Stack> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [stack] = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks ?? [];
    if (stack === undefined) throw new Error(`no stack ${stackName}`);
    if (!stack.StackStatus?.endsWith('_IN_PROGRESS') || stack.StackStatus === 'REVIEW_IN_PROGRESS')
      return stack;
    if (Date.now() > deadline) throw new Error(`stack ${stackName} still ${stack.StackStatus}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

/** Every event of the stack, oldest first, as `Logical STATUS[ reason]` lines for readable assertions. */
export const eventLines = async (cfn: CloudFormationClient, stackName: string): Promise<string[]> => {
  const events: StackEvent[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new DescribeStackEventsCommand({ StackName: stackName, NextToken: token }));
    events.push(...(page.StackEvents ?? []));
    token = page.NextToken;
  } while (token !== undefined);
  return events
    .reverse()
    .map(
      (e) =>
        `${e.LogicalResourceId} ${e.ResourceStatus}${e.ResourceStatusReason ? ` ${e.ResourceStatusReason}` : ''}`,
    );
};
