import type { FastifyReply, FastifyRequest } from 'fastify';
import { arns } from '../../core/arns.js';
import { isAppError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import { findApplicationProvider } from '../../modules/access/application-providers.js';
import type { Application, Principal } from '../../modules/access/applications.types.js';
import type { Instance } from '../../modules/access/instances.types.js';
import type { ConsoleServices } from './console.routes.js';
import {
  APPLICATION_PATHS,
  type ApplicationDetails,
  type AssignmentRow,
  applicationPage,
  type ManagingDomain,
  missingPage,
} from './console-applications-pages.js';
import {
  type AdminContext,
  type AdminHandler,
  type ConsoleKit,
  describeError,
  queryText,
  routeParam,
} from './console-kit.js';
import { CONSOLE_PATHS } from './console-paths.js';
import { STUDIO_PATHS } from './console-studio-paths.js';

/** Rows per page of the Applications tables. */
export const PAGE_SIZE = 25;

/** The application pages as route patterns. */
export const APPLICATION_ROUTES = {
  detail: `${CONSOLE_PATHS.applications}/:applicationId`,
  assign: `${CONSOLE_PATHS.applications}/:applicationId/assign`,
  assignmentRequired: `${CONSOLE_PATHS.applications}/:applicationId/assignment-required`,
  removeAssignment: `${CONSOLE_PATHS.applications}/:applicationId/assignments/remove`,
  status: `${CONSOLE_PATHS.applications}/:applicationId/status`,
  delete: `${CONSOLE_PATHS.applications}/:applicationId/delete`,
} as const;

/** An `:applicationId` page's subject, found in the caller's instance. */
export interface LoadedApplication {
  instance: Instance;
  application: Application;
  applicationArn: string;
}

export type ApplicationHandler = (
  request: FastifyRequest,
  reply: FastifyReply,
  admin: AdminContext,
  loaded: LoadedApplication,
) => Promise<FastifyReply | undefined>;

/** The application's provider as people know it: "Custom OAuth 2.0 application", "Amazon SageMaker Studio". */
export const typeOf = (application: Application): string =>
  findApplicationProvider(application.providerArn)?.displayName ?? application.providerArn;

/** What the Applications pages share: finding the application, naming principals, the application page. */
export const applicationsKit = (kit: ConsoleKit, services: ConsoleServices) => {
  const { applications, identityStore, settings, studio } = services;

  /** The SSO domains by the ID of the Studio application each registered (an account has at most 20). */
  const domainsByApplication = async (scope: Scope): Promise<Map<string, ManagingDomain>> => {
    const domains = await studio.listDomains(scope, { limit: 100 });
    return new Map(
      domains.items.flatMap((domain) =>
        domain.sso === undefined
          ? []
          : [
              [
                domain.sso.applicationId,
                { domainId: domain.domainId, name: domain.name, href: STUDIO_PATHS.domain(domain.domainId) },
              ],
            ],
      ),
    );
  };

  const load = async (scope: Scope, applicationId: string): Promise<LoadedApplication> => {
    const instance = await settings.callerInstance(scope);
    const applicationArn = arns.application(instance.ownerAccountId, instance.instanceId, applicationId);
    const application = await applications.describeApplication(scope, applicationArn);
    return { instance, application, applicationArn };
  };

  /** An application's page or action; a missing application gets a page that says so. */
  const withApplication =
    (handler: ApplicationHandler): AdminHandler =>
    async (request, reply, admin) => {
      let loaded: LoadedApplication;
      try {
        loaded = await load(admin.scope, routeParam(request, 'applicationId'));
      } catch (error) {
        return kit.send(
          reply,
          404,
          missingPage({
            viewer: admin,
            section: 'applications',
            title: 'Application not found',
            problem: describeError(error),
            back: { href: APPLICATION_PATHS.list, label: 'Back to applications' },
          }),
        );
      }
      return handler(request, reply, admin, loaded);
    };

  /** The user name (and display name) or group name of a principal; undefined once it is deleted. */
  const describePrincipal = async (
    scope: Scope,
    identityStoreId: string,
    principal: Principal,
  ): Promise<{ name: string; detail?: string } | undefined> => {
    try {
      if (principal.type === 'USER') {
        const user = await identityStore.describeUser(scope, identityStoreId, principal.id);
        return { name: user.userName, detail: user.displayName };
      }
      return { name: (await identityStore.describeGroup(scope, identityStoreId, principal.id)).displayName };
    } catch (error) {
      if (isAppError(error) && error.code.endsWith('_NOT_FOUND')) return undefined;
      throw error;
    }
  };

  const details = (
    application: Application,
    applicationArn: string,
    domain?: ManagingDomain,
  ): ApplicationDetails => {
    const signIn = application.portalOptions?.signInOptions;
    return {
      applicationId: application.applicationId,
      applicationArn,
      name: application.name,
      description: application.description,
      type: typeOf(application),
      managed: application.managedBy !== undefined,
      domain,
      enabled: application.status === 'ENABLED',
      assignmentRequired: application.assignmentRequired,
      applicationUrl: signIn?.origin === 'APPLICATION' ? signIn.applicationUrl : undefined,
      shownInPortal: application.portalOptions?.visibility !== 'DISABLED',
      createdAt: application.createdAt,
    };
  };

  /** The application's page, also after an action it refused (status 400 and the refusal in words). */
  const renderApplication = async (
    request: FastifyRequest,
    reply: FastifyReply,
    admin: AdminContext,
    loaded: LoadedApplication,
    failure?: string,
  ): Promise<FastifyReply> => {
    const { application, applicationArn } = loaded;
    const next = queryText(request, 'next', 2048) || undefined;
    const notice = failure === undefined ? kit.takeNotice(request, reply, admin) : undefined;
    const domain =
      application.managedBy === undefined
        ? undefined
        : (await domainsByApplication(admin.scope)).get(application.applicationId);
    let problem = failure;
    const rows: AssignmentRow[] = [];
    let nextToken: string | undefined;
    try {
      const page = await applications.listAssignments(admin.scope, applicationArn, {
        limit: PAGE_SIZE,
        nextToken: next,
      });
      nextToken = page.nextToken;
      for (const assignment of page.items) {
        const { principal } = assignment;
        const named = await describePrincipal(admin.scope, application.identityStoreId, principal);
        rows.push({
          type: principal.type,
          principalId: principal.id,
          name: named?.name,
          detail: named?.detail,
        });
      }
    } catch (error) {
      problem ??= describeError(error);
    }
    return kit.send(
      reply,
      failure === undefined ? 200 : 400,
      applicationPage({
        viewer: admin,
        application: details(application, applicationArn, domain),
        assignments: rows,
        nextToken,
        notice,
        problem,
      }),
    );
  };

  return { domainsByApplication, withApplication, describePrincipal, renderApplication };
};

export type ApplicationsKit = ReturnType<typeof applicationsKit>;
