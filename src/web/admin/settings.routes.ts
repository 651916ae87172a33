import type { Services } from '../../app.js';
import type { InstanceSettings } from '../../modules/settings/settings.types.js';
import { type AdminRoute, adminRoute } from './admin-api.js';

export interface SettingsResponse {
  instanceId: string;
  settings: InstanceSettings;
}

/** Settings of the caller's IAM Identity Center instance (Settings → Authentication, and ours). */
export const settingsRoutes = (services: Services): AdminRoute[] => [
  adminRoute({
    method: 'GET',
    path: '/settings',
    handler: async (_request, { scope }): Promise<SettingsResponse> =>
      services.settings.describeSettings(scope),
  }),
  adminRoute<Partial<InstanceSettings>>({
    method: 'PATCH',
    path: '/settings',
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          invitationValidityDays: { type: 'integer' },
          sendEmailOtp: { type: 'boolean' },
          sessionDurationHours: { type: 'integer' },
          minimumPasswordLength: { type: 'integer' },
          mfaRequired: { type: 'boolean' },
        },
      },
    },
    handler: async ({ body }, { scope }): Promise<SettingsResponse> =>
      services.settings.updateSettings(scope, body),
  }),
];
