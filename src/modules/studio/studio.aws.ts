import { defineAwsService } from '../../aws/aws-service.js';
import { loadServiceModel } from '../../aws/models/load-model.js';
import type {
  DescribeDomainResponse,
  DescribeUserProfileResponse,
  DomainDetails,
  DomainSettingsForUpdate,
  SageMakerOperations,
  UserProfileDetails,
  Tag as WireTag,
} from '../../aws/models/sagemaker.types.js';
import type { DomainView, StudioService, UserProfileSummaryView, UserProfileView } from './studio.service.js';
import type { SettingsDocument, Tag } from './studio.types.js';
import { domainUrl, studioArns } from './studio-ids.js';

/** MaxResults is 1–100; an absent one asks for the most. */
const PAGE = 100;

const pageSize = (maxResults: number | undefined): number => Math.min(maxResults ?? PAGE, PAGE);

/** Settings structures travel as given: validated against the model at the edge, kept opaque inside. */
const document = (value: object | undefined): SettingsDocument | undefined =>
  value === undefined ? undefined : (value as SettingsDocument);

const wire = <T>(value: SettingsDocument | undefined): T | undefined => value as unknown as T | undefined;

const tagsFromWire = (tags: WireTag[] | undefined): Tag[] | undefined =>
  tags?.map((t) => ({ key: t.Key, value: t.Value }));

/** UpdateDomain's DomainSettingsForUpdate, as the DomainSettings members it replaces. */
const domainSettingsFromUpdate = (
  update: DomainSettingsForUpdate | undefined,
): SettingsDocument | undefined => {
  if (update === undefined) return undefined;
  const { RStudioServerProDomainSettingsForUpdate: rstudio, ...rest } = update;
  return rstudio === undefined ? document(rest) : { ...rest, RStudioServerProDomainSettings: rstudio };
};

const domainArnOf = (domain: DomainView): string =>
  studioArns.domain(domain.region, domain.accountId, domain.domainId);

const profileArnOf = (region: string, accountId: string, domainId: string, name: string): string =>
  studioArns.userProfile(region, accountId, domainId, name);

const toDescribeDomain = (domain: DomainView): DescribeDomainResponse => {
  const c = domain.configuration;
  return {
    DomainArn: domainArnOf(domain),
    DomainId: domain.domainId,
    DomainName: domain.name,
    HomeEfsFileSystemId: domain.homeEfsFileSystemId,
    SingleSignOnManagedApplicationInstanceId: domain.sso?.applicationId,
    SingleSignOnApplicationArn: domain.applicationArn,
    Status: domain.status,
    CreationTime: domain.createdAt,
    LastModifiedTime: domain.lastModifiedAt,
    AuthMode: domain.authMode,
    DefaultUserSettings: wire(c.defaultUserSettings),
    DomainSettings: wire(c.domainSettings),
    AppNetworkAccessType: c.appNetworkAccessType,
    HomeEfsFileSystemKmsKeyId: c.homeEfsFileSystemKmsKeyId,
    SubnetIds: c.subnetIds,
    Url: domainUrl(domain.region, domain.domainId),
    VpcId: c.vpcId,
    KmsKeyId: c.kmsKeyId,
    AppSecurityGroupManagement:
      c.appSecurityGroupManagement as DescribeDomainResponse['AppSecurityGroupManagement'],
    TagPropagation: c.tagPropagation,
    DefaultSpaceSettings: wire(c.defaultSpaceSettings),
  };
};

const toDomainDetails = (domain: DomainView): DomainDetails => ({
  DomainArn: domainArnOf(domain),
  DomainId: domain.domainId,
  DomainName: domain.name,
  Status: domain.status,
  CreationTime: domain.createdAt,
  LastModifiedTime: domain.lastModifiedAt,
  Url: domainUrl(domain.region, domain.domainId),
});

const toDescribeUserProfile = (
  profile: UserProfileView,
  region: string,
  accountId: string,
): DescribeUserProfileResponse => ({
  DomainId: profile.domainId,
  UserProfileArn: profileArnOf(region, accountId, profile.domainId, profile.name),
  UserProfileName: profile.name,
  HomeEfsFileSystemUid: profile.homeEfsUid,
  Status: profile.status,
  LastModifiedTime: profile.lastModifiedAt,
  CreationTime: profile.createdAt,
  ...(profile.ssoUserName !== undefined
    ? { SingleSignOnUserIdentifier: 'UserName', SingleSignOnUserValue: profile.ssoUserName }
    : {}),
  UserSettings: wire(profile.configuration.userSettings),
});

const toUserProfileDetails = (profile: UserProfileSummaryView): UserProfileDetails => ({
  DomainId: profile.domainId,
  UserProfileName: profile.name,
  Status: profile.status,
  CreationTime: profile.createdAt,
  LastModifiedTime: profile.lastModifiedAt,
});

/** Amazon SageMaker's Studio domain and user profile API (awsJson1_1, target SageMaker). */
export const sageMakerAwsService = (studio: StudioService) =>
  defineAwsService<SageMakerOperations>('sagemaker', loadServiceModel('sagemaker'), {
    CreateDomain: async (input, { scope }) => {
      const domain = await studio.createDomain(scope, {
        name: input.DomainName,
        authMode: input.AuthMode,
        defaultUserSettings: document(input.DefaultUserSettings) ?? {},
        domainSettings: document(input.DomainSettings),
        defaultSpaceSettings: document(input.DefaultSpaceSettings),
        vpcId: input.VpcId,
        subnetIds: input.SubnetIds,
        appNetworkAccessType: input.AppNetworkAccessType,
        appSecurityGroupManagement: input.AppSecurityGroupManagement,
        kmsKeyId: input.KmsKeyId,
        homeEfsFileSystemKmsKeyId: input.HomeEfsFileSystemKmsKeyId,
        tagPropagation: input.TagPropagation,
        tags: tagsFromWire(input.Tags),
      });
      return {
        DomainArn: domainArnOf(domain),
        DomainId: domain.domainId,
        Url: domainUrl(domain.region, domain.domainId),
      };
    },
    DescribeDomain: async (input, { scope }) =>
      toDescribeDomain(await studio.describeDomain(scope, input.DomainId)),
    ListDomains: async (input, { scope }) => {
      const page = await studio.listDomains(scope, {
        limit: pageSize(input.MaxResults),
        nextToken: input.NextToken,
      });
      return { Domains: page.items.map(toDomainDetails), NextToken: page.nextToken };
    },
    UpdateDomain: async (input, { scope }) => {
      const domain = await studio.updateDomain(scope, input.DomainId, {
        defaultUserSettings: document(input.DefaultUserSettings),
        domainSettings: domainSettingsFromUpdate(input.DomainSettingsForUpdate),
        defaultSpaceSettings: document(input.DefaultSpaceSettings),
        vpcId: input.VpcId,
        subnetIds: input.SubnetIds,
        appNetworkAccessType: input.AppNetworkAccessType,
        appSecurityGroupManagement: input.AppSecurityGroupManagement,
        tagPropagation: input.TagPropagation,
      });
      return { DomainArn: domainArnOf(domain) };
    },
    // RetentionPolicy is accepted: there is no home EFS file system to retain or delete.
    DeleteDomain: async (input, { scope }) => {
      await studio.deleteDomain(scope, input.DomainId);
      return {};
    },
    CreateUserProfile: async (input, { scope }) => {
      const sso =
        input.SingleSignOnUserIdentifier !== undefined || input.SingleSignOnUserValue !== undefined
          ? { identifier: input.SingleSignOnUserIdentifier, value: input.SingleSignOnUserValue }
          : undefined;
      const profile = await studio.createUserProfile(scope, {
        domainId: input.DomainId,
        name: input.UserProfileName,
        ssoUser: sso,
        userSettings: document(input.UserSettings),
        tags: tagsFromWire(input.Tags),
      });
      return {
        UserProfileArn: profileArnOf(scope.region, scope.accountId, profile.domainId, profile.name),
      };
    },
    DescribeUserProfile: async (input, { scope }) =>
      toDescribeUserProfile(
        await studio.describeUserProfile(scope, input.DomainId, input.UserProfileName),
        scope.region,
        scope.accountId,
      ),
    ListUserProfiles: async (input, { scope }) => {
      const page = await studio.listUserProfiles(scope, {
        limit: pageSize(input.MaxResults),
        nextToken: input.NextToken,
        domainId: input.DomainIdEquals,
        nameContains: input.UserProfileNameContains,
        sortBy: input.SortBy,
        sortOrder: input.SortOrder,
      });
      return { UserProfiles: page.items.map(toUserProfileDetails), NextToken: page.nextToken };
    },
    UpdateUserProfile: async (input, { scope }) => {
      const profile = await studio.updateUserProfile(
        scope,
        input.DomainId,
        input.UserProfileName,
        document(input.UserSettings),
      );
      return {
        UserProfileArn: profileArnOf(scope.region, scope.accountId, profile.domainId, profile.name),
      };
    },
    DeleteUserProfile: async (input, { scope }) => {
      await studio.deleteUserProfile(scope, input.DomainId, input.UserProfileName);
      return {};
    },
    CreatePresignedDomainUrl: async (input, { scope }) => {
      const presigned = await studio.createPresignedDomainUrl(scope, {
        domainId: input.DomainId,
        profileName: input.UserProfileName,
        expiresInSeconds: input.ExpiresInSeconds,
        sessionExpirationDurationInSeconds: input.SessionExpirationDurationInSeconds,
        spaceName: input.SpaceName,
        landingUri: input.LandingUri,
      });
      return { AuthorizedUrl: presigned.url };
    },
  });
