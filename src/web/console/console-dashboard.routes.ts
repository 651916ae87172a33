import { isAppError } from '../../core/errors.js';
import type { ConsoleServices } from './console.routes.js';
import { DASHBOARD_PATHS, dashboardPage, type SetupState } from './console-dashboard-pages.js';
import { type AdminContext, type ConsoleKit, describeError } from './console-kit.js';

/** The value, or undefined when the service says there is none yet (NotFound); anything else is thrown. */
const unlessNotFound = async <T>(lookup: () => Promise<T>): Promise<T | undefined> => {
  try {
    return await lookup();
  } catch (error) {
    if (isAppError(error) && error.kind === 'NotFound') return undefined;
    throw error;
  }
};

/**
 * IAM Identity Center → Dashboard ("Enable SSO"): the state of the setup in the guide's steps,
 * read anew on every load (an address verified meanwhile shows as verified), and the actions
 * that take each step, through the same services as the AWS API.
 */
export const registerConsoleDashboardPages = (
  kit: ConsoleKit,
  services: Pick<ConsoleServices, 'organizations' | 'emailVerification' | 'instances' | 'invitations'>,
): void => {
  const { organizations, emailVerification, instances, invitations } = services;

  const setupState = async (admin: AdminContext): Promise<SetupState> => {
    const organization = await unlessNotFound(() => organizations.describeOrganization(admin.scope));
    const verification =
      organization === undefined
        ? undefined
        : await unlessNotFound(() => emailVerification.describeVerification(admin.scope));
    return {
      accountId: admin.scope.accountId,
      organization,
      verification,
      instance: await unlessNotFound(() => instances.callerInstance(admin.scope)),
      portalUrl: invitations.portalUrl(),
    };
  };

  kit.adminGet(DASHBOARD_PATHS.dashboard, async (request, reply, admin) =>
    kit.send(
      reply,
      200,
      dashboardPage({
        viewer: admin,
        state: await setupState(admin),
        notice: kit.takeNotice(request, reply, admin),
      }),
    ),
  );

  /** Takes a step; on success back to the dashboard with what was done, else the refusal in words. */
  const step = (path: string, action: (admin: AdminContext) => Promise<string>) =>
    kit.adminPost(path, async (_request, reply, admin) => {
      let notice: string;
      try {
        notice = await action(admin);
      } catch (error) {
        const errors = [describeError(error)];
        return kit.send(reply, 400, dashboardPage({ viewer: admin, state: await setupState(admin), errors }));
      }
      return kit.redirect(reply, admin, DASHBOARD_PATHS.dashboard, notice);
    });

  step(DASHBOARD_PATHS.createOrganization, async (admin) => {
    const view = await organizations.createOrganization(admin.scope);
    const { email, emailVerifiedAt } = view.managementAccount;
    return `Organization ${view.organization.organizationId} created.${emailVerifiedAt === undefined ? ` A verification e-mail ${kit.mailed(email)}.` : ''}`;
  });

  step(DASHBOARD_PATHS.resendVerification, async (admin) => {
    const view = await emailVerification.resendVerification(admin.scope);
    return `A new verification e-mail ${kit.mailed(view.email)}. Earlier links no longer work.`;
  });

  step(DASHBOARD_PATHS.enable, async (admin) => {
    const instance = await instances.createInstance(admin.scope, {});
    return `IAM Identity Center is enabled. Its identity store is ${instance.identityStoreId}; add users next.`;
  });
};
