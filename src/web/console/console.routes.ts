import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../core/clock.js';
import { isAppError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import type { OutboxService } from '../../mail/outbox.service.js';
import type { AccessService } from '../../modules/access/access.service.js';
import type { ApplicationsService } from '../../modules/access/applications.service.js';
import type { InstancesService } from '../../modules/access/instances.service.js';
import type { ConsoleAdminService } from '../../modules/console/console-admin.service.js';
import type { IdentityStoreService } from '../../modules/identity-store/identity-store.service.js';
import type { InvitationsService } from '../../modules/invitations/invitations.service.js';
import type { EmailVerificationService } from '../../modules/organizations/email-verification.service.js';
import type { OrganizationsService } from '../../modules/organizations/organizations.service.js';
import type { MfaService } from '../../modules/portal/mfa.service.js';
import type { PasswordResetService } from '../../modules/portal/password-reset.service.js';
import type { SessionsService } from '../../modules/portal/sessions.service.js';
import type { UserLifecycleService } from '../../modules/portal/user-lifecycle.service.js';
import type { SettingsService } from '../../modules/settings/settings.service.js';
import type { StudioService } from '../../modules/studio/studio.service.js';
import type { CsrfProtection } from '../csrf.js';
import { sendPage } from '../web-context.js';
import { registerConsoleApplicationsPages } from './console-applications.routes.js';
import { registerConsoleAuthPages } from './console-auth.routes.js';
import { registerConsoleDashboardPages } from './console-dashboard.routes.js';
import { registerConsoleGroupsPages } from './console-groups.routes.js';
import { ConsoleKit, type ConsoleRoute } from './console-kit.js';
import { consoleMessagePage } from './console-layout.js';
import { registerConsoleOutboxPages } from './console-outbox.routes.js';
import { CONSOLE_PATHS } from './console-paths.js';
import { registerConsoleSecurityPages } from './console-security.routes.js';
import { registerConsoleSettingsPages } from './console-settings.routes.js';
import { registerConsoleStudioPages } from './console-studio.routes.js';
import { registerConsoleUsersPages } from './console-users.routes.js';

/**
 * The services the console acts through: the same ones the AWS API, the admin API and the CLI
 * use, so the console has no second implementation of anything.
 */
export interface ConsoleServices {
  consoleAdmin: ConsoleAdminService;
  organizations: OrganizationsService;
  emailVerification: EmailVerificationService;
  instances: InstancesService;
  identityStore: IdentityStoreService;
  applications: ApplicationsService;
  access: AccessService;
  invitations: InvitationsService;
  settings: SettingsService;
  sessions: SessionsService;
  mfa: MfaService;
  passwordReset: PasswordResetService;
  studio: StudioService;
  outbox: OutboxService;
  userLifecycle: UserLifecycleService;
}

export interface ConsolePagesDependencies {
  services: ConsoleServices;
  csrf: CsrfProtection;
  clock: Clock;
  /** The root admin's scope for the services: the account's root principal. */
  scope: () => Scope;
  /** No SMTP server is configured: mail stays in the outbox, and the pages say so. */
  mailIsKept: boolean;
}

/** The root admin's console under /console; returns its route table. */
export const registerConsolePages = (
  app: FastifyInstance,
  deps: ConsolePagesDependencies,
): ConsoleRoute[] => {
  const routes: ConsoleRoute[] = [];
  app.register(async (pages) => {
    pages.setErrorHandler(async (error: unknown, request, reply) => {
      if (isAppError(error) && error.code === 'CSRF_TOKEN_INVALID') {
        return sendPage(
          reply,
          403,
          consoleMessagePage(
            'This form has expired',
            [
              'The page you sent it from is too old, or it did not come from this site, so nothing was done.',
              'Go back, reload the page, and try again.',
            ],
            { href: CONSOLE_PATHS.home, label: 'Go to the console' },
          ),
        );
      }
      const status = (error as { statusCode?: number }).statusCode;
      if (status !== undefined && status >= 400 && status < 500) {
        return sendPage(
          reply,
          status,
          consoleMessagePage('That request could not be read', ['Go back and try again.']),
        );
      }
      request.log.error({ err: error }, 'unexpected error on a console page');
      return sendPage(
        reply,
        500,
        consoleMessagePage('Something went wrong', [
          'The server could not complete this request. Try again in a moment.',
          `If it keeps happening, give this reference: ${request.id}`,
        ]),
      );
    });

    const kit = new ConsoleKit(pages, {
      consoleAdmin: deps.services.consoleAdmin,
      csrf: deps.csrf,
      clock: deps.clock,
      scope: deps.scope,
      mailIsKept: deps.mailIsKept,
    });
    registerConsoleAuthPages(kit, deps.services.consoleAdmin);
    registerConsoleDashboardPages(kit, deps.services);
    registerConsoleSettingsPages(kit, deps.services);
    registerConsoleOutboxPages(kit, deps.services);
    registerConsoleSecurityPages(kit, deps.services.consoleAdmin);
    registerConsoleUsersPages(kit, deps.services);
    registerConsoleGroupsPages(kit, deps.services);
    registerConsoleApplicationsPages(kit, deps.services);
    registerConsoleStudioPages(kit, deps.services);
    routes.push(...kit.routes);
  });
  return routes;
};
