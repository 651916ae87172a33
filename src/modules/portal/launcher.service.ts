import { isAppError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import type { AccessService } from '../access/access.service.js';
import type { AccessDecision } from '../access/access-decision.js';
import type { Application } from '../access/applications.types.js';
import type { User } from '../identity-store/identity-store.types.js';
import type { DomainView, StudioService, UserProfileView } from '../studio/studio.service.js';
import type { PortalDirectories, PortalDirectory } from './portal-directory.js';

/** What the portal opens when a tile is chosen. */
export type Launch =
  | { kind: 'studio'; domainId: string }
  /** An application whose sign-in starts at its own address (SignInOptions origin APPLICATION). */
  | { kind: 'url'; url: string }
  /** Nothing this portal can start yet (an OAuth application started from Identity Center). */
  | { kind: 'none' };

export interface PortalApplication {
  applicationId: string;
  name: string;
  description?: string;
  launch: Launch;
}

export type StudioLaunch =
  | { result: 'open'; domain: DomainView; profile: UserProfileView; decision: AccessDecision }
  /** Allowed to open the domain's application, but without a user profile in the domain. */
  | { result: 'no-profile'; domainId: string; applicationName: string }
  /** Not allowed, or no such domain: the same answer, so a URL tells nothing about other domains. */
  | { result: 'forbidden'; reason: string };

/** The name of an SSO domain's application is "Amazon SageMaker Studio (d-…)" (see studio-ids.ts). */
const STUDIO_APPLICATION_NAME = /^Amazon SageMaker Studio \((d-[a-z0-9-]{1,63})\)$/;
const DOMAIN_ID = /^d-(-*[a-z0-9]){1,61}$/;

const launchOf = (application: Application): Launch => {
  const studio =
    application.managedBy === 'sagemaker' ? STUDIO_APPLICATION_NAME.exec(application.name) : null;
  if (studio?.[1] !== undefined) return { kind: 'studio', domainId: studio[1] };
  const signIn = application.portalOptions?.signInOptions;
  if (signIn?.origin === 'APPLICATION' && signIn.applicationUrl !== undefined) {
    return { kind: 'url', url: signIn.applicationUrl };
  }
  return { kind: 'none' };
};

/**
 * The access portal's application launcher: the tiles a user sees and opening Studio. Both ask THE
 * access decision (AccessService): the list through `applicationsAccessibleBy`, each launch through
 * `decideAccess`, so a launch URL typed by hand is checked exactly as the list was made.
 */
export class LauncherService {
  constructor(
    private readonly access: AccessService,
    private readonly studio: StudioService,
    private readonly directories: PortalDirectories,
  ) {}

  /** The applications the user may open, by name, without those hidden from the portal. */
  async applicationsOf(user: User): Promise<PortalApplication[]> {
    const directory = await this.directories.find();
    if (directory === undefined || directory.identityStoreId !== user.identityStoreId) return [];
    const accessible = await this.access.applicationsAccessibleBy(this.scopeOf(directory, user), {
      identityStoreId: user.identityStoreId,
      userId: user.userId,
    });
    return accessible
      .map(({ application }) => application)
      .filter((application) => application.portalOptions?.visibility !== 'DISABLED')
      .map((application) => ({
        applicationId: application.applicationId,
        name: application.name,
        ...(application.description !== undefined ? { description: application.description } : {}),
        launch: launchOf(application),
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || (a.applicationId < b.applicationId ? -1 : 1));
  }

  /** Opens Studio in the domain for the user: their profile, if the access decision allows it. */
  async openStudio(user: User, domainId: string): Promise<StudioLaunch> {
    const directory = await this.directories.find();
    if (directory === undefined || directory.identityStoreId !== user.identityStoreId) {
      return { result: 'forbidden', reason: 'the user is not of the portal’s identity store' };
    }
    if (!DOMAIN_ID.test(domainId)) return { result: 'forbidden', reason: 'not a domain ID' };
    const scope = this.scopeOf(directory, user);
    try {
      const domain = await this.studio.describeDomain(scope, domainId);
      if (
        domain.authMode !== 'SSO' ||
        domain.applicationArn === undefined ||
        domain.sso?.identityStoreId !== user.identityStoreId
      ) {
        return { result: 'forbidden', reason: 'not an SSO domain of this identity store' };
      }
      const decision = await this.access.decideAccess(scope, {
        applicationArn: domain.applicationArn,
        userId: user.userId,
      });
      if (!decision.allowed) return { result: 'forbidden', reason: decision.reason };
      const profile = await this.studio.findProfileOfUser(scope, domainId, user.userId);
      if (profile === undefined || profile.status === 'Deleting') {
        return {
          result: 'no-profile',
          domainId: domain.domainId,
          applicationName: decision.application.name,
        };
      }
      return { result: 'open', domain, profile, decision };
    } catch (error) {
      if (isAppError(error) && error.kind === 'NotFound') return { result: 'forbidden', reason: error.code };
      throw error;
    }
  }

  /** A portal user asks in the scope of the instance's account and Region. */
  private scopeOf(directory: PortalDirectory, user: User): Scope {
    return {
      accountId: directory.accountId,
      region: directory.region,
      principalArn: `arn:aws:identitystore:::user/${user.userId}`,
    };
  }
}
