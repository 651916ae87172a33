import type { Clock } from '../../core/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import { decodePageToken, encodePageToken, type Page } from '../../core/pagination.js';
import type { Scope } from '../../core/scope.js';
import type { UnitOfWork } from '../../core/unit-of-work.js';
import { DEFAULT_LIFECYCLE_TIMINGS, enterPhase, isDeleting, type LifecycleTimings } from './lifecycle.js';
import type { StudioService } from './studio.service.js';
import type { SettingsDocument, Tag } from './studio.types.js';
import type { AppKey, StudioAppsRepository } from './studio-apps.repository.js';
import type { AppStatus, AppType, StudioApp } from './studio-apps.types.js';
import { studioArns } from './studio-ids.js';

export interface StudioAppsRepositories {
  studioApps: StudioAppsRepository;
}

export interface CreateAppRequest {
  domainId: string;
  userProfileName?: string;
  spaceName?: string;
  appType: AppType;
  appName: string;
  resourceSpec?: SettingsDocument;
  tags?: Tag[];
}

export interface AppRef {
  domainId: string;
  userProfileName?: string;
  spaceName?: string;
  appType: AppType;
  appName: string;
}

export type StudioAppView = StudioApp & { status: AppStatus; appArn: string };

/** The status at `now`: InService once Pending ends, Deleted once Deleting ends. */
const appStatusAt = (app: StudioApp, now: Date): AppStatus => {
  if (now.getTime() < app.phaseUntil.getTime()) return app.phase === 'Updating' ? 'InService' : app.phase;
  return isDeleting(app) ? 'Deleted' : 'InService';
};

const appNotFound = (ref: AppRef): NotFoundError =>
  new NotFoundError(
    'APP_NOT_FOUND',
    `App ${ref.appType}/${ref.appName} of user profile ${ref.userProfileName ?? ''} does not exist in domain ${ref.domainId}.`,
    { resourceType: 'APP', resourceId: ref.appName },
  );

/**
 * SageMaker Studio apps of user profiles (CreateApp, DescribeApp, ListApps, DeleteApp). Apps of
 * shared spaces are refused: spaces are not modeled. An app needs its profile to exist and not be
 * being deleted; DeleteUserProfile in turn refuses a profile with apps that are not deleted.
 */
export class StudioAppsService {
  private readonly timings: LifecycleTimings;

  constructor(
    private readonly uow: UnitOfWork<StudioAppsRepositories>,
    private readonly profiles: StudioService,
    private readonly clock: Clock,
    timings?: LifecycleTimings,
  ) {
    this.timings = timings ?? DEFAULT_LIFECYCLE_TIMINGS;
  }

  private view(app: StudioApp, scope: Scope, now: Date): StudioAppView {
    return {
      ...app,
      status: appStatusAt(app, now),
      appArn: `${studioArns.domain(scope.region, scope.accountId, app.domainId).replace(':domain/', ':app/')}/${app.profileName}/${app.appType.toLowerCase()}/${app.appName}`,
    };
  }

  private async profileKey(
    scope: Scope,
    ref: { domainId: string; userProfileName?: string; spaceName?: string },
  ) {
    if (ref.spaceName !== undefined) {
      throw new ValidationError(
        'Apps of shared spaces are not supported: specify UserProfileName, not SpaceName.',
        'SPACES_UNSUPPORTED',
      );
    }
    if (ref.userProfileName === undefined) {
      throw new ValidationError(
        'UserProfileName is required: the app belongs to a user profile.',
        'USER_PROFILE_REQUIRED',
      );
    }
    // Not found (domain or profile) in the caller's account and Region is the studio service's answer.
    const profile = await this.profiles.describeUserProfile(scope, ref.domainId, ref.userProfileName);
    return profile;
  }

  async createApp(scope: Scope, request: CreateAppRequest): Promise<StudioAppView> {
    const profile = await this.profileKey(scope, request);
    if (isDeleting(profile)) {
      throw new ValidationError(
        `User profile ${profile.name} in domain ${request.domainId} is being deleted.`,
        'USER_PROFILE_DELETING',
      );
    }
    if (request.appType === 'JupyterServer' && request.appName !== 'default') {
      throw new ValidationError('A JupyterServer app must be named default.', 'APP_NAME_INVALID');
    }
    const now = this.clock.now();
    const app: StudioApp = {
      domainId: request.domainId,
      profileName: profile.name,
      appType: request.appType,
      appName: request.appName,
      ...(request.resourceSpec !== undefined ? { resourceSpec: request.resourceSpec } : {}),
      ...(request.tags !== undefined ? { tags: request.tags } : {}),
      ...enterPhase('Pending', now, this.timings),
      createdAt: now,
      createdBy: scope.principalArn,
    };
    if (!(await this.uow.repositories.studioApps.putApp(app, now))) {
      throw new ConflictError(
        'APP_EXISTS',
        `App ${request.appType}/${request.appName} already exists for user profile ${profile.name} in domain ${request.domainId}.`,
      );
    }
    return this.view(app, scope, now);
  }

  async describeApp(scope: Scope, ref: AppRef): Promise<StudioAppView> {
    const profile = await this.profileKey(scope, ref);
    const key: AppKey = {
      domainId: ref.domainId,
      profileNameKey: profile.name.toLowerCase(),
      appType: ref.appType,
      appName: ref.appName,
    };
    const app = await this.uow.repositories.studioApps.findApp(key);
    if (app === undefined) throw appNotFound(ref);
    return this.view(app, scope, this.clock.now());
  }

  async listApps(
    scope: Scope,
    request: {
      limit: number;
      nextToken?: string;
      domainId?: string;
      userProfileName?: string;
      sortOrder?: 'Ascending' | 'Descending';
    },
  ): Promise<Page<StudioAppView>> {
    const sortOrder = request.sortOrder ?? 'Ascending';
    const profileNameKey = request.userProfileName?.toLowerCase();
    const listing = `apps:${request.domainId ?? ''}:${profileNameKey ?? ''}:${sortOrder}`;
    const after = decodePageToken(listing, request.nextToken);
    const rows = await this.uow.repositories.studioApps.listApps({
      accountId: scope.accountId,
      region: scope.region,
      ...(request.domainId !== undefined ? { domainId: request.domainId } : {}),
      ...(profileNameKey !== undefined ? { profileNameKey } : {}),
      sortOrder,
      ...(after !== undefined ? { after } : {}),
      limit: request.limit + 1,
    });
    const now = this.clock.now();
    const page = rows.slice(0, request.limit);
    const last = page[page.length - 1];
    const items = page.map((r) => this.view(r.app, scope, now));
    return rows.length > request.limit && last !== undefined
      ? { items, nextToken: encodePageToken(listing, last.key) }
      : { items };
  }

  async deleteApp(scope: Scope, ref: AppRef): Promise<void> {
    const profile = await this.profileKey(scope, ref);
    const key: AppKey = {
      domainId: ref.domainId,
      profileNameKey: profile.name.toLowerCase(),
      appType: ref.appType,
      appName: ref.appName,
    };
    const now = this.clock.now();
    const app = await this.uow.repositories.studioApps.findApp(key);
    if (app === undefined || appStatusAt(app, now) === 'Deleted') throw appNotFound(ref);
    if (
      !(await this.uow.repositories.studioApps.markAppDeleting(
        key,
        enterPhase('Deleting', now, this.timings),
      ))
    ) {
      throw new ConflictError('APP_DELETING', `App ${ref.appType}/${ref.appName} is already being deleted.`);
    }
  }
}
