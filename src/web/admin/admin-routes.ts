import type { Services } from '../../app.js';
import { accessRoutes } from './access.routes.js';
import { type AdminRoute, adminRoute } from './admin-api.js';
import { consoleRoutes } from './console.routes.js';
import { groupsRoutes } from './groups.routes.js';
import { organizationRoutes } from './organization.routes.js';
import { outboxRoutes } from './outbox.routes.js';
import { portalRoutes } from './portal.routes.js';
import { settingsRoutes } from './settings.routes.js';
import { studioRoutes } from './studio.routes.js';
import { usersRoutes } from './users.routes.js';

export const whoAmIRoutes = (): AdminRoute[] => [
  adminRoute({
    method: 'GET',
    path: '/whoami',
    handler: async (_request, { scope }) => ({
      accountId: scope.accountId,
      region: scope.region,
      principalArn: scope.principalArn,
    }),
  }),
];

/**
 * Every admin route, by capability. Add a module's routes by spreading its list here: write them
 * in `src/web/admin/<capability>.routes.ts` as a function of the services they call (see
 * `whoAmIRoutes` for the shape), and declare request schemas so fastify validates at the edge.
 */
export const adminRoutes = (services: Services): AdminRoute[] => [
  ...whoAmIRoutes(),
  ...accessRoutes(services),
  ...groupsRoutes(services),
  ...usersRoutes(services),
  ...outboxRoutes(services),
  ...settingsRoutes(services),
  ...organizationRoutes(services),
  ...studioRoutes(services),
  ...portalRoutes(services),
  ...consoleRoutes(services),
];
