import type { Services } from '../../app.js';
import { type AccessDecision, describeAccess } from '../../modules/access/access-decision.js';
import { applicationArnOf } from '../../modules/access/applications.service.js';
import { type AdminRoute, adminRoute } from './admin-api.js';

/** What `GET /access/explain` answers: the decision, its one-line summary, and who and what it is about. */
export interface ExplainAccessResponse extends AccessDecision {
  summary: string;
  application: AccessDecision['application'] & { applicationId: string; managedBy?: string };
}

/** The access decision, for `studio-sso explain-access` and the console. */
export const accessRoutes = (services: Services): AdminRoute[] => [
  adminRoute<unknown, { user: string; application: string }>({
    method: 'GET',
    path: '/access/explain',
    schema: {
      querystring: {
        type: 'object',
        required: ['user', 'application'],
        properties: {
          user: { type: 'string', minLength: 1, maxLength: 128 },
          application: { type: 'string', minLength: 1, maxLength: 1224 },
        },
      },
    },
    handler: async ({ query }, { scope }): Promise<ExplainAccessResponse> => {
      const { application, decision } = await services.access.explain(scope, query);
      return {
        ...decision,
        summary: describeAccess(decision),
        application: {
          applicationArn: applicationArnOf(application),
          applicationId: application.applicationId,
          name: application.name,
          ...(application.managedBy !== undefined ? { managedBy: application.managedBy } : {}),
        },
      };
    },
  }),
];
