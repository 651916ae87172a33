import { loadServiceModel } from '../../aws/models/load-model.js';
import type {
  CreateApplicationAssignmentRequest,
  CreateApplicationRequest,
  CreateInstanceRequest,
  PortalOptions as WirePortalOptions,
} from '../../aws/models/sso-admin.types.js';
import { arns } from '../../core/arns.js';
import { isAppError } from '../../core/errors.js';
import { modelInput } from '../cloudformation/model-properties.js';
import type { ResourceProvider } from '../cloudformation/resource-providers.js';
import { type ApplicationsService, applicationArnOf } from './applications.service.js';
import type { PortalOptions } from './applications.types.js';
import type { InstancesService } from './instances.service.js';

/**
 * CloudFormation's AWS::SSO types for IAM Identity Center instances, applications and application
 * assignments, on InstancesService and ApplicationsService. Ref returns the instance's and the
 * application's ARN, and `ApplicationArn|PrincipalType|PrincipalId` for an assignment.
 */

export interface AccessCfnServices {
  instances: InstancesService;
  applications: ApplicationsService;
}

const model = loadServiceModel('sso-admin');
const createInstanceInput = modelInput(model, 'CreateInstance');
const createApplicationInput = modelInput(model, 'CreateApplication');
const createAssignmentInput = modelInput(model, 'CreateApplicationAssignment');

const unlessGone = async (work: () => Promise<void>): Promise<void> => {
  try {
    await work();
  } catch (error) {
    if (!(isAppError(error) && error.kind === 'NotFound')) throw error;
  }
};

const portalOptions = (wire: WirePortalOptions | undefined): PortalOptions | undefined =>
  wire === undefined
    ? undefined
    : {
        ...(wire.SignInOptions !== undefined
          ? {
              signInOptions: {
                origin: wire.SignInOptions.Origin,
                ...(wire.SignInOptions.ApplicationUrl !== undefined
                  ? { applicationUrl: wire.SignInOptions.ApplicationUrl }
                  : {}),
              },
            }
          : {}),
        ...(wire.Visibility !== undefined ? { visibility: wire.Visibility } : {}),
      };

const instance: ResourceProvider<AccessCfnServices> = {
  type: 'AWS::SSO::Instance',
  properties: { Name: {}, Tags: {} },
  attributes: ['InstanceArn', 'IdentityStoreId', 'OwnerAccountId', 'Status'],
  create: async (ctx, properties) => {
    const input = createInstanceInput<CreateInstanceRequest>(ctx.logicalId, properties);
    const created = await ctx.services.instances.createInstance(ctx.scope, {
      ...(input.Name !== undefined ? { name: input.Name } : {}),
    });
    const instanceArn = arns.instance(created.instanceId);
    return {
      physicalId: instanceArn,
      attributes: {
        InstanceArn: instanceArn,
        IdentityStoreId: created.identityStoreId,
        OwnerAccountId: created.ownerAccountId,
        Status: created.status,
      },
    };
  },
  update: async (ctx, current, properties) => {
    const input = createInstanceInput<CreateInstanceRequest>(ctx.logicalId, properties);
    if (input.Name !== undefined)
      await ctx.services.instances.updateInstance(ctx.scope, current.physicalId, { name: input.Name });
    return {};
  },
  delete: async (ctx, current) =>
    unlessGone(() => ctx.services.instances.deleteInstance(ctx.scope, current.physicalId)),
};

const application: ResourceProvider<AccessCfnServices> = {
  type: 'AWS::SSO::Application',
  properties: {
    Name: { required: true },
    InstanceArn: { required: true, replace: true },
    ApplicationProviderArn: { required: true, replace: true },
    Description: {},
    Status: {},
    PortalOptions: {},
    Tags: {},
  },
  attributes: ['ApplicationArn', 'IdentityStoreArn'],
  create: async (ctx, properties) => {
    const input = createApplicationInput<CreateApplicationRequest>(ctx.logicalId, properties);
    const options = portalOptions(input.PortalOptions);
    const created = await ctx.services.applications.createApplication(ctx.scope, {
      instanceArn: input.InstanceArn,
      providerArn: input.ApplicationProviderArn,
      name: input.Name,
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      ...(options !== undefined ? { portalOptions: options } : {}),
      ...(input.Status !== undefined ? { status: input.Status } : {}),
    });
    const applicationArn = applicationArnOf(created);
    return {
      physicalId: applicationArn,
      attributes: {
        ApplicationArn: applicationArn,
        IdentityStoreArn: arns.identityStore(created.accountId, created.identityStoreId),
      },
    };
  },
  update: async (ctx, current, properties) => {
    const input = createApplicationInput<CreateApplicationRequest>(ctx.logicalId, properties);
    const options = portalOptions(input.PortalOptions);
    await ctx.services.applications.updateApplication(ctx.scope, current.physicalId, {
      name: input.Name,
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      status: input.Status ?? 'ENABLED',
      ...(options?.signInOptions !== undefined ? { signInOptions: options.signInOptions } : {}),
    });
    return {};
  },
  delete: async (ctx, current) =>
    unlessGone(() => ctx.services.applications.deleteApplication(ctx.scope, current.physicalId)),
};

const assignment: ResourceProvider<AccessCfnServices> = {
  type: 'AWS::SSO::ApplicationAssignment',
  properties: {
    ApplicationArn: { required: true, replace: true },
    PrincipalType: { required: true, replace: true },
    PrincipalId: { required: true, replace: true },
  },
  attributes: [],
  create: async (ctx, properties) => {
    const input = createAssignmentInput<CreateApplicationAssignmentRequest>(ctx.logicalId, properties);
    await ctx.services.applications.createAssignment(ctx.scope, input.ApplicationArn, {
      type: input.PrincipalType,
      id: input.PrincipalId,
    });
    return {
      physicalId: `${input.ApplicationArn}|${input.PrincipalType}|${input.PrincipalId}`,
      attributes: {},
    };
  },
  delete: async (ctx, current) =>
    unlessGone(() =>
      ctx.services.applications.deleteAssignment(ctx.scope, String(current.properties.ApplicationArn), {
        type: current.properties.PrincipalType === 'GROUP' ? 'GROUP' : 'USER',
        id: String(current.properties.PrincipalId),
      }),
    ),
};

export const accessResourceProviders: ResourceProvider<AccessCfnServices>[] = [
  instance,
  application,
  assignment,
];
