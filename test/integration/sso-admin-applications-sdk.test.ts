import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeleteUserCommand,
  IdentitystoreClient,
} from '@aws-sdk/client-identitystore';
import {
  ConflictException,
  CreateApplicationAssignmentCommand,
  CreateApplicationCommand,
  CreateInstanceCommand,
  DeleteApplicationAssignmentCommand,
  DeleteApplicationCommand,
  DescribeApplicationAssignmentCommand,
  DescribeApplicationCommand,
  DescribeApplicationProviderCommand,
  DescribeInstanceCommand,
  GetApplicationAssignmentConfigurationCommand,
  ListApplicationAssignmentsCommand,
  ListApplicationAssignmentsForPrincipalCommand,
  ListApplicationProvidersCommand,
  ListApplicationsCommand,
  PutApplicationAssignmentConfigurationCommand,
  paginateListApplicationAssignments,
  paginateListApplicationAssignmentsForPrincipal,
  paginateListApplications,
  ResourceNotFoundException,
  SSOAdminClient,
  UpdateApplicationCommand,
  ValidationException,
} from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAGEMAKER_PROVIDER_ARN } from '../../src/modules/access/application-providers.js';
import { ApplicationsKysely } from '../../src/modules/access/applications.kysely.js';
import { applicationArnOf } from '../../src/modules/access/applications.service.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const CUSTOM = 'arn:aws:sso::aws:applicationProvider/custom';
const SAGEMAKER = 'arn:aws:sso::aws:applicationProvider/sagemaker';
const APPLICATION_ARN = /^arn:aws:sso::\d{12}:application\/ssoins-[0-9a-f]{16}\/apl-[0-9a-f]{16}$/;

const failure = (work: Promise<unknown>): Promise<Error> =>
  work.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: Error) => error,
  );

describe('sso-admin applications and assignments through the SDK', () => {
  let server: TestServer;
  let sso: SSOAdminClient;
  let ids: IdentitystoreClient;
  let instanceArn: string;
  let storeId: string;

  const newUser = async (userName: string): Promise<string> =>
    (
      await ids.send(
        new CreateUserCommand({
          IdentityStoreId: storeId,
          UserName: userName,
          DisplayName: userName,
          Name: { GivenName: 'G', FamilyName: 'F' },
        }),
      )
    ).UserId as string;
  const newGroup = async (displayName: string): Promise<string> =>
    (await ids.send(new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName: displayName })))
      .GroupId as string;
  const newApp = async (name: string): Promise<string> =>
    (
      await sso.send(
        new CreateApplicationCommand({
          InstanceArn: instanceArn,
          ApplicationProviderArn: CUSTOM,
          Name: name,
        }),
      )
    ).ApplicationArn as string;

  beforeAll(async () => {
    server = await startTestServer();
    sso = new SSOAdminClient(server.sdkConfig());
    ids = new IdentitystoreClient(server.sdkConfig());
    instanceArn = (await sso.send(new CreateInstanceCommand({ Name: 'apps' }))).InstanceArn as string;
    storeId = (await sso.send(new DescribeInstanceCommand({ InstanceArn: instanceArn })))
      .IdentityStoreId as string;
  });
  afterAll(async () => {
    sso?.destroy();
    ids?.destroy();
    await server?.close();
  });

  it('lists and describes application providers', async () => {
    const { ApplicationProviders, NextToken } = await sso.send(new ListApplicationProvidersCommand({}));
    expect(NextToken).toBeUndefined();
    expect(ApplicationProviders?.map((p) => p.ApplicationProviderArn)).toEqual([
      CUSTOM,
      'arn:aws:sso::aws:applicationProvider/custom-saml',
      SAGEMAKER,
    ]);
    const firstPage = await sso.send(new ListApplicationProvidersCommand({ MaxResults: 1 }));
    expect(firstPage.ApplicationProviders).toHaveLength(1);
    const rest = await sso.send(new ListApplicationProvidersCommand({ NextToken: firstPage.NextToken }));
    expect(rest.ApplicationProviders).toHaveLength(2);

    const sagemaker = await sso.send(
      new DescribeApplicationProviderCommand({ ApplicationProviderArn: SAGEMAKER }),
    );
    expect(sagemaker).toMatchObject({
      ApplicationProviderArn: SAGEMAKER,
      FederationProtocol: 'OAUTH',
      DisplayData: { DisplayName: 'Amazon SageMaker Studio' },
    });
    const unknown = await failure(
      sso.send(
        new DescribeApplicationProviderCommand({
          ApplicationProviderArn: 'arn:aws:sso::aws:applicationProvider/none',
        }),
      ),
    );
    expect(unknown).toBeInstanceOf(ResourceNotFoundException);
  });

  it('creates, describes, lists, updates and deletes an application', async () => {
    const created = await sso.send(
      new CreateApplicationCommand({
        InstanceArn: instanceArn,
        ApplicationProviderArn: CUSTOM,
        Name: 'My notebook app',
        Description: 'Notebooks for everyone',
        PortalOptions: { Visibility: 'ENABLED', SignInOptions: { Origin: 'IDENTITY_CENTER' } },
        Tags: [{ Key: 'team', Value: 'ml' }],
        ClientToken: 'create-1',
      }),
    );
    expect(created.ApplicationArn).toMatch(APPLICATION_ARN);
    expect(created.InstanceArn).toBe(instanceArn);
    expect(created.IdentityStoreArn).toBe(
      `arn:aws:identitystore::${server.accountId}:identitystore/${storeId}`,
    );
    const retried = await sso.send(
      new CreateApplicationCommand({
        InstanceArn: instanceArn,
        ApplicationProviderArn: CUSTOM,
        Name: 'My notebook app',
        ClientToken: 'create-1',
      }),
    );
    expect(retried.ApplicationArn).toBe(created.ApplicationArn);

    const ApplicationArn = created.ApplicationArn as string;
    const described = await sso.send(new DescribeApplicationCommand({ ApplicationArn }));
    expect(described).toMatchObject({
      ApplicationArn,
      ApplicationProviderArn: CUSTOM,
      Name: 'My notebook app',
      Description: 'Notebooks for everyone',
      ApplicationAccount: server.accountId,
      InstanceArn: instanceArn,
      Status: 'ENABLED',
      PortalOptions: { Visibility: 'ENABLED', SignInOptions: { Origin: 'IDENTITY_CENTER' } },
      CreatedFrom: server.region,
    });
    expect(described.CreatedDate).toBeInstanceOf(Date);

    await sso.send(
      new UpdateApplicationCommand({
        ApplicationArn,
        Name: 'Renamed',
        Status: 'DISABLED',
        PortalOptions: {
          SignInOptions: { Origin: 'APPLICATION', ApplicationUrl: 'https://notebooks.example.com/' },
        },
      }),
    );
    expect(await sso.send(new DescribeApplicationCommand({ ApplicationArn }))).toMatchObject({
      Name: 'Renamed',
      Status: 'DISABLED',
      PortalOptions: {
        Visibility: 'ENABLED',
        SignInOptions: { Origin: 'APPLICATION', ApplicationUrl: 'https://notebooks.example.com/' },
      },
    });
    const noUrl = await failure(
      sso.send(
        new UpdateApplicationCommand({
          ApplicationArn,
          PortalOptions: { SignInOptions: { Origin: 'APPLICATION' } },
        }),
      ),
    );
    expect(noUrl).toBeInstanceOf(ValidationException);

    const listed = await sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn }));
    expect(listed.Applications?.map((a) => a.ApplicationArn)).toContain(ApplicationArn);
    expect(listed.Applications?.find((a) => a.ApplicationArn === ApplicationArn)).toMatchObject({
      Name: 'Renamed',
    });
    const byProvider = await sso.send(
      new ListApplicationsCommand({ InstanceArn: instanceArn, Filter: { ApplicationProvider: SAGEMAKER } }),
    );
    expect(byProvider.Applications).toEqual([]);

    await sso.send(new DeleteApplicationCommand({ ApplicationArn }));
    expect(await failure(sso.send(new DescribeApplicationCommand({ ApplicationArn })))).toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect(await failure(sso.send(new DeleteApplicationCommand({ ApplicationArn })))).toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('pages ListApplications at 50 at most, and the SDK paginator sees every one once', async () => {
    const made = new Set<string>();
    for (let i = 0; i < 53; i++) made.add(await newApp(`paged ${i}`));
    const page = await sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn, MaxResults: 100 }));
    expect(page.Applications).toHaveLength(50);
    expect(page.NextToken).toBeDefined();
    const seen: string[] = [];
    for await (const p of paginateListApplications(
      { client: sso, pageSize: 20 },
      { InstanceArn: instanceArn },
    )) {
      seen.push(...(p.Applications ?? []).map((a) => a.ApplicationArn as string));
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const arn of made) expect(seen).toContain(arn);
    for (const arn of made) await sso.send(new DeleteApplicationCommand({ ApplicationArn: arn }));
  });

  it('refuses AWS managed and console-only providers, bad input and unknown instances', async () => {
    const managed = await failure(
      sso.send(
        new CreateApplicationCommand({
          InstanceArn: instanceArn,
          ApplicationProviderArn: SAGEMAKER,
          Name: 'x',
        }),
      ),
    );
    expect(managed).toBeInstanceOf(ValidationException);
    expect(managed.message).toContain('AWS managed');
    const saml = await failure(
      sso.send(
        new CreateApplicationCommand({
          InstanceArn: instanceArn,
          ApplicationProviderArn: 'arn:aws:sso::aws:applicationProvider/custom-saml',
          Name: 'x',
        }),
      ),
    );
    expect(saml).toBeInstanceOf(ValidationException);
    const noName = await failure(
      sso.send(
        new CreateApplicationCommand({ InstanceArn: instanceArn, ApplicationProviderArn: CUSTOM } as never),
      ),
    );
    expect(noName.message).toBe(
      "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    );
    const badArn = await failure(
      sso.send(new DescribeApplicationCommand({ ApplicationArn: 'arn:aws:sso::123:application/x' })),
    );
    expect(badArn).toBeInstanceOf(ValidationException);
    const tooMany = await failure(
      sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn, MaxResults: 101 })),
    );
    expect(tooMany).toBeInstanceOf(ValidationException);
    const otherInstance = await failure(
      sso.send(
        new CreateApplicationCommand({
          InstanceArn: 'arn:aws:sso:::instance/ssoins-0000000000000000',
          ApplicationProviderArn: CUSTOM,
          Name: 'x',
        }),
      ),
    );
    expect(otherInstance).toBeInstanceOf(ResourceNotFoundException);
    const missingApp = await failure(
      sso.send(
        new DescribeApplicationCommand({
          ApplicationArn: `arn:aws:sso::${server.accountId}:application/${instanceArn.split('/')[1]}/apl-0000000000000000`,
        }),
      ),
    );
    expect(missingApp).toBeInstanceOf(ResourceNotFoundException);
    expect((missingApp as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
  });

  it('assigns users and groups, with AWS’s errors', async () => {
    const ApplicationArn = await newApp('assigned');
    const alice = await newUser('sdk.alice');
    const team = await newGroup('SDK Team');

    await sso.send(
      new CreateApplicationAssignmentCommand({ ApplicationArn, PrincipalType: 'USER', PrincipalId: alice }),
    );
    await sso.send(
      new CreateApplicationAssignmentCommand({ ApplicationArn, PrincipalType: 'GROUP', PrincipalId: team }),
    );
    const duplicate = await failure(
      sso.send(
        new CreateApplicationAssignmentCommand({ ApplicationArn, PrincipalType: 'USER', PrincipalId: alice }),
      ),
    );
    expect(duplicate).toBeInstanceOf(ConflictException);
    expect((duplicate as ConflictException).$metadata.httpStatusCode).toBe(409);

    expect(
      await sso.send(
        new DescribeApplicationAssignmentCommand({
          ApplicationArn,
          PrincipalType: 'GROUP',
          PrincipalId: team,
        }),
      ),
    ).toMatchObject({ ApplicationArn, PrincipalType: 'GROUP', PrincipalId: team });
    const listed = await sso.send(new ListApplicationAssignmentsCommand({ ApplicationArn }));
    expect(listed.ApplicationAssignments).toHaveLength(2);
    expect(listed.ApplicationAssignments).toContainEqual({
      ApplicationArn,
      PrincipalType: 'USER',
      PrincipalId: alice,
    });

    const unknownUser = '0123456789-00000000-0000-4000-8000-000000000001';
    for (const [PrincipalType, PrincipalId] of [
      ['USER', unknownUser],
      ['GROUP', unknownUser],
      ['GROUP', alice],
    ] as const) {
      const error = await failure(
        sso.send(new CreateApplicationAssignmentCommand({ ApplicationArn, PrincipalType, PrincipalId })),
      );
      expect(error, `${PrincipalType} ${PrincipalId}`).toBeInstanceOf(ResourceNotFoundException);
    }
    const badId = await failure(
      sso.send(
        new CreateApplicationAssignmentCommand({
          ApplicationArn,
          PrincipalType: 'USER',
          PrincipalId: 'not-an-id',
        }),
      ),
    );
    expect(badId).toBeInstanceOf(ValidationException);
    const badType = await failure(
      sso.send(
        new CreateApplicationAssignmentCommand({
          ApplicationArn,
          PrincipalType: 'ROLE' as never,
          PrincipalId: alice,
        }),
      ),
    );
    expect(badType.message).toContain('Member must satisfy enum value set: [USER, GROUP]');
    const missingApp = await failure(
      sso.send(
        new CreateApplicationAssignmentCommand({
          ApplicationArn: ApplicationArn.replace(/apl-.*$/, 'apl-0000000000000000'),
          PrincipalType: 'USER',
          PrincipalId: alice,
        }),
      ),
    );
    expect(missingApp).toBeInstanceOf(ResourceNotFoundException);

    await sso.send(
      new DeleteApplicationAssignmentCommand({ ApplicationArn, PrincipalType: 'USER', PrincipalId: alice }),
    );
    const again = await failure(
      sso.send(
        new DeleteApplicationAssignmentCommand({ ApplicationArn, PrincipalType: 'USER', PrincipalId: alice }),
      ),
    );
    expect(again).toBeInstanceOf(ResourceNotFoundException);
    const described = await failure(
      sso.send(
        new DescribeApplicationAssignmentCommand({
          ApplicationArn,
          PrincipalType: 'USER',
          PrincipalId: alice,
        }),
      ),
    );
    expect(described).toBeInstanceOf(ResourceNotFoundException);
  });

  it('refuses a principal of another identity store as not found', async () => {
    // A second account with its own instance and store, through its own keys.
    const other = await startTestServer();
    try {
      const otherSso = new SSOAdminClient(other.sdkConfig());
      const otherIds = new IdentitystoreClient(other.sdkConfig());
      const otherInstance = (await otherSso.send(new CreateInstanceCommand({}))).InstanceArn as string;
      const otherStore = (await otherSso.send(new DescribeInstanceCommand({ InstanceArn: otherInstance })))
        .IdentityStoreId as string;
      const stranger = (
        await otherIds.send(
          new CreateUserCommand({
            IdentityStoreId: otherStore,
            UserName: 'stranger',
            DisplayName: 'S',
            Name: { GivenName: 'S', FamilyName: 'T' },
          }),
        )
      ).UserId as string;
      otherSso.destroy();
      otherIds.destroy();
      const ApplicationArn = await newApp('strangers');
      const error = await failure(
        sso.send(
          new CreateApplicationAssignmentCommand({
            ApplicationArn,
            PrincipalType: 'USER',
            PrincipalId: stranger,
          }),
        ),
      );
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(error.message).toContain('does not exist in the identity store of this instance');
    } finally {
      await other.close();
    }
  });

  it('lists assignments page by page, and for a principal through its direct groups only', async () => {
    const ApplicationArn = await newApp('many');
    const bob = await newUser('sdk.bob');
    const groups: string[] = [];
    for (let i = 0; i < 5; i++) {
      const g = await newGroup(`SDK Paged ${i}`);
      groups.push(g);
      await sso.send(
        new CreateApplicationAssignmentCommand({ ApplicationArn, PrincipalType: 'GROUP', PrincipalId: g }),
      );
    }
    const seen: string[] = [];
    for await (const page of paginateListApplicationAssignments(
      { client: sso, pageSize: 2 },
      { ApplicationArn },
    )) {
      expect(page.ApplicationAssignments?.length).toBeLessThanOrEqual(2);
      seen.push(...(page.ApplicationAssignments ?? []).map((a) => a.PrincipalId as string));
    }
    expect(seen).toEqual([...groups].sort());

    const viaGroup = await newApp('bob via group');
    const direct = await newApp('bob direct');
    await ids.send(
      new CreateGroupMembershipCommand({
        IdentityStoreId: storeId,
        GroupId: groups[0],
        MemberId: { UserId: bob },
      }),
    );
    await sso.send(
      new CreateApplicationAssignmentCommand({
        ApplicationArn: viaGroup,
        PrincipalType: 'GROUP',
        PrincipalId: groups[0],
      }),
    );
    await sso.send(
      new CreateApplicationAssignmentCommand({
        ApplicationArn: direct,
        PrincipalType: 'USER',
        PrincipalId: bob,
      }),
    );
    const forBob: string[] = [];
    for await (const page of paginateListApplicationAssignmentsForPrincipal(
      { client: sso, pageSize: 1 },
      { InstanceArn: instanceArn, PrincipalType: 'USER', PrincipalId: bob },
    )) {
      for (const a of page.ApplicationAssignments ?? []) {
        expect(a).toMatchObject({ PrincipalType: 'USER', PrincipalId: bob });
        forBob.push(a.ApplicationArn as string);
      }
    }
    expect(forBob.sort()).toEqual([ApplicationArn, viaGroup, direct].sort());
    const filtered = await sso.send(
      new ListApplicationAssignmentsForPrincipalCommand({
        InstanceArn: instanceArn,
        PrincipalType: 'USER',
        PrincipalId: bob,
        Filter: { ApplicationArn: direct },
      }),
    );
    expect(filtered.ApplicationAssignments).toEqual([
      { ApplicationArn: direct, PrincipalType: 'USER', PrincipalId: bob },
    ]);
    const forGroup = await sso.send(
      new ListApplicationAssignmentsForPrincipalCommand({
        InstanceArn: instanceArn,
        PrincipalType: 'GROUP',
        PrincipalId: groups[1],
      }),
    );
    expect(forGroup.ApplicationAssignments?.map((a) => a.ApplicationArn)).toEqual([ApplicationArn]);
    const unknown = await failure(
      sso.send(
        new ListApplicationAssignmentsForPrincipalCommand({
          InstanceArn: instanceArn,
          PrincipalType: 'USER',
          PrincipalId: '0123456789-00000000-0000-4000-8000-000000000001',
        }),
      ),
    );
    expect(unknown).toBeInstanceOf(ResourceNotFoundException);

    // Deleting a group or a user takes its assignments with it.
    await ids.send(new DeleteGroupCommand({ IdentityStoreId: storeId, GroupId: groups[0] }));
    await ids.send(new DeleteUserCommand({ IdentityStoreId: storeId, UserId: bob }));
    const left = await sso.send(new ListApplicationAssignmentsCommand({ ApplicationArn }));
    expect(left.ApplicationAssignments?.map((a) => a.PrincipalId).sort()).toEqual(groups.slice(1).sort());
    expect(
      (await sso.send(new ListApplicationAssignmentsCommand({ ApplicationArn: direct })))
        .ApplicationAssignments,
    ).toEqual([]);
  });

  it('lets AWS managed applications be assigned and configured, never updated or deleted', async () => {
    // As SageMaker's CreateDomain registers the Studio application: inside its own transaction.
    const { app, database } = server.server;
    const instance = await app.services.instances.ownedInstance(
      { accountId: server.accountId, region: server.region, principalArn: '' },
      instanceArn,
    );
    const studio = await database.db
      .transaction()
      .execute((trx) =>
        app.services.applications.registerManagedApplication(
          { applications: new ApplicationsKysely(trx) },
          { instance, name: 'Amazon SageMaker Studio (d-abcdefghijkl)', providerArn: SAGEMAKER_PROVIDER_ARN },
        ),
      );
    const ApplicationArn = applicationArnOf(studio);
    expect(await sso.send(new DescribeApplicationCommand({ ApplicationArn }))).toMatchObject({
      Name: 'Amazon SageMaker Studio (d-abcdefghijkl)',
      ApplicationProviderArn: SAGEMAKER,
      Status: 'ENABLED',
    });
    const listed = await sso.send(
      new ListApplicationsCommand({ InstanceArn: instanceArn, Filter: { ApplicationProvider: SAGEMAKER } }),
    );
    expect(listed.Applications?.map((a) => a.ApplicationArn)).toEqual([ApplicationArn]);
    const user = await newUser('studio.user');
    await sso.send(
      new CreateApplicationAssignmentCommand({ ApplicationArn, PrincipalType: 'USER', PrincipalId: user }),
    );
    await sso.send(
      new PutApplicationAssignmentConfigurationCommand({ ApplicationArn, AssignmentRequired: true }),
    );

    const update = await failure(
      sso.send(new UpdateApplicationCommand({ ApplicationArn, Name: 'mine now' })),
    );
    expect(update).toBeInstanceOf(ValidationException);
    expect(update.message).toContain('is AWS managed (Amazon SageMaker Studio) and cannot be updated');
    const remove = await failure(sso.send(new DeleteApplicationCommand({ ApplicationArn })));
    expect(remove).toBeInstanceOf(ValidationException);
    expect(remove.message).toContain('it goes with the SageMaker domain that registered it');
    expect((await sso.send(new DescribeApplicationCommand({ ApplicationArn }))).Name).toBe(
      'Amazon SageMaker Studio (d-abcdefghijkl)',
    );
  });

  it('puts and gets the assignment configuration, true by default', async () => {
    const ApplicationArn = await newApp('configured');
    expect(
      await sso.send(new GetApplicationAssignmentConfigurationCommand({ ApplicationArn })),
    ).toMatchObject({
      AssignmentRequired: true,
    });
    await sso.send(
      new PutApplicationAssignmentConfigurationCommand({ ApplicationArn, AssignmentRequired: false }),
    );
    expect(
      (await sso.send(new GetApplicationAssignmentConfigurationCommand({ ApplicationArn })))
        .AssignmentRequired,
    ).toBe(false);
    const missing = await failure(
      sso.send(new PutApplicationAssignmentConfigurationCommand({ ApplicationArn } as never)),
    );
    expect(missing.message).toBe(
      "1 validation error detected: Value null at 'assignmentRequired' failed to satisfy constraint: Member must not be null",
    );
    const gone = ApplicationArn.replace(/apl-.*$/, 'apl-0000000000000000');
    expect(
      await failure(sso.send(new GetApplicationAssignmentConfigurationCommand({ ApplicationArn: gone }))),
    ).toBeInstanceOf(ResourceNotFoundException);
  });
});
