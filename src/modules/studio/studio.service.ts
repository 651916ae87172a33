import { createHash, randomBytes } from 'node:crypto';
import { arns } from '../../core/arns.js';
import type { Clock } from '../../core/clock.js';
import {
  ConflictError,
  InUseError,
  LimitExceededError,
  NotFoundError,
  ValidationError,
} from '../../core/errors.js';
import { decodePageToken, encodePageToken, type Page } from '../../core/pagination.js';
import type { Scope } from '../../core/scope.js';
import { joinedUnitOfWork, type UnitOfWork } from '../../core/unit-of-work.js';
import { AccessService } from '../access/access.service.js';
import type { AccessDecision } from '../access/access-decision.js';
import { SAGEMAKER_PROVIDER_ARN } from '../access/application-providers.js';
import type { ApplicationsRepository } from '../access/applications.repository.js';
import { ApplicationsService, applicationArnOf } from '../access/applications.service.js';
import type { Application } from '../access/applications.types.js';
import type { InstancesRepository } from '../access/instances.repository.js';
import type { InstancesService } from '../access/instances.service.js';
import type { IdentityStoreRepository } from '../identity-store/identity-store.repository.js';
import type { IdentityStoreService } from '../identity-store/identity-store.service.js';
import { lookupKey } from '../identity-store/identity-store.types.js';
import {
  DEFAULT_LIFECYCLE_TIMINGS,
  enterPhase,
  isDeleting,
  type LifecycleTimings,
  statusAt,
} from './lifecycle.js';
import type { StudioRepository } from './studio.repository.js';
import type {
  AppNetworkAccessType,
  AuthMode,
  Domain,
  DomainConfiguration,
  SettingsDocument,
  SortOrder,
  StudioLinks,
  StudioStatus,
  Tag,
  UserProfile,
  UserProfileSortKey,
  UserProfileSummary,
  UserSettings,
} from './studio.types.js';
import { FIRST_HOME_UID, studioApplicationName, studioIds } from './studio-ids.js';

export interface StudioRepositories {
  studio: StudioRepository;
  instances: InstancesRepository;
  applications: ApplicationsRepository;
  identityStore: IdentityStoreRepository;
}

/**
 * The access module's services bound to one set of repositories: those of a studio transaction, so
 * that the access decision reads, and an assignment lands, in the same transaction as the profile.
 */
export interface StudioCollaborators {
  applications: ApplicationsService;
  access: AccessService;
}

export interface StudioServiceOptions {
  uow: UnitOfWork<StudioRepositories>;
  collaborators: (within: StudioRepositories) => StudioCollaborators;
  links: StudioLinks;
  clock: Clock;
  timings?: LifecycleTimings;
  /** ResourceLimitExceeded beyond this many domains per account and Region. */
  maxDomainsPerRegion?: number;
  /** The profile's apps that are not deleted (studio-apps): a profile with any cannot be deleted. */
  liveApps?(domainId: string, profileNameKey: string, now: Date): Promise<string[]>;
}

export interface CreateDomainRequest {
  name: string;
  authMode: AuthMode;
  defaultUserSettings: UserSettings;
  domainSettings?: SettingsDocument;
  defaultSpaceSettings?: SettingsDocument;
  vpcId?: string;
  subnetIds?: string[];
  appNetworkAccessType?: AppNetworkAccessType;
  appSecurityGroupManagement?: string;
  kmsKeyId?: string;
  homeEfsFileSystemKmsKeyId?: string;
  tagPropagation?: 'ENABLED' | 'DISABLED';
  tags?: Tag[];
}

/** What UpdateDomain changes; settings documents are merged member by member into the current ones. */
export interface UpdateDomainRequest {
  defaultUserSettings?: UserSettings;
  domainSettings?: SettingsDocument;
  defaultSpaceSettings?: SettingsDocument;
  vpcId?: string;
  subnetIds?: string[];
  appNetworkAccessType?: AppNetworkAccessType;
  appSecurityGroupManagement?: string;
  tagPropagation?: 'ENABLED' | 'DISABLED';
}

export interface CreateUserProfileRequest {
  domainId: string;
  name: string;
  /** SingleSignOnUserIdentifier and SingleSignOnUserValue, when given (SSO domains require them). */
  ssoUser?: { identifier?: string; value?: string };
  userSettings?: UserSettings;
  tags?: Tag[];
}

export interface ListUserProfilesRequest {
  limit: number;
  nextToken?: string;
  domainId?: string;
  nameContains?: string;
  sortBy?: UserProfileSortKey;
  sortOrder?: SortOrder;
}

export interface CreatePresignedUrlRequest {
  domainId: string;
  profileName: string;
  expiresInSeconds?: number;
  sessionExpirationDurationInSeconds?: number;
  spaceName?: string;
  landingUri?: string;
}

export type WithStatus<T> = T & { status: StudioStatus };

/** A domain as callers see it: with its status now and, for SSO domains, its application's ARN. */
export type DomainView = WithStatus<Domain> & { applicationArn?: string };
export type UserProfileView = WithStatus<UserProfile>;
export type UserProfileSummaryView = WithStatus<UserProfileSummary>;

export interface PresignedUrl {
  url: string;
  expiresAt: Date;
}

export type PresignedUrlRedemption =
  | {
      outcome: 'signed-in';
      domain: DomainView;
      profile: UserProfileView;
      sessionExpiresAt: Date;
      spaceName?: string;
      landingUri?: string;
    }
  | { outcome: 'unknown' | 'used' | 'expired' | 'profile-gone' };

export interface SsoProfileResult {
  profile: UserProfileView;
  /** Whether the user had to be assigned to the domain's application (directly) first. */
  assigned: boolean;
  /** The access decision before anything was done. */
  decision: AccessDecision;
}

/** ExpiresInSeconds of CreatePresignedDomainUrl: 5–300, 300 when absent. */
const PRESIGNED_URL_SECONDS = { min: 5, max: 300, default: 300 };
/** SessionExpirationDurationInSeconds: 1800–43200, 43200 (12 hours) when absent. */
const SESSION_SECONDS = { min: 1800, max: 43200, default: 43200 };
const DEFAULT_MAX_DOMAINS = 20;
const PROFILE_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
/** What a presigned URL's token looks like: 256 random bits, base64url. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const newToken = (): string => randomBytes(32).toString('base64url');
const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

const domainNotFound = (domainId: string): NotFoundError =>
  new NotFoundError('DOMAIN_NOT_FOUND', `Domain ${domainId} does not exist.`, {
    resourceType: 'DOMAIN',
    resourceId: domainId,
  });

const profileNotFound = (domainId: string, name: string): NotFoundError =>
  new NotFoundError('USER_PROFILE_NOT_FOUND', `User profile ${name} does not exist in domain ${domainId}.`, {
    resourceType: 'USER_PROFILE',
    resourceId: name,
  });

const domainDeleting = (domainId: string): InUseError =>
  new InUseError(`Domain ${domainId} is being deleted.`, 'DOMAIN_DELETING');

/**
 * The name a console-made profile gets from its user name: AWS's profile-name alphabet (letters,
 * digits, single hyphens), e.g. alice.smith@example.com → alice-smith-example-com.
 */
export const profileNameFor = (userName: string): string => {
  const name = userName
    .replace(/[^a-zA-Z0-9]+/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
  return name === '' ? `user-${randomBytes(4).toString('hex')}` : name;
};

/** `sso-admin create-application-assignment` as people would type it. */
const assignCommand = (applicationArn: string, type: 'USER' | 'GROUP', principalId: string): string =>
  `sso-admin create-application-assignment --application-arn ${applicationArn} --principal-type ${type} --principal-id ${principalId}`;

/**
 * Why CreateUserProfile refuses an SSO user, and how to fix it, from THE access decision: the
 * user, or a group that directly contains the user, must be assigned to the domain's application.
 */
export const refusalMessage = (decision: AccessDecision): string => {
  const user = decision.user.userName;
  const application = `"${decision.application.name}"`;
  const arn = decision.application.applicationArn;
  switch (decision.reason) {
    case 'nested-group-only': {
      const path = decision.nestedPath ?? [];
      const direct = path[0];
      const assigned = path[path.length - 1];
      const through =
        path.length > 2
          ? `, through ${path
              .slice(1, -1)
              .map((g) => g.displayName)
              .join(' and ')},`
          : '';
      return (
        `User ${user} is not assigned to the application ${application}: ${user} is a member of group ${direct?.displayName}, which is only nested${through} in the assigned group ${assigned?.displayName}, and IAM Identity Center does not honour nested groups for application assignment. ` +
        `Assign the user, or a group that directly contains the user, with ${assignCommand(arn, 'GROUP', direct?.groupId ?? '<group-id>')} (group ${direct?.displayName}), then retry.`
      );
    }
    case 'user-disabled':
      return `User ${user} is disabled in the identity store, so it cannot use the application ${application}. Enable the user, then retry.`;
    case 'application-disabled':
      return `The application ${application} is disabled, so no user can be given a profile for it. Enable the application, then retry.`;
    default:
      return (
        `User ${user} is not assigned to the application ${application}. ` +
        `Assign the user, or a group that directly contains the user, with ${assignCommand(arn, 'GROUP', '<group-id>')} (or --principal-type USER --principal-id ${decision.user.userId}), then retry.`
      );
  }
};

/** A settings document with `changes` laid over it member by member; absent when both are. */
const merged = (
  current: SettingsDocument | undefined,
  changes: SettingsDocument | undefined,
): SettingsDocument | undefined =>
  changes === undefined ? current : current === undefined ? changes : { ...current, ...changes };

/** The rules a domain's configuration must keep, at creation and after every update. */
const checkConfiguration = (configuration: DomainConfiguration): void => {
  const role = configuration.defaultUserSettings.ExecutionRole;
  if (typeof role !== 'string' || role === '') {
    throw new ValidationError(
      'DefaultUserSettings.ExecutionRole is required: the IAM role that the Studio apps of the domain run as (for example arn:aws:iam::111122223333:role/SageMakerExecutionRole).',
      'EXECUTION_ROLE_REQUIRED',
    );
  }
  if ((configuration.vpcId === undefined) !== (configuration.subnetIds === undefined)) {
    throw new ValidationError(
      'VpcId and SubnetIds go together: specify both, or neither (the domain then uses a VPC managed by SageMaker, with PublicInternetOnly network access).',
      'VPC_INCOMPLETE',
    );
  }
  if (configuration.appNetworkAccessType === 'VpcOnly' && configuration.vpcId === undefined) {
    throw new ValidationError(
      'AppNetworkAccessType VpcOnly sends all traffic through your VPC: specify VpcId and SubnetIds.',
      'VPC_REQUIRED',
    );
  }
};

/**
 * SageMaker Studio domains and user profiles (AWS sagemaker), with IAM Identity Center's SageMaker
 * rules: an SSO domain registers its AWS-managed application in the caller's instance, in the same
 * transaction as the domain; a profile for an SSO user needs the user allowed by THE access decision
 * (AccessService), never a rule of its own; the console's path assigns and creates atomically.
 */
export class StudioService {
  private readonly uow: UnitOfWork<StudioRepositories>;
  private readonly collaborators: (within: StudioRepositories) => StudioCollaborators;
  private readonly links: StudioLinks;
  private readonly clock: Clock;
  private readonly timings: LifecycleTimings;
  private readonly maxDomains: number;
  private readonly liveApps: StudioServiceOptions['liveApps'];

  constructor(options: StudioServiceOptions) {
    this.uow = options.uow;
    this.collaborators = options.collaborators;
    this.links = options.links;
    this.clock = options.clock;
    this.timings = options.timings ?? DEFAULT_LIFECYCLE_TIMINGS;
    this.maxDomains = options.maxDomainsPerRegion ?? DEFAULT_MAX_DOMAINS;
    this.liveApps = options.liveApps;
  }

  // Domains

  async createDomain(scope: Scope, request: CreateDomainRequest): Promise<DomainView> {
    const configuration: DomainConfiguration = {
      defaultUserSettings: request.defaultUserSettings,
      ...(request.domainSettings !== undefined ? { domainSettings: request.domainSettings } : {}),
      ...(request.defaultSpaceSettings !== undefined
        ? { defaultSpaceSettings: request.defaultSpaceSettings }
        : {}),
      ...(request.vpcId !== undefined ? { vpcId: request.vpcId } : {}),
      ...(request.subnetIds !== undefined ? { subnetIds: request.subnetIds } : {}),
      appNetworkAccessType: request.appNetworkAccessType ?? 'PublicInternetOnly',
      ...(request.appSecurityGroupManagement !== undefined
        ? { appSecurityGroupManagement: request.appSecurityGroupManagement }
        : {}),
      ...(request.kmsKeyId !== undefined ? { kmsKeyId: request.kmsKeyId } : {}),
      ...(request.homeEfsFileSystemKmsKeyId !== undefined
        ? { homeEfsFileSystemKmsKeyId: request.homeEfsFileSystemKmsKeyId }
        : {}),
      tagPropagation: request.tagPropagation ?? 'DISABLED',
      ...(request.tags !== undefined ? { tags: request.tags } : {}),
    };
    checkConfiguration(configuration);
    const now = this.clock.now();
    const { studio, instances } = this.uow.repositories;
    const count = await studio.countDomains(scope.accountId, scope.region, now);
    if (count >= this.maxDomains) {
      throw new LimitExceededError(
        `The account-level service limit 'Total domains' is ${this.maxDomains} Domains, with current utilization of ${count} Domains and a request delta of 1 Domains. Delete a domain you no longer need.`,
        'DOMAIN_LIMIT_EXCEEDED',
      );
    }
    const instance =
      request.authMode === 'SSO' ? await instances.findInstanceOfAccount(scope.accountId) : undefined;
    if (request.authMode === 'SSO') {
      if (instance === undefined) {
        throw new ValidationError(
          `AuthMode SSO needs an IAM Identity Center instance in ${scope.region}, and account ${scope.accountId} has none. Create one (sso-admin create-instance, or enable IAM Identity Center in the console), then retry; or use AuthMode IAM.`,
          'SSO_INSTANCE_REQUIRED',
        );
      }
      if (instance.region !== scope.region) {
        throw new ValidationError(
          `AuthMode SSO needs the IAM Identity Center instance in the domain's Region: the instance of account ${scope.accountId} (${instance.instanceId}) is in ${instance.region}, not ${scope.region}. Create the domain in ${instance.region}, or use AuthMode IAM.`,
          'SSO_INSTANCE_REGION',
        );
      }
    }
    const domainId = studioIds.domainId();
    return this.uow.transaction(async (within) => {
      await within.studio.purgeGoneDomains(scope.accountId, scope.region, now);
      const application =
        instance === undefined
          ? undefined
          : await this.collaborators(within).applications.registerManagedApplication(within, {
              instance,
              name: studioApplicationName(domainId),
              providerArn: SAGEMAKER_PROVIDER_ARN,
              description: `SageMaker Studio domain ${request.name} (${domainId})`,
              createdBy: scope.principalArn,
            });
      const domain: Domain = {
        domainId,
        accountId: scope.accountId,
        region: scope.region,
        name: request.name,
        authMode: request.authMode,
        configuration,
        ...(application !== undefined
          ? {
              sso: {
                applicationId: application.applicationId,
                instanceId: application.instanceId,
                identityStoreId: application.identityStoreId,
              },
            }
          : {}),
        homeEfsFileSystemId: studioIds.efsFileSystemId(),
        ...enterPhase('Pending', now, this.timings),
        createdAt: now,
        createdBy: scope.principalArn,
        lastModifiedAt: now,
      };
      await within.studio.insertDomain(domain);
      return this.domainView(domain, now);
    });
  }

  async describeDomain(scope: Scope, domainId: string): Promise<DomainView> {
    const now = this.clock.now();
    return this.domainView(await this.existingDomain(this.uow.repositories, scope, domainId, now), now);
  }

  async listDomains(scope: Scope, request: { limit: number; nextToken?: string }): Promise<Page<DomainView>> {
    const now = this.clock.now();
    const listing = 'domains';
    const after = decodePageToken(listing, request.nextToken);
    const rows = await this.uow.repositories.studio.listDomains(scope.accountId, scope.region, now, {
      after,
      limit: request.limit + 1,
    });
    const items = rows.slice(0, request.limit).map((domain) => this.domainView(domain, now));
    const last = items[items.length - 1];
    return rows.length > request.limit && last !== undefined
      ? { items, nextToken: encodePageToken(listing, last.domainId) }
      : { items };
  }

  async updateDomain(scope: Scope, domainId: string, request: UpdateDomainRequest): Promise<DomainView> {
    const now = this.clock.now();
    const { studio } = this.uow.repositories;
    const domain = await this.existingDomain(this.uow.repositories, scope, domainId, now);
    if (isDeleting(domain)) throw domainDeleting(domainId);
    const current = domain.configuration;
    const configuration: DomainConfiguration = {
      ...current,
      defaultUserSettings: merged(current.defaultUserSettings, request.defaultUserSettings) ?? {},
      ...optional('domainSettings', merged(current.domainSettings, request.domainSettings)),
      ...optional('defaultSpaceSettings', merged(current.defaultSpaceSettings, request.defaultSpaceSettings)),
      ...optional('vpcId', request.vpcId ?? current.vpcId),
      ...optional('subnetIds', request.subnetIds ?? current.subnetIds),
      appNetworkAccessType: request.appNetworkAccessType ?? current.appNetworkAccessType,
      ...optional(
        'appSecurityGroupManagement',
        request.appSecurityGroupManagement ?? current.appSecurityGroupManagement,
      ),
      tagPropagation: request.tagPropagation ?? current.tagPropagation,
    };
    checkConfiguration(configuration);
    const lifecycle = enterPhase('Updating', now, this.timings);
    if (!(await studio.updateDomain(domainId, configuration, lifecycle, now))) throw domainDeleting(domainId);
    return this.domainView({ ...domain, configuration, ...lifecycle, lastModifiedAt: now }, now);
  }

  /**
   * Starts deleting the domain, and removes its managed application (with every assignment to it)
   * in the same transaction. Refused while the domain has user profiles, as AWS refuses it. The
   * home EFS file system is not modeled, so the RetentionPolicy has nothing to act on.
   */
  async deleteDomain(scope: Scope, domainId: string): Promise<void> {
    const now = this.clock.now();
    await this.uow.transaction(async (within) => {
      const domain = await this.existingDomain(within, scope, domainId, now);
      // Marking first locks the row: a concurrent profile creation waits, then finds it Deleting.
      if (
        !(await within.studio.markDomainDeleting(domainId, enterPhase('Deleting', now, this.timings), now))
      ) {
        throw new InUseError(`Domain ${domainId} is already being deleted.`, 'DOMAIN_DELETING');
      }
      const profiles = await within.studio.countUserProfiles(domainId, now);
      if (profiles > 0) {
        throw new InUseError(
          `Domain ${domainId} has ${profiles} user profile${profiles === 1 ? '' : 's'}: delete ${profiles === 1 ? 'it' : 'them'} (sagemaker delete-user-profile) before deleting the domain.`,
          'DOMAIN_HAS_USER_PROFILES',
        );
      }
      if (domain.sso !== undefined) {
        await this.collaborators(within).applications.removeManagedApplication(
          within,
          domain.sso.applicationId,
        );
      }
    });
  }

  // User profiles

  /**
   * CreateUserProfile (the CLI, SDK and CloudFormation path): an SSO user must already be allowed
   * by the access decision (assigned, or a direct member of an assigned group); it is not assigned here.
   */
  async createUserProfile(scope: Scope, request: CreateUserProfileRequest): Promise<UserProfileView> {
    const now = this.clock.now();
    return this.uow.transaction(async (within) => {
      const domain = await this.usableDomain(within, scope, request.domainId, now);
      const identifier = request.ssoUser?.identifier;
      const value = request.ssoUser?.value;
      if (domain.authMode === 'IAM') {
        if (identifier !== undefined || value !== undefined) {
          throw new ValidationError(
            `SingleSignOnUserIdentifier and SingleSignOnUserValue can be specified only for a domain whose AuthMode is SSO; domain ${domain.domainId} uses IAM.`,
            'SSO_FIELDS_NOT_ALLOWED',
          );
        }
        return this.insertProfile(within, scope, domain, request, undefined, now);
      }
      if (identifier === undefined || value === undefined) {
        throw new ValidationError(
          `Domain ${domain.domainId} uses AuthMode SSO: SingleSignOnUserIdentifier (UserName) and SingleSignOnUserValue (the user name of an IAM Identity Center user) are required.`,
          'SSO_FIELDS_REQUIRED',
        );
      }
      if (identifier !== 'UserName') {
        throw new ValidationError(
          `SingleSignOnUserIdentifier must be UserName, not ${identifier}.`,
          'SSO_IDENTIFIER_UNSUPPORTED',
        );
      }
      const application = await this.ssoApplication(within, domain);
      const userId = await within.identityStore.findUserIdByUserName(
        application.identityStoreId,
        lookupKey(value),
      );
      if (userId === undefined) {
        throw new ValidationError(
          `SingleSignOnUserValue ${value} is not a user name of the identity store ${application.identityStoreId} of domain ${domain.domainId}'s IAM Identity Center instance.`,
          'SSO_USER_NOT_FOUND',
        );
      }
      const decision = await this.collaborators(within).access.decideForApplication(application, userId);
      if (!decision.allowed) throw new ValidationError(refusalMessage(decision), 'SSO_USER_NOT_ASSIGNED');
      return this.insertProfile(within, scope, domain, request, { userId, userName: value }, now);
    });
  }

  /**
   * The console's "create a user profile for this SSO user": assigns the user to the domain's
   * application when the access decision does not already allow it, and creates the profile, in one
   * transaction: either both happen or neither.
   */
  async createProfileForSsoUser(
    scope: Scope,
    domainId: string,
    userName: string,
    profileName?: string,
    userSettings?: UserSettings,
  ): Promise<SsoProfileResult> {
    const name = profileName ?? profileNameFor(userName);
    if (!PROFILE_NAME.test(name)) {
      throw new ValidationError(
        `${name} is not a valid user profile name: 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit.`,
        'INVALID_PROFILE_NAME',
      );
    }
    const now = this.clock.now();
    return this.uow.transaction(async (within) => {
      const domain = await this.usableDomain(within, scope, domainId, now);
      if (domain.authMode !== 'SSO') {
        throw new ValidationError(
          `Domain ${domainId} uses AuthMode IAM: profiles for IAM Identity Center users need a domain whose AuthMode is SSO.`,
          'DOMAIN_NOT_SSO',
        );
      }
      const application = await this.ssoApplication(within, domain);
      const userId = await within.identityStore.findUserIdByUserName(
        application.identityStoreId,
        lookupKey(userName),
      );
      if (userId === undefined) {
        throw new NotFoundError(
          'USER_NOT_FOUND',
          `User ${userName} does not exist in the identity store ${application.identityStoreId}.`,
          { resourceType: 'USER', resourceId: userName },
        );
      }
      const { applications, access } = this.collaborators(within);
      const decision = await access.decideForApplication(application, userId);
      let assigned = false;
      if (!decision.allowed) {
        if (decision.reason !== 'not-assigned' && decision.reason !== 'nested-group-only') {
          throw new ValidationError(refusalMessage(decision), 'SSO_USER_NOT_ALLOWED');
        }
        await applications.createAssignment(scope, applicationArnOf(application), {
          type: 'USER',
          id: userId,
        });
        assigned = true;
      }
      const profile = await this.insertProfile(
        within,
        scope,
        domain,
        { name, ...(userSettings !== undefined ? { userSettings } : {}) },
        { userId, userName: decision.user.userName },
        now,
      );
      return { profile, assigned, decision };
    });
  }

  async describeUserProfile(scope: Scope, domainId: string, name: string): Promise<UserProfileView> {
    const now = this.clock.now();
    return this.existingProfile(this.uow.repositories, scope, domainId, name, now);
  }

  async listUserProfiles(
    scope: Scope,
    request: ListUserProfilesRequest,
  ): Promise<Page<UserProfileSummaryView>> {
    const now = this.clock.now();
    const sortBy = request.sortBy ?? 'CreationTime';
    const sortOrder = request.sortOrder ?? 'Ascending';
    const nameContainsKey = request.nameContains?.toLowerCase();
    if (nameContainsKey !== undefined && !/^[a-z0-9-]*$/.test(nameContainsKey)) {
      throw new ValidationError(
        'UserProfileNameContains may hold only letters, digits and hyphens.',
        'INVALID_FILTER',
      );
    }
    const listing = `user-profiles:${request.domainId ?? ''}:${nameContainsKey ?? ''}:${sortBy}:${sortOrder}`;
    const after = decodePageToken(listing, request.nextToken);
    const rows = await this.uow.repositories.studio.listUserProfiles(
      {
        accountId: scope.accountId,
        region: scope.region,
        ...(request.domainId !== undefined ? { domainId: request.domainId } : {}),
        ...(nameContainsKey !== undefined ? { nameContainsKey } : {}),
        sortBy,
        sortOrder,
        ...(after !== undefined ? { after } : {}),
        limit: request.limit + 1,
      },
      now,
    );
    const page = rows.slice(0, request.limit);
    const items = page.map(({ item }) => summaryView(item, now));
    const last = page[page.length - 1];
    return rows.length > request.limit && last !== undefined
      ? { items, nextToken: encodePageToken(listing, last.key) }
      : { items };
  }

  async updateUserProfile(
    scope: Scope,
    domainId: string,
    name: string,
    userSettings: UserSettings | undefined,
  ): Promise<UserProfileView> {
    const now = this.clock.now();
    const profile = await this.existingProfile(this.uow.repositories, scope, domainId, name, now);
    if (isDeleting(profile)) throw profileDeleting(domainId, profile.name);
    const configuration = {
      ...profile.configuration,
      ...optional('userSettings', merged(profile.configuration.userSettings, userSettings)),
    };
    const lifecycle = enterPhase('Updating', now, this.timings);
    const updated = await this.uow.repositories.studio.updateUserProfile(
      domainId,
      profile.name.toLowerCase(),
      configuration,
      lifecycle,
      now,
    );
    if (!updated) throw profileDeleting(domainId, profile.name);
    return { ...profile, configuration, ...lifecycle, lastModifiedAt: now, status: lifecycle.phase };
  }

  async deleteUserProfile(scope: Scope, domainId: string, name: string): Promise<void> {
    const now = this.clock.now();
    const profile = await this.existingProfile(this.uow.repositories, scope, domainId, name, now);
    const apps = (await this.liveApps?.(domainId, profile.name.toLowerCase(), now)) ?? [];
    if (apps.length > 0) {
      throw new InUseError(
        `User profile ${profile.name} in domain ${domainId} has apps that are not deleted (${apps.join(', ')}): delete them (sagemaker delete-app) first.`,
        'USER_PROFILE_HAS_APPS',
      );
    }
    const marked = await this.uow.repositories.studio.markUserProfileDeleting(
      domainId,
      profile.name.toLowerCase(),
      enterPhase('Deleting', now, this.timings),
      now,
    );
    if (!marked) throw profileDeleting(domainId, profile.name);
  }

  /** The user profile of an SSO user in the domain (console and portal), if any. */
  async findProfileOfUser(
    scope: Scope,
    domainId: string,
    userId: string,
  ): Promise<UserProfileView | undefined> {
    const now = this.clock.now();
    const domain = await this.existingDomain(this.uow.repositories, scope, domainId, now);
    const profile = await this.uow.repositories.studio.findUserProfileOfUser(domain.domainId, userId);
    const status = profile === undefined ? undefined : statusAt(profile, now);
    return profile === undefined || status === undefined ? undefined : { ...profile, status };
  }

  /**
   * `findProfileOfUser` for a page of SSO users (the console's onboarding table): each one's profile
   * in the domain, by user ID, for those who have one; the domain's check and one query.
   */
  async findProfilesOfUsers(
    scope: Scope,
    domainId: string,
    userIds: readonly string[],
  ): Promise<Map<string, UserProfileView>> {
    const now = this.clock.now();
    const domain = await this.existingDomain(this.uow.repositories, scope, domainId, now);
    const profiles = await this.uow.repositories.studio.findUserProfilesOfUsers(domain.domainId, userIds);
    const found = new Map<string, UserProfileView>();
    for (const profile of profiles) {
      const status = statusAt(profile, now);
      if (profile.ssoUserId !== undefined && status !== undefined)
        found.set(profile.ssoUserId, { ...profile, status });
    }
    return found;
  }

  // Presigned domain URLs

  /**
   * A single-use URL that signs in to Studio as the profile, valid for ExpiresInSeconds. IAM
   * domains only: SSO domains' users sign in through the access portal.
   */
  async createPresignedDomainUrl(scope: Scope, request: CreatePresignedUrlRequest): Promise<PresignedUrl> {
    const now = this.clock.now();
    const { studio } = this.uow.repositories;
    const domain = await this.existingDomain(this.uow.repositories, scope, request.domainId, now);
    if (domain.authMode !== 'IAM') {
      throw new ValidationError(
        `CreatePresignedDomainUrl is supported only for domains whose AuthMode is IAM; domain ${domain.domainId} uses SSO, whose users open Studio from the IAM Identity Center access portal.`,
        'PRESIGNED_URL_SSO_DOMAIN',
      );
    }
    const profile = await this.existingProfile(
      this.uow.repositories,
      scope,
      domain.domainId,
      request.profileName,
      now,
    );
    if (isDeleting(profile)) throw profileNotFound(domain.domainId, request.profileName);
    const expiresIn = request.expiresInSeconds ?? PRESIGNED_URL_SECONDS.default;
    const session = request.sessionExpirationDurationInSeconds ?? SESSION_SECONDS.default;
    if (expiresIn < PRESIGNED_URL_SECONDS.min || expiresIn > PRESIGNED_URL_SECONDS.max) {
      throw new ValidationError(
        `ExpiresInSeconds must be between ${PRESIGNED_URL_SECONDS.min} and ${PRESIGNED_URL_SECONDS.max}.`,
      );
    }
    if (session < SESSION_SECONDS.min || session > SESSION_SECONDS.max) {
      throw new ValidationError(
        `SessionExpirationDurationInSeconds must be between ${SESSION_SECONDS.min} and ${SESSION_SECONDS.max}.`,
      );
    }
    const token = newToken();
    const expiresAt = new Date(now.getTime() + expiresIn * 1000);
    await studio.insertPresignedUrl({
      tokenHash: hashToken(token),
      domainId: domain.domainId,
      profileNameKey: profile.name.toLowerCase(),
      sessionSeconds: session,
      ...(request.spaceName !== undefined ? { spaceName: request.spaceName } : {}),
      ...(request.landingUri !== undefined ? { landingUri: request.landingUri } : {}),
      createdAt: now,
      createdBy: scope.principalArn,
      expiresAt,
    });
    return { url: this.links.presignedDomainUrl(domain.domainId, token), expiresAt };
  }

  /** Opens a presigned URL: once, before it expires, for a profile that still exists. */
  async redeemPresignedUrl(token: string): Promise<PresignedUrlRedemption> {
    if (!TOKEN.test(token)) return { outcome: 'unknown' };
    const now = this.clock.now();
    const { studio } = this.uow.repositories;
    const redemption = await studio.redeemPresignedUrl(hashToken(token), now);
    if (redemption.outcome !== 'redeemed') return { outcome: redemption.outcome };
    const { grant } = redemption;
    const domain = await studio.findDomain(grant.domainId);
    const profile = await studio.findUserProfile(grant.domainId, grant.profileNameKey);
    const domainStatus = domain === undefined ? undefined : statusAt(domain, now);
    const profileStatus = profile === undefined ? undefined : statusAt(profile, now);
    if (
      domain === undefined ||
      profile === undefined ||
      domainStatus === undefined ||
      profileStatus === undefined ||
      isDeleting(domain) ||
      isDeleting(profile)
    ) {
      return { outcome: 'profile-gone' };
    }
    return {
      outcome: 'signed-in',
      domain: this.domainView(domain, now),
      profile: { ...profile, status: profileStatus },
      sessionExpiresAt: new Date(now.getTime() + grant.sessionSeconds * 1000),
      ...(grant.spaceName !== undefined ? { spaceName: grant.spaceName } : {}),
      ...(grant.landingUri !== undefined ? { landingUri: grant.landingUri } : {}),
    };
  }

  // Lookups

  /** The caller's domain in the caller's Region, in any status but gone; else not found. */
  private async existingDomain(
    repositories: StudioRepositories,
    scope: Scope,
    domainId: string,
    now: Date,
  ): Promise<Domain> {
    const domain = await repositories.studio.findDomain(domainId);
    if (
      domain === undefined ||
      domain.accountId !== scope.accountId ||
      domain.region !== scope.region ||
      statusAt(domain, now) === undefined
    ) {
      throw domainNotFound(domainId);
    }
    return domain;
  }

  /** A domain that may get new profiles: existing and not being deleted. */
  private async usableDomain(
    repositories: StudioRepositories,
    scope: Scope,
    domainId: string,
    now: Date,
  ): Promise<Domain> {
    const domain = await this.existingDomain(repositories, scope, domainId, now);
    if (isDeleting(domain)) throw domainDeleting(domainId);
    return domain;
  }

  private async existingProfile(
    repositories: StudioRepositories,
    scope: Scope,
    domainId: string,
    name: string,
    now: Date,
  ): Promise<UserProfileView> {
    await this.existingDomain(repositories, scope, domainId, now);
    const profile = await repositories.studio.findUserProfile(domainId, name.toLowerCase());
    const status = profile === undefined ? undefined : statusAt(profile, now);
    if (profile === undefined || status === undefined) throw profileNotFound(domainId, name);
    return { ...profile, status };
  }

  /** The SSO domain's application, which it loses only with its Identity Center instance. */
  private async ssoApplication(repositories: StudioRepositories, domain: Domain): Promise<Application> {
    const application =
      domain.sso === undefined
        ? undefined
        : await repositories.applications.findApplication(domain.sso.applicationId);
    if (application === undefined) {
      throw new ValidationError(
        `Domain ${domain.domainId} has lost its IAM Identity Center application: the instance it was registered in has been deleted. Profiles for IAM Identity Center users cannot be created in it; create a new SSO domain.`,
        'SSO_APPLICATION_GONE',
      );
    }
    return application;
  }

  /**
   * The profile insert shared by CreateUserProfile and the console path, in their transaction: the
   * domain's row is locked first (its next home UID), then duplicates are looked for by name and by
   * SSO user so that each gets its own message; the unique indexes still decide under concurrency.
   */
  private async insertProfile(
    within: StudioRepositories,
    scope: Scope,
    domain: Domain,
    request: Pick<CreateUserProfileRequest, 'name' | 'userSettings' | 'tags'>,
    ssoUser: { userId: string; userName: string } | undefined,
    now: Date,
  ): Promise<UserProfileView> {
    const uid = await within.studio.allocateHomeUid(domain.domainId);
    if (uid === undefined) throw domainDeleting(domain.domainId);
    await within.studio.purgeGoneUserProfiles(domain.domainId, now);
    const sameName = await within.studio.findUserProfile(domain.domainId, request.name.toLowerCase());
    if (sameName !== undefined) {
      throw new ConflictError(
        'USER_PROFILE_EXISTS',
        sameName.name === request.name
          ? `User profile ${request.name} already exists in domain ${domain.domainId}.`
          : `User profile ${sameName.name} already exists in domain ${domain.domainId}, and profile names are not case sensitive: choose another name than ${request.name}.`,
      );
    }
    if (ssoUser !== undefined) {
      const ofUser = await within.studio.findUserProfileOfUser(domain.domainId, ssoUser.userId);
      if (ofUser !== undefined) {
        throw new ConflictError(
          'SSO_USER_HAS_PROFILE',
          `User ${ssoUser.userName} already has the user profile ${ofUser.name} in domain ${domain.domainId}; a user has at most one profile per domain.`,
        );
      }
    }
    const profile: UserProfile = {
      domainId: domain.domainId,
      name: request.name,
      ...(ssoUser !== undefined ? { ssoUserId: ssoUser.userId, ssoUserName: ssoUser.userName } : {}),
      homeEfsUid: String(FIRST_HOME_UID - 1 + uid),
      configuration: {
        ...(request.userSettings !== undefined ? { userSettings: request.userSettings } : {}),
        ...(request.tags !== undefined ? { tags: request.tags } : {}),
      },
      ...enterPhase('Pending', now, this.timings),
      createdAt: now,
      createdBy: scope.principalArn,
      lastModifiedAt: now,
    };
    await within.studio.insertUserProfile(profile);
    return { ...profile, status: profile.phase };
  }

  private domainView(domain: Domain, now: Date): DomainView {
    const status = statusAt(domain, now) ?? 'Deleting';
    return domain.sso === undefined
      ? { ...domain, status }
      : {
          ...domain,
          status,
          // The application belongs to the instance's owner, which is the domain's account.
          applicationArn: arns.application(domain.accountId, domain.sso.instanceId, domain.sso.applicationId),
        };
  }
}

const profileDeleting = (domainId: string, name: string): InUseError =>
  new InUseError(`User profile ${name} in domain ${domainId} is being deleted.`, 'USER_PROFILE_DELETING');

const summaryView = (summary: UserProfileSummary, now: Date): UserProfileSummaryView => ({
  ...summary,
  status: statusAt(summary, now) ?? 'Deleting',
});

/** `{ [key]: value }` when the value is defined, `{}` otherwise: optional members stay absent. */
const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

/**
 * Builds the studio service with the access module's services bound to each transaction's
 * repositories: the composition root's one call.
 */
export const createStudioService = (deps: {
  uow: UnitOfWork<StudioRepositories>;
  instances: InstancesService;
  identityStore: IdentityStoreService;
  links: StudioLinks;
  clock: Clock;
  timings?: LifecycleTimings;
  maxDomainsPerRegion?: number;
  liveApps?: StudioServiceOptions['liveApps'];
}): StudioService =>
  new StudioService({
    uow: deps.uow,
    collaborators: (within) => {
      const applications = new ApplicationsService(joinedUnitOfWork(within), deps.instances, deps.clock);
      return {
        applications,
        access: new AccessService(joinedUnitOfWork(within), applications, deps.identityStore),
      };
    },
    links: deps.links,
    clock: deps.clock,
    ...(deps.timings !== undefined ? { timings: deps.timings } : {}),
    ...(deps.maxDomainsPerRegion !== undefined ? { maxDomainsPerRegion: deps.maxDomainsPerRegion } : {}),
    ...(deps.liveApps !== undefined ? { liveApps: deps.liveApps } : {}),
  });
