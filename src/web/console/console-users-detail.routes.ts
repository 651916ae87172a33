import type { FastifyReply } from 'fastify';
import { isAppError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import type { User } from '../../modules/identity-store/identity-store.types.js';
import { primaryEmail } from '../../modules/portal/sign-in.service.js';
import { field } from '../forms.js';
import type { ConsoleServices } from './console.routes.js';
import { type AdminContext, type ConsoleKit, describeError, routeParam } from './console-kit.js';
import { consoleMessagePage } from './console-layout.js';
import { CONSOLE_PATHS } from './console-paths.js';
import {
  deleteUserPage,
  oneTimePasswordPage,
  type PasswordResetMethod,
  resetPasswordPage,
  type StudioProfileOfUser,
  type UserDetail,
  userDetailPage,
  userMissingPage,
} from './console-users-detail-pages.js';
import { type UserAction, userPath, userRoute } from './console-users-paths.js';

/** Direct memberships listed on a user's page. */
const GROUPS_LISTED = 100;

const sessionsEnded = (count: number): string =>
  count === 0 ? 'No portal session was open.' : `${count} portal session${count === 1 ? '' : 's'} ended.`;

const isMissing = (error: unknown): boolean => isAppError(error) && error.kind === 'NotFound';

/**
 * A user's page and what can be done to the user: resend or revoke the invitation, reset the
 * password (an e-mailed link or a one-time password), disable, enable, sign out everywhere, delete.
 * Each action is one service call; its refusal is shown on the page in the service's words.
 */
export const registerConsoleUserDetailPages = (kit: ConsoleKit, services: ConsoleServices): void => {
  const { identityStore, invitations, settings, mfa, passwordReset, userLifecycle, studio } = services;

  const storeOf = async (scope: Scope): Promise<string> =>
    (await settings.callerInstance(scope)).identityStoreId;

  const findUser = async (scope: Scope, userRef: string) =>
    identityStore.resolveUser(scope, await storeOf(scope), userRef);

  const loadDetail = async (scope: Scope, userRef: string): Promise<UserDetail> => {
    const storeId = await storeOf(scope);
    const onboarding = await invitations.describeOnboarding(scope, userRef, storeId);
    const { userId } = onboarding.user;
    const memberships = await identityStore.listGroupMembershipsForMember(scope, storeId, userId, {
      limit: GROUPS_LISTED,
    });
    const groups: UserDetail['groups'] = [];
    for (const membership of memberships.items) {
      // A group deleted since the listing simply drops out.
      const group = await identityStore
        .describeGroup(scope, storeId, membership.groupId)
        .catch((error: unknown) => (isMissing(error) ? undefined : Promise.reject(error)));
      if (group !== undefined) groups.push({ groupId: group.groupId, displayName: group.displayName });
    }
    groups.sort((a, b) => a.displayName.localeCompare(b.displayName, undefined, { sensitivity: 'base' }));
    return {
      onboarding,
      groups,
      moreGroups: memberships.nextToken !== undefined,
      mfaEnrolled: await mfa.isEnrolled(userId),
    };
  };

  /** The page for a user who cannot be shown: gone (404), or no Identity Center yet. */
  const cannotShow = (reply: FastifyReply, admin: AdminContext, error: unknown): FastifyReply =>
    isMissing(error)
      ? kit.send(reply, 404, userMissingPage(admin, describeError(error)))
      : kit.send(
          reply,
          400,
          consoleMessagePage('This user cannot be shown', [describeError(error)], {
            href: CONSOLE_PATHS.users,
            label: 'Back to users',
          }),
        );

  const showDetail = async (
    reply: FastifyReply,
    admin: AdminContext,
    status: number,
    userRef: string,
    messages: { notice?: string; errors?: string[] },
  ): Promise<FastifyReply> => {
    let detail: UserDetail;
    try {
      detail = await loadDetail(admin.scope, userRef);
    } catch (error) {
      return cannotShow(reply, admin, error);
    }
    return kit.send(reply, status, userDetailPage({ viewer: admin, detail, ...messages }));
  };

  kit.adminGet(userRoute(), async (request, reply, admin) =>
    showDetail(reply, admin, 200, routeParam(request, 'userId'), {
      notice: kit.takeNotice(request, reply, admin),
    }),
  );

  /** A one-button action: the service call, then back to the user's page with what it did. */
  const action = (
    name: UserAction,
    perform: (scope: Scope, storeId: string, userId: string) => Promise<string>,
  ): void =>
    kit.adminPost(userRoute(name), async (request, reply, admin) => {
      const userId = routeParam(request, 'userId');
      try {
        const notice = await perform(admin.scope, await storeOf(admin.scope), userId);
        return kit.redirect(reply, admin, userPath(userId), notice);
      } catch (error) {
        return showDetail(reply, admin, 400, userId, { errors: [describeError(error)] });
      }
    });

  action('resend-invitation', async (scope, storeId, userId) => {
    await invitations.resendInvitation(scope, userId, storeId);
    const user = await identityStore.describeUser(scope, storeId, userId);
    return `A new invitation ${kit.mailed(primaryEmail(user) ?? user.userName)}. The earlier link no longer works.`;
  });

  action('revoke-invitation', async (scope, storeId, userId) => {
    await invitations.revokeInvitation(scope, userId, storeId);
    return 'The invitation was revoked: its link no longer works.';
  });

  action('disable', async (scope, storeId, userId) => {
    const change = await userLifecycle.setUserStatus(scope, storeId, userId, 'DISABLED');
    return `${change.user.userName} is disabled and cannot sign in. ${sessionsEnded(change.sessionsEnded)}`;
  });

  action('enable', async (scope, storeId, userId) => {
    const change = await userLifecycle.setUserStatus(scope, storeId, userId, 'ENABLED');
    return `${change.user.userName} is enabled and can sign in again.`;
  });

  action('sign-out-everywhere', async (scope, storeId, userId) => {
    const change = await userLifecycle.signOutEverywhere(scope, storeId, userId);
    return `${change.user.userName} was signed out everywhere. ${sessionsEnded(change.sessionsEnded)}`;
  });

  // Reset password: AWS's two choices.

  const methodOf = (body: unknown): PasswordResetMethod =>
    field(body, 'method') === 'one-time-password' ? 'one-time-password' : 'send-email';

  kit.adminGet(userRoute('reset-password'), async (request, reply, admin) => {
    try {
      const user = await findUser(admin.scope, routeParam(request, 'userId'));
      return kit.send(reply, 200, resetPasswordPage({ viewer: admin, user, method: 'send-email' }));
    } catch (error) {
      return cannotShow(reply, admin, error);
    }
  });

  kit.adminPost(userRoute('reset-password'), async (request, reply, admin) => {
    const userRef = routeParam(request, 'userId');
    const method = methodOf(request.body);
    let user: User;
    try {
      user = await findUser(admin.scope, userRef);
    } catch (error) {
      return cannotShow(reply, admin, error);
    }
    try {
      if (method === 'one-time-password') {
        const oneTimePassword = await invitations.generateOneTimePassword(
          admin.scope,
          user.userId,
          user.identityStoreId,
        );
        return kit.send(
          reply,
          200,
          oneTimePasswordPage({ viewer: admin, user, oneTimePassword, portalUrl: invitations.portalUrl() }),
        );
      }
      const sent = await passwordReset.sendResetLinkByAdmin(admin.scope, user.identityStoreId, user.userId);
      return kit.redirect(
        reply,
        admin,
        userPath(user.userId),
        `A password reset link ${kit.mailed(sent.email)}. It works once, for an hour.`,
      );
    } catch (error) {
      return kit.send(
        reply,
        400,
        resetPasswordPage({ viewer: admin, user, method, errors: [describeError(error)] }),
      );
    }
  });

  // Delete, after a page that says what goes with the user and what stays.

  /** The Studio user profiles made for the user, in the account's SSO domains. */
  const studioProfilesOf = async (scope: Scope, userId: string): Promise<StudioProfileOfUser[]> => {
    const profiles: StudioProfileOfUser[] = [];
    let nextToken: string | undefined;
    do {
      const page = await studio.listDomains(scope, { limit: 100, nextToken });
      for (const domain of page.items.filter((d) => d.authMode === 'SSO')) {
        const profile = await studio
          .findProfileOfUser(scope, domain.domainId, userId)
          .catch((error: unknown) => (isMissing(error) ? undefined : Promise.reject(error)));
        if (profile !== undefined) {
          profiles.push({ domainId: domain.domainId, domainName: domain.name, profileName: profile.name });
        }
      }
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    return profiles;
  };

  const showDelete = async (
    reply: FastifyReply,
    admin: AdminContext,
    status: number,
    userRef: string,
    errors?: string[],
  ): Promise<FastifyReply> => {
    try {
      const detail = await loadDetail(admin.scope, userRef);
      const studioProfiles = await studioProfilesOf(admin.scope, detail.onboarding.user.userId);
      return kit.send(reply, status, deleteUserPage({ viewer: admin, detail, studioProfiles, errors }));
    } catch (error) {
      return cannotShow(reply, admin, error);
    }
  };

  kit.adminGet(userRoute('delete'), async (request, reply, admin) =>
    showDelete(reply, admin, 200, routeParam(request, 'userId')),
  );

  kit.adminPost(userRoute('delete'), async (request, reply, admin) => {
    const userRef = routeParam(request, 'userId');
    try {
      const user = await findUser(admin.scope, userRef);
      await identityStore.deleteUser(admin.scope, user.identityStoreId, user.userId);
      return kit.redirect(reply, admin, CONSOLE_PATHS.users, `User ${user.userName} was deleted.`);
    } catch (error) {
      return showDelete(reply, admin, 400, userRef, [describeError(error)]);
    }
  });
};
