import type { Services } from '../../app.js';
import type { Scope } from '../../core/scope.js';
import type { DeliveryStatus } from '../../mail/mail.types.js';
import type { CredentialStatus } from '../../modules/credentials/credentials.types.js';
import type { User, UserStatus } from '../../modules/identity-store/identity-store.types.js';
import type {
  AddUserRequest,
  InvitationView,
  OnboardingStatus,
  PasswordSetup,
} from '../../modules/invitations/invitations.types.js';
import { type AdminRoute, adminRoute } from './admin-api.js';

/** A user as the admin API shows it: the attributes the console's "Add user" form has. */
export interface UserSummary {
  userId: string;
  identityStoreId: string;
  userName: string;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  email?: string;
  status: string;
}

export interface InvitationResponse {
  invitationId: string;
  state: InvitationView['state'];
  createdAt: string;
  expiresAt: string;
  acceptedAt?: string;
  revokedAt?: string;
  revokedReason?: string;
  delivery?: DeliveryResponse;
}

export interface DeliveryResponse {
  messageId: string;
  state: DeliveryStatus['state'];
  attempts: number;
  lastError?: string;
  nextAttemptAt?: string;
  sentAt?: string;
}

export interface AddUserResponse {
  user: UserSummary;
  groupIds: string[];
  portalUrl: string;
  invitation?: InvitationResponse;
  /** Shown this once: only its hash is stored. */
  oneTimePassword?: { password: string; expiresAt: string };
}

export interface UserOnboardingResponse {
  user: UserSummary;
  status: OnboardingStatus;
  password: { hasPassword: boolean; kind?: string; setAt?: string; expiresAt?: string };
  invitations: InvitationResponse[];
  portalUrl: string;
}

/** A user enabled or disabled; disabling ends the user's portal sessions in the same transaction. */
export interface UserStatusResponse {
  user: UserSummary;
  sessionsEnded: number;
}

/** The user as it was just before it was deleted. */
export interface DeletedUserResponse {
  user: UserSummary;
}

const iso = (date: Date | undefined): string | undefined => date?.toISOString();

export const toUserSummary = (user: User): UserSummary => ({
  userId: user.userId,
  identityStoreId: user.identityStoreId,
  userName: user.userName,
  displayName: user.displayName,
  givenName: user.name?.givenName,
  familyName: user.name?.familyName,
  email: (user.emails?.find((e) => e.primary === true) ?? user.emails?.[0])?.value,
  status: user.status,
});

export const toDeliveryResponse = (delivery: DeliveryStatus): DeliveryResponse => ({
  messageId: delivery.messageId,
  state: delivery.state,
  attempts: delivery.attempts,
  lastError: delivery.lastError,
  nextAttemptAt: iso(delivery.nextAttemptAt),
  sentAt: iso(delivery.sentAt),
});

const toInvitationResponse = (invitation: InvitationView): InvitationResponse => ({
  invitationId: invitation.invitationId,
  state: invitation.state,
  createdAt: invitation.createdAt.toISOString(),
  expiresAt: invitation.expiresAt.toISOString(),
  acceptedAt: iso(invitation.acceptedAt),
  revokedAt: iso(invitation.revokedAt),
  revokedReason: invitation.revokedReason,
  delivery: invitation.delivery === undefined ? undefined : toDeliveryResponse(invitation.delivery),
});

const toPasswordResponse = (status: CredentialStatus) => ({
  hasPassword: status.hasPassword,
  kind: status.kind,
  setAt: iso(status.setAt),
  expiresAt: iso(status.expiresAt),
});

const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;
const storeQuery = {
  type: 'object',
  properties: { identityStoreId: { type: 'string', maxLength: 64 } },
} as const;
const userParams = {
  type: 'object',
  required: ['user'],
  properties: { user: text(128) },
} as const;

type UserParams = { user: string };
type StoreQuery = { identityStoreId?: string };

/** The user named by user name (any case) or ID, in the given store or the caller's instance's. */
const userOf = async (services: Services, scope: Scope, user: string, identityStoreId?: string) =>
  services.identityStore.resolveUser(
    scope,
    identityStoreId ?? (await services.settings.callerInstance(scope)).identityStoreId,
    user,
  );

/**
 * Users with a password choice (the console's "Add user"), their onboarding state, invitations
 * (resend, revoke), one-time passwords, and their lifecycle (disable, enable, delete) through the
 * services the console uses. Users created here are identity-store users like any other: the same
 * rules and errors as identitystore CreateUser apply.
 */
export const usersRoutes = (services: Services): AdminRoute[] => [
  adminRoute<AddUserRequest & { passwordSetup: PasswordSetup }>({
    method: 'POST',
    path: '/users',
    status: 201,
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['userName', 'email', 'givenName', 'familyName', 'displayName', 'passwordSetup'],
        properties: {
          identityStoreId: { type: 'string', maxLength: 64 },
          userName: text(128),
          email: text(1024),
          givenName: text(1024),
          familyName: text(1024),
          displayName: text(1024),
          groups: { type: 'array', maxItems: 100, items: text(1024) },
          passwordSetup: { type: 'string', enum: ['send-email', 'one-time-password'] },
        },
      },
    },
    handler: async ({ body }, { scope }): Promise<AddUserResponse> => {
      const added = await services.invitations.addUser(scope, body);
      return {
        user: toUserSummary(added.user),
        groupIds: added.groupIds,
        portalUrl: added.portalUrl,
        invitation: added.invitation === undefined ? undefined : toInvitationResponse(added.invitation),
        oneTimePassword:
          added.oneTimePassword === undefined
            ? undefined
            : {
                password: added.oneTimePassword.password,
                expiresAt: added.oneTimePassword.expiresAt.toISOString(),
              },
      };
    },
  }),
  adminRoute<unknown, StoreQuery, UserParams>({
    method: 'GET',
    path: '/users/:user',
    schema: { params: userParams, querystring: storeQuery },
    handler: async ({ params, query }, { scope }): Promise<UserOnboardingResponse> => {
      const onboarding = await services.invitations.describeOnboarding(
        scope,
        params.user,
        query.identityStoreId,
      );
      return {
        user: toUserSummary(onboarding.user),
        status: onboarding.status,
        password: toPasswordResponse(onboarding.password),
        invitations: onboarding.invitations.map(toInvitationResponse),
        portalUrl: onboarding.portalUrl,
      };
    },
  }),
  adminRoute<unknown, StoreQuery, UserParams>({
    method: 'GET',
    path: '/users/:user/invitations',
    schema: { params: userParams, querystring: storeQuery },
    handler: async ({ params, query }, { scope }) => ({
      invitations: (
        await services.invitations.listInvitations(scope, params.user, query.identityStoreId)
      ).map(toInvitationResponse),
    }),
  }),
  adminRoute<unknown, StoreQuery, UserParams>({
    method: 'POST',
    path: '/users/:user/invitations',
    status: 201,
    schema: { params: userParams, querystring: storeQuery },
    handler: async ({ params, query }, { scope }): Promise<InvitationResponse> =>
      toInvitationResponse(
        await services.invitations.resendInvitation(scope, params.user, query.identityStoreId),
      ),
  }),
  adminRoute<unknown, StoreQuery, UserParams>({
    method: 'DELETE',
    path: '/users/:user/invitations',
    schema: { params: userParams, querystring: storeQuery },
    handler: async ({ params, query }, { scope }) => ({
      revoked: (await services.invitations.revokeInvitation(scope, params.user, query.identityStoreId)).map(
        toInvitationResponse,
      ),
    }),
  }),
  adminRoute<unknown, StoreQuery, UserParams>({
    method: 'POST',
    path: '/users/:user/one-time-password',
    status: 201,
    schema: { params: userParams, querystring: storeQuery },
    handler: async ({ params, query }, { scope }) => {
      const otp = await services.invitations.generateOneTimePassword(
        scope,
        params.user,
        query.identityStoreId,
      );
      return {
        password: otp.password,
        expiresAt: otp.expiresAt.toISOString(),
        portalUrl: services.invitations.portalUrl(),
      };
    },
  }),
  adminRoute<{ status: UserStatus }, StoreQuery, UserParams>({
    method: 'PUT',
    path: '/users/:user/status',
    schema: {
      params: userParams,
      querystring: storeQuery,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['status'],
        properties: { status: { type: 'string', enum: ['ENABLED', 'DISABLED'] } },
      },
    },
    handler: async ({ params, query, body }, { scope }): Promise<UserStatusResponse> => {
      const user = await userOf(services, scope, params.user, query.identityStoreId);
      const change = await services.userLifecycle.setUserStatus(
        scope,
        user.identityStoreId,
        user.userId,
        body.status,
      );
      return { user: toUserSummary(change.user), sessionsEnded: change.sessionsEnded };
    },
  }),
  adminRoute<unknown, StoreQuery, UserParams>({
    method: 'DELETE',
    path: '/users/:user',
    schema: { params: userParams, querystring: storeQuery },
    handler: async ({ params, query }, { scope }): Promise<DeletedUserResponse> => {
      const user = await userOf(services, scope, params.user, query.identityStoreId);
      await services.identityStore.deleteUser(scope, user.identityStoreId, user.userId);
      return { user: toUserSummary(user) };
    },
  }),
];
