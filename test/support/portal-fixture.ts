import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  IdentitystoreClient,
} from '@aws-sdk/client-identitystore';
import { CreateDomainCommand, CreateUserProfileCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  CreateApplicationAssignmentCommand,
  CreateInstanceCommand,
  DescribeInstanceCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { AdminClient } from '../../src/cli/admin-client.js';
import { ManualClock } from '../../src/core/clock.js';
import type { Scope } from '../../src/core/scope.js';
import type { AddUserResponse } from '../../src/web/admin/users.routes.js';
import { type SmtpReceiver, startSmtpReceiver } from './smtp-receiver.js';
import { startTestServer, type TestServer, type TestServerOptions } from './test-server.js';
import { hiddenFields, WebClient } from './web-client.js';

export const EXECUTION_ROLE = 'arn:aws:iam::111122223333:role/service-role/AmazonSageMaker-ExecutionRole';

/**
 * An installation the portal tests share: IAM Identity Center, an SSO domain "ml-team" whose
 * application is assigned to the group "Data Scientists", and the group "Interns" nested inside
 * it (which grants nothing). A fake clock, which SigV4 tolerates for 15 minutes of movement.
 */
export interface PortalFixture {
  server: TestServer;
  receiver: SmtpReceiver;
  clock: ManualClock;
  admin: AdminClient;
  scope: Scope;
  instanceArn: string;
  storeId: string;
  domainId: string;
  applicationArn: string;
  groups: { dataScientists: string; interns: string };
  identity: IdentitystoreClient;
  sagemaker: SageMakerClient;
  sso: SSOAdminClient;
  /** Adds a user (one-time password) to these groups (display names). */
  addUser(userName: string, groups?: string[]): Promise<AddUserResponse>;
  /** Adds a user and gives them `password` by signing in once with the one-time password. */
  addActiveUser(userName: string, password: string, groups?: string[]): Promise<AddUserResponse>;
  /** Creates the user's SageMaker profile in the domain (the user must be allowed). */
  createProfile(userName: string): Promise<void>;
  close(): Promise<void>;
}

export const startPortalFixture = async (options: TestServerOptions = {}): Promise<PortalFixture> => {
  const clock = options.clock instanceof ManualClock ? options.clock : new ManualClock();
  const receiver = await startSmtpReceiver();
  const server = await startTestServer({
    ...options,
    clock,
    env: { SMTP_URL: receiver.url, ...options.env },
  });
  const admin = new AdminClient({
    endpoint: server.url,
    region: server.region,
    credentials: server.credentials,
  });
  const scope: Scope = {
    accountId: server.accountId,
    region: server.region,
    principalArn: `arn:aws:iam::${server.accountId}:root`,
  };
  const sso = new SSOAdminClient(server.sdkConfig());
  const identity = new IdentitystoreClient(server.sdkConfig());
  const sagemaker = new SageMakerClient(server.sdkConfig());
  const instanceArn = (await sso.send(new CreateInstanceCommand({ Name: 'portal' }))).InstanceArn ?? '';
  const storeId =
    (await sso.send(new DescribeInstanceCommand({ InstanceArn: instanceArn }))).IdentityStoreId ?? '';
  const group = async (name: string) =>
    (await identity.send(new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName: name }))).GroupId ??
    '';
  const groups = { dataScientists: await group('Data Scientists'), interns: await group('Interns') };
  // A nested group: AWS's API cannot make one (a directory sync can), so the service does.
  await server.server.app.services.identityStore.addGroupToGroup(
    scope,
    storeId,
    groups.dataScientists,
    groups.interns,
  );
  const domain = await sagemaker.send(
    new CreateDomainCommand({
      DomainName: 'ml-team',
      AuthMode: 'SSO',
      DefaultUserSettings: {
        ExecutionRole: EXECUTION_ROLE,
        SharingSettings: { NotebookOutputOption: 'Disabled' },
        DefaultLandingUri: 'studio::',
      },
    }),
  );
  const domainId = domain.DomainId ?? '';
  const applicationArn =
    (await server.server.app.services.studio.describeDomain(scope, domainId)).applicationArn ?? '';
  await sso.send(
    new CreateApplicationAssignmentCommand({
      ApplicationArn: applicationArn,
      PrincipalType: 'GROUP',
      PrincipalId: groups.dataScientists,
    }),
  );
  // Pending → InService.
  clock.advance(1000);

  const addUser = (userName: string, groupNames?: string[]) =>
    admin.post<AddUserResponse>('/users', {
      userName,
      email: `${userName}@example.com`,
      givenName: userName[0]?.toUpperCase() + userName.slice(1),
      familyName: 'Tester',
      displayName: `${userName[0]?.toUpperCase()}${userName.slice(1)} Tester`,
      passwordSetup: 'one-time-password',
      groups: groupNames,
    });

  return {
    server,
    receiver,
    clock,
    admin,
    scope,
    instanceArn,
    storeId,
    domainId,
    applicationArn,
    groups,
    identity,
    sagemaker,
    sso,
    addUser,
    addActiveUser: async (userName, password, groupNames) => {
      const added = await addUser(userName, groupNames);
      const browser = new WebClient(server.url);
      const first = await browser.get('/start');
      const passwordStep = await browser.submit(first, '/start/sign-in', { username: userName });
      const choose = await browser.submit(passwordStep, '/start/sign-in/password', {
        password: added.oneTimePassword?.password ?? '',
      });
      const done = await browser.post('/start/choose-password', {
        ...hiddenFields(choose.html, '/start/choose-password'),
        newPassword: password,
        confirmPassword: password,
      });
      if (done.status !== 200) throw new Error(`could not set ${userName}'s password: ${done.status}`);
      return added;
    },
    createProfile: async (userName) => {
      await sagemaker.send(
        new CreateUserProfileCommand({
          DomainId: domainId,
          UserProfileName: userName,
          SingleSignOnUserIdentifier: 'UserName',
          SingleSignOnUserValue: userName,
          UserSettings: { ExecutionRole: EXECUTION_ROLE, DefaultLandingUri: 'app:JupyterServer:' },
        }),
      );
      clock.advance(1000);
    },
    close: async () => {
      sso.destroy();
      identity.destroy();
      sagemaker.destroy();
      await server.close();
      await receiver.close();
    },
  };
};

/** Adds the user to the group directly (AWS's CreateGroupMembership). */
export const joinGroup = async (fixture: PortalFixture, groupId: string, userId: string): Promise<void> => {
  await fixture.identity.send(
    new CreateGroupMembershipCommand({
      IdentityStoreId: fixture.storeId,
      GroupId: groupId,
      MemberId: { UserId: userId },
    }),
  );
};
