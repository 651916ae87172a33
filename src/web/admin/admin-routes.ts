import type { Services } from '../../app.js';
import { type AdminRoute, adminRoute } from './admin-api.js';

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
export const adminRoutes = (_services: Services): AdminRoute[] => [...whoAmIRoutes()];
