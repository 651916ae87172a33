import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../core/errors.js';
import type { Application } from '../../modules/access/applications.types.js';
import type { DomainView } from '../../modules/studio/studio.service.js';
import type { AuthMode, StudioStatus } from '../../modules/studio/studio.types.js';
import { type Html, html } from '../html.js';
import type { ConsoleServices } from './console.routes.js';
import { missingPage } from './console-applications-pages.js';
import {
  type AdminContext,
  type AdminHandler,
  type ConsoleKit,
  describeError,
  routeParam,
} from './console-kit.js';
import { STUDIO_PATHS } from './console-studio-paths.js';

/** A domain page's subject: the domain now, and for SSO domains the Studio application it registered. */
export interface LoadedDomain {
  domain: DomainView;
  /** Undefined for IAM domains, and for SSO domains whose Identity Center instance was deleted since. */
  application?: Application;
}

export type DomainHandler = (
  request: FastifyRequest,
  reply: FastifyReply,
  admin: AdminContext,
  loaded: LoadedDomain,
) => Promise<FastifyReply | undefined>;

/** The domain (and its application) of a `:domainId` route; a missing domain gets a page that says so. */
export const withDomain =
  (kit: ConsoleKit, services: ConsoleServices, handler: DomainHandler): AdminHandler =>
  async (request, reply, admin) => {
    let loaded: LoadedDomain;
    try {
      const domain = await services.studio.describeDomain(admin.scope, routeParam(request, 'domainId'));
      loaded = { domain, application: await studioApplication(services, admin, domain) };
    } catch (error) {
      return kit.send(
        reply,
        404,
        missingPage({
          viewer: admin,
          section: 'studio',
          title: 'Domain not found',
          problem: describeError(error),
          back: { href: STUDIO_PATHS.controlPanel, label: 'Back to the Control Panel' },
        }),
      );
    }
    return handler(request, reply, admin, loaded);
  };

const studioApplication = async (
  services: ConsoleServices,
  admin: AdminContext,
  domain: DomainView,
): Promise<Application | undefined> => {
  if (domain.applicationArn === undefined) return undefined;
  try {
    return await services.applications.describeApplication(admin.scope, domain.applicationArn);
  } catch (error) {
    // The instance, and with it the application, was deleted after the domain was created.
    if (isAppError(error) && error.code === 'APPLICATION_NOT_FOUND') return undefined;
    throw error;
  }
};

export const authModeText = (authMode: AuthMode): string =>
  authMode === 'SSO' ? 'IAM Identity Center' : 'AWS Identity and Access Management (IAM)';

/** A domain's or profile's status as a badge: InService green, failures red, transitions yellow. */
export const studioStatusBadge = (status: StudioStatus): Html =>
  status === 'InService'
    ? html`<span class="badge ok">InService</span>`
    : status.endsWith('Failed')
      ? html`<span class="badge bad">${status}</span>`
      : html`<span class="badge">${status}</span>`;
