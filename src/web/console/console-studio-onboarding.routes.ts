import type { Scope } from '../../core/scope.js';
import type { Application } from '../../modules/access/applications.types.js';
import type { User } from '../../modules/identity-store/identity-store.types.js';
import type { DomainView } from '../../modules/studio/studio.service.js';
import type { Html } from '../html.js';
import type { ConsoleServices } from './console.routes.js';
import { missingPage } from './console-applications-pages.js';
import { type ConsoleKit, describeError, routeParam } from './console-kit.js';
import { withDomain } from './console-studio-kit.js';
import {
  type OnboardingRow,
  type OnboardingSubject,
  onboardingPanel,
  whyPage,
} from './console-studio-onboarding-pages.js';
import { STUDIO_PATHS, STUDIO_ROUTES } from './console-studio-paths.js';

/** Users per page of the onboarding table. */
const PAGE_SIZE = 25;

const subjectOf = (domain: DomainView, application: Application): OnboardingSubject => ({
  domainId: domain.domainId,
  domainName: domain.name,
  applicationId: application.applicationId,
  applicationName: application.name,
});

/**
 * Where one user stands with the domain: sign-in (invitations), access to the domain's Studio
 * application (THE access decision) and profile. For the Why? page; the table reads a page at once.
 */
const onboardingRow = async (
  services: ConsoleServices,
  scope: Scope,
  domain: DomainView,
  application: Application,
  user: User,
): Promise<OnboardingRow> => {
  const onboarding = await services.invitations.describeOnboarding(scope, user.userId, user.identityStoreId);
  const access = await services.access.decideForApplication(application, user.userId);
  const profile = await services.studio.findProfileOfUser(scope, domain.domainId, user.userId);
  return {
    userId: user.userId,
    userName: user.userName,
    displayName: user.displayName,
    signIn: onboarding.status,
    access,
    profileName: profile?.name,
  };
};

/**
 * One page of the onboarding table, in user name order: the users with their sign-in states, then
 * the access decisions and the profiles of the whole page, one batched call each (a fixed number
 * of queries, not a few per user).
 */
const onboardingRows = async (
  services: ConsoleServices,
  scope: Scope,
  domain: DomainView,
  application: Application,
  query: { search: string; next?: string },
): Promise<{ rows: OnboardingRow[]; nextToken?: string }> => {
  const page = await services.invitations.listUsersWithOnboarding(scope, application.identityStoreId, {
    search: query.search,
    nextToken: query.next,
    limit: PAGE_SIZE,
  });
  const userIds = page.items.map(({ user }) => user.userId);
  const decisions = await services.access.decideForUsers(application, userIds);
  const profiles = await services.studio.findProfilesOfUsers(scope, domain.domainId, userIds);
  // A user deleted since the page was read has no decision: their row goes with them.
  const rows = page.items.flatMap(({ user, status }): OnboardingRow[] => {
    const access = decisions.get(user.userId);
    return access === undefined
      ? []
      : [
          {
            userId: user.userId,
            userName: user.userName,
            displayName: user.displayName,
            signIn: status,
            access,
            profileName: profiles.get(user.userId)?.name,
          },
        ];
  });
  return { rows, nextToken: page.nextToken };
};

/** The onboarding panel of an SSO domain's page: one page of the identity store's users. */
export const onboardingSection = async (
  services: ConsoleServices,
  scope: Scope,
  domain: DomainView,
  application: Application,
  query: { search: string; next?: string; keep?: Record<string, string> },
): Promise<Html> => {
  const subject = subjectOf(domain, application);
  try {
    const { rows, nextToken } = await onboardingRows(services, scope, domain, application, query);
    return onboardingPanel({ subject, search: query.search, rows, nextToken, keep: query.keep });
  } catch (error) {
    return onboardingPanel({ subject, search: query.search, rows: [], problem: describeError(error) });
  }
};

/** Why? — the explain-access answer for one user and the domain's Studio application, and what to do. */
export const registerConsoleStudioWhyPage = (kit: ConsoleKit, services: ConsoleServices): void => {
  kit.adminGet(
    STUDIO_ROUTES.why,
    withDomain(kit, services, async (request, reply, admin, { domain, application }) => {
      const back = { href: STUDIO_PATHS.domain(domain.domainId), label: `Back to ${domain.name}` };
      if (application === undefined) {
        return kit.send(
          reply,
          404,
          missingPage({
            viewer: admin,
            section: 'studio',
            title: 'No application to explain',
            problem: `Domain ${domain.name} (${domain.domainId}) has no IAM Identity Center application, so there is no access to explain.`,
            back,
          }),
        );
      }
      let row: OnboardingRow;
      try {
        const user = await services.identityStore.describeUser(
          admin.scope,
          application.identityStoreId,
          routeParam(request, 'userId'),
        );
        row = await onboardingRow(services, admin.scope, domain, application, user);
      } catch (error) {
        return kit.send(
          reply,
          404,
          missingPage({
            viewer: admin,
            section: 'studio',
            title: 'User not found',
            problem: describeError(error),
            back,
          }),
        );
      }
      return kit.send(
        reply,
        200,
        whyPage({
          viewer: admin,
          subject: subjectOf(domain, application),
          decision: row.access,
          signIn: row.signIn,
          profileName: row.profileName,
        }),
      );
    }),
  );
};
