import type { Services } from '../../app.js';
import { describeAccess } from '../../modules/access/access-decision.js';
import { studioArns } from '../../modules/studio/studio-ids.js';
import { type AdminRoute, adminRoute } from './admin-api.js';

/** What `POST /studio/domains/:domainId/sso-profiles` answers. */
export interface SsoProfileResponse {
  domainId: string;
  userProfileName: string;
  userProfileArn: string;
  status: string;
  userName: string;
  homeEfsFileSystemUid: string;
  /** Whether the user was assigned to the domain's application to make this possible. */
  assigned: boolean;
  /** The access decision before: `group Engineers`, `denied: not assigned`, … */
  accessBefore: string;
}

/**
 * SageMaker Studio for the console and `studio-sso studio …`: the console's way of creating a
 * profile for an SSO user, which assigns the user to the domain's application when needed, in the
 * same transaction as the profile.
 */
export const studioRoutes = (services: Services): AdminRoute[] => [
  // No UserSettings here: they are validated against the SageMaker model, which the AWS API does.
  // The profile uses the domain's DefaultUserSettings, as a profile created without them does.
  adminRoute<{ user: string; profileName?: string }, unknown, { domainId: string }>({
    method: 'POST',
    path: '/studio/domains/:domainId/sso-profiles',
    status: 201,
    schema: {
      params: {
        type: 'object',
        required: ['domainId'],
        properties: { domainId: { type: 'string', pattern: '^d-(-*[a-z0-9]){1,61}$', maxLength: 63 } },
      },
      body: {
        type: 'object',
        required: ['user'],
        additionalProperties: false,
        properties: {
          user: { type: 'string', minLength: 1, maxLength: 256 },
          profileName: { type: 'string', pattern: '^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$', maxLength: 63 },
        },
      },
    },
    handler: async ({ params, body }, { scope }): Promise<SsoProfileResponse> => {
      const { profile, assigned, decision } = await services.studio.createProfileForSsoUser(
        scope,
        params.domainId,
        body.user,
        body.profileName,
      );
      return {
        domainId: profile.domainId,
        userProfileName: profile.name,
        userProfileArn: studioArns.userProfile(scope.region, scope.accountId, profile.domainId, profile.name),
        status: profile.status,
        userName: profile.ssoUserName ?? body.user,
        homeEfsFileSystemUid: profile.homeEfsUid,
        assigned,
        accessBefore: describeAccess(decision),
      };
    },
  }),
];
