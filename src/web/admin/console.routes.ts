import type { Services } from '../../app.js';
import { type AdminRoute, adminRoute } from './admin-api.js';

export interface ConsoleSetupLinkResponse {
  setupUrl: string;
  expiresAt: string;
  rootEmail: string;
}

/** The console's root password: a new one-time setup link (`studio-sso admin reset-password`). */
export const consoleRoutes = (services: Services): AdminRoute[] => [
  adminRoute({
    method: 'POST',
    path: '/console/setup-link',
    status: 201,
    handler: async (): Promise<ConsoleSetupLinkResponse> => {
      const link = await services.consoleAdmin.issueSetupLink();
      return {
        setupUrl: link.url,
        expiresAt: link.expiresAt.toISOString(),
        rootEmail: services.consoleAdmin.rootEmail(),
      };
    },
  }),
];
