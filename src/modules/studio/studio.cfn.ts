import { loadServiceModel } from '../../aws/models/load-model.js';
import type {
  CreateAppRequest as WireCreateApp,
  CreateDomainRequest as WireCreateDomain,
  CreateUserProfileRequest as WireCreateUserProfile,
} from '../../aws/models/sagemaker.types.js';
import { isAppError } from '../../core/errors.js';
import { modelInput } from '../cloudformation/model-properties.js';
import type { ResourceProvider } from '../cloudformation/resource-providers.js';
import type { StudioService } from './studio.service.js';
import type { SettingsDocument, Tag, UserSettings } from './studio.types.js';
import type { StudioAppsService } from './studio-apps.service.js';
import { domainUrl, studioArns } from './studio-ids.js';

/**
 * CloudFormation's AWS::SageMaker::Domain, UserProfile and App, on the studio services: the same
 * rules as the API, so a UserProfile for a user not assigned to the domain's Studio application
 * fails with the studio service's message. Ref returns the DomainId, `UserProfileName|DomainId`
 * and `AppName|AppType|DomainId|UserProfileName` (the types' primary identifiers).
 */

export interface StudioCfnServices {
  studio: StudioService;
  studioApps: StudioAppsService;
}

const model = loadServiceModel('sagemaker');
const createDomainInput = modelInput(model, 'CreateDomain');
const createUserProfileInput = modelInput(model, 'CreateUserProfile');
const createAppInput = modelInput(model, 'CreateApp');

const unlessGone = async (work: () => Promise<void>): Promise<void> => {
  try {
    await work();
  } catch (error) {
    if (!(isAppError(error) && error.kind === 'NotFound')) throw error;
  }
};

const gone = async (work: () => Promise<boolean>): Promise<boolean> => {
  try {
    return await work();
  } catch (error) {
    if (isAppError(error) && error.kind === 'NotFound') return true;
    throw error;
  }
};

const tags = (wire: Array<{ Key: string; Value: string }> | undefined): Tag[] | undefined =>
  wire?.map((t) => ({ key: t.Key, value: t.Value }));

const doc = (value: object | undefined): SettingsDocument | undefined =>
  value as SettingsDocument | undefined;

const domainInput = (logicalId: string, properties: Record<string, unknown>): WireCreateDomain => {
  // HomeEfsFileSystemCreation is CloudFormation's alone; the home file system is not modeled.
  const { HomeEfsFileSystemCreation: _ignored, ...rest } = properties;
  return createDomainInput<WireCreateDomain>(logicalId, rest);
};

const domain: ResourceProvider<StudioCfnServices> = {
  type: 'AWS::SageMaker::Domain',
  properties: {
    DomainName: { required: true, replace: true },
    AuthMode: { required: true, replace: true },
    DefaultUserSettings: { required: true },
    VpcId: { replace: true },
    SubnetIds: { replace: true },
    AppNetworkAccessType: { replace: true },
    KmsKeyId: { replace: true },
    Tags: { replace: true },
    DomainSettings: {},
    AppSecurityGroupManagement: {},
    DefaultSpaceSettings: {},
    TagPropagation: {},
    HomeEfsFileSystemCreation: {},
  },
  attributes: [
    'DomainArn',
    'DomainId',
    'HomeEfsFileSystemId',
    'SecurityGroupIdForDomainBoundary',
    'SingleSignOnManagedApplicationInstanceId',
    'SingleSignOnApplicationArn',
    'Url',
  ],
  create: async (ctx, properties) => {
    const input = domainInput(ctx.logicalId, properties);
    const created = await ctx.services.studio.createDomain(ctx.scope, {
      name: input.DomainName,
      authMode: input.AuthMode,
      defaultUserSettings: input.DefaultUserSettings as UserSettings,
      ...(input.DomainSettings !== undefined ? { domainSettings: doc(input.DomainSettings) } : {}),
      ...(input.DefaultSpaceSettings !== undefined
        ? { defaultSpaceSettings: doc(input.DefaultSpaceSettings) }
        : {}),
      ...(input.VpcId !== undefined ? { vpcId: input.VpcId } : {}),
      ...(input.SubnetIds !== undefined ? { subnetIds: input.SubnetIds } : {}),
      ...(input.AppNetworkAccessType !== undefined
        ? { appNetworkAccessType: input.AppNetworkAccessType }
        : {}),
      ...(input.AppSecurityGroupManagement !== undefined
        ? { appSecurityGroupManagement: input.AppSecurityGroupManagement }
        : {}),
      ...(input.KmsKeyId !== undefined ? { kmsKeyId: input.KmsKeyId } : {}),
      ...(input.TagPropagation !== undefined ? { tagPropagation: input.TagPropagation } : {}),
      ...(input.Tags !== undefined ? { tags: tags(input.Tags) } : {}),
    });
    return {
      physicalId: created.domainId,
      attributes: {
        DomainId: created.domainId,
        DomainArn: studioArns.domain(created.region, created.accountId, created.domainId),
        HomeEfsFileSystemId: created.homeEfsFileSystemId,
        Url: domainUrl(created.region, created.domainId),
        ...(created.sso !== undefined
          ? { SingleSignOnManagedApplicationInstanceId: created.sso.applicationId }
          : {}),
        ...(created.applicationArn !== undefined
          ? { SingleSignOnApplicationArn: created.applicationArn }
          : {}),
      },
    };
  },
  update: async (ctx, current, properties) => {
    const input = domainInput(ctx.logicalId, properties);
    await ctx.services.studio.updateDomain(ctx.scope, current.physicalId, {
      defaultUserSettings: input.DefaultUserSettings as UserSettings,
      ...(input.DomainSettings !== undefined ? { domainSettings: doc(input.DomainSettings) } : {}),
      ...(input.DefaultSpaceSettings !== undefined
        ? { defaultSpaceSettings: doc(input.DefaultSpaceSettings) }
        : {}),
      ...(input.AppSecurityGroupManagement !== undefined
        ? { appSecurityGroupManagement: input.AppSecurityGroupManagement }
        : {}),
      ...(input.TagPropagation !== undefined ? { tagPropagation: input.TagPropagation } : {}),
    });
    return {};
  },
  delete: async (ctx, current) =>
    unlessGone(() => ctx.services.studio.deleteDomain(ctx.scope, current.physicalId)),
};

const profileKey = (current: { properties: Record<string, unknown> }) => ({
  domainId: String(current.properties.DomainId),
  name: String(current.properties.UserProfileName),
});

const userProfile: ResourceProvider<StudioCfnServices> = {
  type: 'AWS::SageMaker::UserProfile',
  properties: {
    DomainId: { required: true, replace: true },
    UserProfileName: { required: true, replace: true },
    SingleSignOnUserIdentifier: { replace: true },
    SingleSignOnUserValue: { replace: true },
    UserSettings: {},
    Tags: { replace: true },
  },
  attributes: ['UserProfileArn'],
  identity: ['UserProfileName', 'DomainId'],
  create: async (ctx, properties) => {
    const input = createUserProfileInput<WireCreateUserProfile>(ctx.logicalId, properties);
    const identifier = input.SingleSignOnUserIdentifier;
    const value = input.SingleSignOnUserValue;
    const created = await ctx.services.studio.createUserProfile(ctx.scope, {
      domainId: input.DomainId,
      name: input.UserProfileName,
      ...(identifier !== undefined || value !== undefined
        ? {
            ssoUser: {
              ...(identifier !== undefined ? { identifier } : {}),
              ...(value !== undefined ? { value } : {}),
            },
          }
        : {}),
      ...(input.UserSettings !== undefined ? { userSettings: input.UserSettings as UserSettings } : {}),
      ...(input.Tags !== undefined ? { tags: tags(input.Tags) } : {}),
    });
    return {
      physicalId: `${created.name}|${created.domainId}`,
      attributes: {
        UserProfileArn: studioArns.userProfile(
          ctx.scope.region,
          ctx.scope.accountId,
          created.domainId,
          created.name,
        ),
      },
    };
  },
  update: async (ctx, current, properties) => {
    const input = createUserProfileInput<WireCreateUserProfile>(ctx.logicalId, properties);
    const { domainId, name } = profileKey(current);
    await ctx.services.studio.updateUserProfile(
      ctx.scope,
      domainId,
      name,
      input.UserSettings as UserSettings | undefined,
    );
    return {};
  },
  delete: async (ctx, current) => {
    const { domainId, name } = profileKey(current);
    await unlessGone(() => ctx.services.studio.deleteUserProfile(ctx.scope, domainId, name));
  },
  // Deleting ends after the profile's Deleting phase; its domain can be deleted only then.
  isDeleted: async (ctx, current) => {
    const { domainId, name } = profileKey(current);
    return gone(async () => {
      await ctx.services.studio.describeUserProfile(ctx.scope, domainId, name);
      return false;
    });
  },
};

const appRef = (current: { properties: Record<string, unknown> }) => ({
  domainId: String(current.properties.DomainId),
  userProfileName: String(current.properties.UserProfileName),
  appType: String(current.properties.AppType) as WireCreateApp['AppType'],
  appName: String(current.properties.AppName),
});

const app: ResourceProvider<StudioCfnServices> = {
  type: 'AWS::SageMaker::App',
  properties: {
    AppName: { required: true, replace: true },
    AppType: { required: true, replace: true },
    DomainId: { required: true, replace: true },
    UserProfileName: { required: true, replace: true },
    ResourceSpec: { replace: true },
    Tags: { replace: true },
    RecoveryMode: {},
  },
  attributes: ['AppArn'],
  identity: ['AppName', 'AppType', 'DomainId', 'UserProfileName'],
  create: async (ctx, properties) => {
    const { RecoveryMode: _recovery, ...rest } = properties;
    const input = createAppInput<WireCreateApp>(ctx.logicalId, rest);
    const created = await ctx.services.studioApps.createApp(ctx.scope, {
      domainId: input.DomainId,
      ...(input.UserProfileName !== undefined ? { userProfileName: input.UserProfileName } : {}),
      appType: input.AppType,
      appName: input.AppName,
      ...(input.ResourceSpec !== undefined ? { resourceSpec: doc(input.ResourceSpec) } : {}),
      ...(input.Tags !== undefined ? { tags: tags(input.Tags) } : {}),
    });
    return {
      physicalId: `${created.appName}|${created.appType}|${created.domainId}|${created.profileName}`,
      attributes: { AppArn: created.appArn },
    };
  },
  update: async () => ({}),
  delete: async (ctx, current) =>
    unlessGone(() => ctx.services.studioApps.deleteApp(ctx.scope, appRef(current))),
  isDeleted: async (ctx, current) =>
    gone(
      async () =>
        (await ctx.services.studioApps.describeApp(ctx.scope, appRef(current))).status === 'Deleted',
    ),
};

export const studioResourceProviders: ResourceProvider<StudioCfnServices>[] = [domain, userProfile, app];
