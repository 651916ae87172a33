import type { UserOnboardingSummary } from '../../modules/invitations/invitations.types.js';
import { primaryEmail } from '../../modules/portal/sign-in.service.js';
import type { ConsoleServices } from './console.routes.js';
import { type ConsoleKit, describeError, queryText } from './console-kit.js';
import { CONSOLE_PATHS } from './console-paths.js';
import { registerConsoleAddUserPages } from './console-users-add.routes.js';
import { registerConsoleUserDetailPages } from './console-users-detail.routes.js';
import { type UserRow, usersPage } from './console-users-pages.js';

const PAGE_SIZE = 25;

const rowOf = ({ user, status, latestInvitation }: UserOnboardingSummary): UserRow => ({
  userId: user.userId,
  userName: user.userName,
  displayName: user.displayName,
  email: primaryEmail(user),
  status: user.status,
  onboarding: status,
  invitation: latestInvitation?.state,
  delivery: latestInvitation?.delivery?.state,
});

/** Identity Center → Users: the searchable, paged list, Add user, and each user's page. */
export const registerConsoleUsersPages = (kit: ConsoleKit, services: ConsoleServices): void => {
  const { invitations, settings } = services;

  kit.adminGet(CONSOLE_PATHS.users, async (request, reply, admin) => {
    const search = queryText(request, 'search', 128);
    const next = queryText(request, 'next', 2048) || undefined;
    const base = { viewer: admin, search, notice: kit.takeNotice(request, reply, admin) };
    const { scope } = admin;
    let storeId: string;
    try {
      storeId = (await settings.callerInstance(scope)).identityStoreId;
    } catch (error) {
      return kit.send(reply, 200, usersPage({ ...base, rows: [], problem: describeError(error) }));
    }
    try {
      const page = await invitations.listUsersWithOnboarding(scope, storeId, {
        search,
        nextToken: next,
        limit: PAGE_SIZE,
      });
      return kit.send(
        reply,
        200,
        usersPage({ ...base, rows: page.items.map(rowOf), nextToken: page.nextToken }),
      );
    } catch (error) {
      return kit.send(reply, 400, usersPage({ ...base, rows: [], problem: describeError(error) }));
    }
  });

  registerConsoleAddUserPages(kit, services);
  registerConsoleUserDetailPages(kit, services);
};
