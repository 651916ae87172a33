import { defineAwsService } from '../../aws/aws-service.js';
import { loadServiceModel } from '../../aws/models/load-model.js';
import type {
  InstanceMetadata,
  SsoAdminOperations,
  Application as WireApplication,
  ApplicationProvider as WireApplicationProvider,
  PortalOptions as WirePortalOptions,
  SignInOptions as WireSignInOptions,
} from '../../aws/models/sso-admin.types.js';
import { arns } from '../../core/arns.js';
import { type ApplicationsService, applicationArnOf } from './applications.service.js';
import type {
  Application,
  ApplicationProvider,
  PortalOptions,
  Principal,
  SignInOptions,
} from './applications.types.js';
import type { InstancesService } from './instances.service.js';
import type { Instance } from './instances.types.js';

const toInstanceMetadata = (instance: Instance): InstanceMetadata => ({
  InstanceArn: arns.instance(instance.instanceId),
  IdentityStoreId: instance.identityStoreId,
  OwnerAccountId: instance.ownerAccountId,
  Name: instance.name,
  CreatedDate: instance.createdAt,
  Status: instance.status,
});

/** ListInstances never returns more than 10 instances per page, whatever MaxResults says. */
const LIST_INSTANCES_PAGE = 10;
/** ListApplications never returns more than 50 applications per page (the model's list limit). */
const LIST_APPLICATIONS_PAGE = 50;
/** The other listings: MaxResults is 1-100, and an absent one asks for the most. */
const DEFAULT_PAGE = 100;

const signInFromWire = (wire: WireSignInOptions): SignInOptions => ({
  origin: wire.Origin,
  ...(wire.ApplicationUrl !== undefined ? { applicationUrl: wire.ApplicationUrl } : {}),
});

const portalOptionsFromWire = (wire: WirePortalOptions | undefined): PortalOptions | undefined =>
  wire === undefined
    ? undefined
    : {
        ...(wire.SignInOptions !== undefined ? { signInOptions: signInFromWire(wire.SignInOptions) } : {}),
        ...(wire.Visibility !== undefined ? { visibility: wire.Visibility } : {}),
      };

const portalOptionsToWire = (options: PortalOptions | undefined): WirePortalOptions | undefined =>
  options === undefined
    ? undefined
    : {
        SignInOptions:
          options.signInOptions === undefined
            ? undefined
            : { Origin: options.signInOptions.origin, ApplicationUrl: options.signInOptions.applicationUrl },
        Visibility: options.visibility,
      };

const toWireApplication = (application: Application): WireApplication => ({
  ApplicationArn: applicationArnOf(application),
  ApplicationProviderArn: application.providerArn,
  Name: application.name,
  ApplicationAccount: application.accountId,
  InstanceArn: arns.instance(application.instanceId),
  IdentityStoreArn: arns.identityStore(application.accountId, application.identityStoreId),
  Status: application.status,
  PortalOptions: portalOptionsToWire(application.portalOptions),
  Description: application.description,
  CreatedDate: application.createdAt,
  CreatedFrom: application.region,
});

const toWireProvider = (provider: ApplicationProvider): WireApplicationProvider => ({
  ApplicationProviderArn: provider.arn,
  FederationProtocol: provider.federationProtocol,
  DisplayData: { DisplayName: provider.displayName, Description: provider.description },
});

const principalOf = (input: { PrincipalType: Principal['type']; PrincipalId: string }): Principal => ({
  type: input.PrincipalType,
  id: input.PrincipalId,
});

const pageSize = (maxResults: number | undefined, ceiling = DEFAULT_PAGE): number =>
  Math.min(maxResults ?? ceiling, ceiling);

/** IAM Identity Center admin API (awsJson1_1, target SWBExternalService, signing name `sso`). */
export const ssoAdminAwsService = (instances: InstancesService, applications: ApplicationsService) =>
  defineAwsService<SsoAdminOperations>('sso-admin', loadServiceModel('sso-admin'), {
    CreateInstance: async (input, { scope }) => {
      const instance = await instances.createInstance(scope, {
        name: input.Name,
        clientToken: input.ClientToken,
      });
      return { InstanceArn: arns.instance(instance.instanceId) };
    },
    ListInstances: async (input, { scope }) => {
      const limit = Math.min(input.MaxResults ?? LIST_INSTANCES_PAGE, LIST_INSTANCES_PAGE);
      const page = await instances.listInstances(scope, limit, input.NextToken);
      return { Instances: page.items.map(toInstanceMetadata), NextToken: page.nextToken };
    },
    DescribeInstance: async (input, { scope }) => {
      const instance = await instances.describeInstance(scope, input.InstanceArn);
      return {
        ...toInstanceMetadata(instance),
        EncryptionConfigurationDetails: {
          KeyType: instance.kmsKeyType,
          KmsKeyArn: instance.kmsKeyArn,
          EncryptionStatus: 'ENABLED',
        },
      };
    },
    UpdateInstance: async (input, { scope }) => {
      await instances.updateInstance(scope, input.InstanceArn, {
        name: input.Name,
        encryption:
          input.EncryptionConfiguration === undefined
            ? undefined
            : {
                keyType: input.EncryptionConfiguration.KeyType,
                kmsKeyArn: input.EncryptionConfiguration.KmsKeyArn,
              },
      });
      return {};
    },
    DeleteInstance: async (input, { scope }) => {
      await instances.deleteInstance(scope, input.InstanceArn);
      return {};
    },

    ListApplicationProviders: async (input) => {
      const page = applications.listApplicationProviders({
        limit: pageSize(input.MaxResults),
        nextToken: input.NextToken,
      });
      return { ApplicationProviders: page.items.map(toWireProvider), NextToken: page.nextToken };
    },
    DescribeApplicationProvider: async (input) =>
      toWireProvider(applications.describeApplicationProvider(input.ApplicationProviderArn)),
    CreateApplication: async (input, { scope }) => {
      const application = await applications.createApplication(scope, {
        instanceArn: input.InstanceArn,
        providerArn: input.ApplicationProviderArn,
        name: input.Name,
        description: input.Description,
        portalOptions: portalOptionsFromWire(input.PortalOptions),
        status: input.Status,
        clientToken: input.ClientToken,
      });
      const wire = toWireApplication(application);
      return {
        ApplicationArn: wire.ApplicationArn,
        InstanceArn: wire.InstanceArn,
        IdentityStoreArn: wire.IdentityStoreArn,
      };
    },
    DescribeApplication: async (input, { scope }) =>
      toWireApplication(await applications.describeApplication(scope, input.ApplicationArn)),
    ListApplications: async (input, { scope }) => {
      const page = await applications.listApplications(scope, input.InstanceArn, {
        limit: pageSize(input.MaxResults, LIST_APPLICATIONS_PAGE),
        nextToken: input.NextToken,
        filter: {
          accountId: input.Filter?.ApplicationAccount,
          providerArn: input.Filter?.ApplicationProvider,
        },
      });
      return { Applications: page.items.map(toWireApplication), NextToken: page.nextToken };
    },
    UpdateApplication: async (input, { scope }) => {
      const signIn = input.PortalOptions?.SignInOptions;
      await applications.updateApplication(scope, input.ApplicationArn, {
        name: input.Name,
        description: input.Description,
        status: input.Status,
        signInOptions: signIn === undefined ? undefined : signInFromWire(signIn),
      });
      return {};
    },
    DeleteApplication: async (input, { scope }) => {
      await applications.deleteApplication(scope, input.ApplicationArn);
      return {};
    },
    CreateApplicationAssignment: async (input, { scope }) => {
      await applications.createAssignment(scope, input.ApplicationArn, principalOf(input));
      return {};
    },
    DeleteApplicationAssignment: async (input, { scope }) => {
      await applications.deleteAssignment(scope, input.ApplicationArn, principalOf(input));
      return {};
    },
    DescribeApplicationAssignment: async (input, { scope }) => {
      const assignment = await applications.describeAssignment(
        scope,
        input.ApplicationArn,
        principalOf(input),
      );
      return {
        ApplicationArn: input.ApplicationArn,
        PrincipalType: assignment.principal.type,
        PrincipalId: assignment.principal.id,
      };
    },
    ListApplicationAssignments: async (input, { scope }) => {
      const page = await applications.listAssignments(scope, input.ApplicationArn, {
        limit: pageSize(input.MaxResults),
        nextToken: input.NextToken,
      });
      return {
        ApplicationAssignments: page.items.map((a) => ({
          ApplicationArn: input.ApplicationArn,
          PrincipalType: a.principal.type,
          PrincipalId: a.principal.id,
        })),
        NextToken: page.nextToken,
      };
    },
    ListApplicationAssignmentsForPrincipal: async (input, { scope }) => {
      const page = await applications.listAssignmentsForPrincipal(
        scope,
        input.InstanceArn,
        principalOf(input),
        {
          limit: pageSize(input.MaxResults),
          nextToken: input.NextToken,
          applicationArn: input.Filter?.ApplicationArn,
        },
      );
      return {
        ApplicationAssignments: page.items.map((a) => ({
          ApplicationArn: a.applicationArn,
          PrincipalType: input.PrincipalType,
          PrincipalId: input.PrincipalId,
        })),
        NextToken: page.nextToken,
      };
    },
    PutApplicationAssignmentConfiguration: async (input, { scope }) => {
      await applications.putAssignmentConfiguration(scope, input.ApplicationArn, input.AssignmentRequired);
      return {};
    },
    GetApplicationAssignmentConfiguration: async (input, { scope }) => ({
      AssignmentRequired: await applications.getAssignmentConfiguration(scope, input.ApplicationArn),
    }),
  });
