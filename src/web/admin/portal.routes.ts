import type { Services } from '../../app.js';
import type { Scope } from '../../core/scope.js';
import type { User } from '../../modules/identity-store/identity-store.types.js';
import { type AdminRoute, adminRoute } from './admin-api.js';

export interface SignOutResponse {
  userId: string;
  userName: string;
  /** How many live access portal sessions were ended. */
  sessionsEnded: number;
}

export interface MfaResponse {
  userId: string;
  userName: string;
  enrolled: boolean;
  activatedAt?: string;
  recoveryCodesLeft: number;
}

type UserParams = { user: string };
type StoreQuery = { identityStoreId?: string };

const userParams = {
  type: 'object',
  required: ['user'],
  properties: { user: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;
const storeQuery = {
  type: 'object',
  properties: { identityStoreId: { type: 'string', maxLength: 64 } },
} as const;

/**
 * An admin's hold on a user's access portal sign-in: end every session of the user at once (as
 * IAM Identity Center's "Revoke active sessions"), see and reset the user's MFA (a lost phone with
 * lost recovery codes).
 */
export const portalRoutes = (services: Services): AdminRoute[] => {
  const userOf = async (scope: Scope, user: string, identityStoreId?: string): Promise<User> =>
    services.identityStore.resolveUser(
      scope,
      identityStoreId ?? (await services.settings.callerInstance(scope)).identityStoreId,
      user,
    );
  const mfaResponse = async (user: User): Promise<MfaResponse> => {
    const status = await services.mfa.status(user.userId);
    return {
      userId: user.userId,
      userName: user.userName,
      enrolled: status.enrolled,
      activatedAt: status.activatedAt?.toISOString(),
      recoveryCodesLeft: status.recoveryCodesLeft,
    };
  };
  return [
    adminRoute<unknown, StoreQuery, UserParams>({
      method: 'POST',
      path: '/users/:user/sign-out',
      schema: { params: userParams, querystring: storeQuery },
      handler: async ({ params, query }, { scope }): Promise<SignOutResponse> => {
        const user = await userOf(scope, params.user, query.identityStoreId);
        return {
          userId: user.userId,
          userName: user.userName,
          sessionsEnded: await services.sessions.endSessionsOfUser(user.userId),
        };
      },
    }),
    adminRoute<unknown, StoreQuery, UserParams>({
      method: 'GET',
      path: '/users/:user/mfa',
      schema: { params: userParams, querystring: storeQuery },
      handler: async ({ params, query }, { scope }): Promise<MfaResponse> =>
        mfaResponse(await userOf(scope, params.user, query.identityStoreId)),
    }),
    adminRoute<unknown, StoreQuery, UserParams>({
      method: 'DELETE',
      path: '/users/:user/mfa',
      schema: { params: userParams, querystring: storeQuery },
      handler: async ({ params, query }, { scope }): Promise<MfaResponse & { removed: boolean }> => {
        const user = await userOf(scope, params.user, query.identityStoreId);
        const removed = await services.mfa.remove(user.userId);
        return { ...(await mfaResponse(user)), removed };
      },
    }),
  ];
};
