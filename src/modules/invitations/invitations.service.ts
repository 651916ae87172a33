import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import type { Links } from '../../core/links.js';
import type { Page } from '../../core/pagination.js';
import type { Scope } from '../../core/scope.js';
import type { UnitOfWork } from '../../core/unit-of-work.js';
import type { OutboxService } from '../../mail/outbox.service.js';
import { invitationMail } from '../../mail/templates.js';
import type { CredentialsRepositories, CredentialsService } from '../credentials/credentials.service.js';
import type { CredentialStatus } from '../credentials/credentials.types.js';
import { hashToken, newToken, sameDigest, TOKEN_PATTERN } from '../credentials/tokens.js';
import type { IdentityStoreRepository } from '../identity-store/identity-store.repository.js';
import type { IdentityStoreService } from '../identity-store/identity-store.service.js';
import { lookupKey, type User, type UserProfile } from '../identity-store/identity-store.types.js';
import { checkUserConstraints, userProfileToWire } from '../identity-store/user-attributes.js';
import type { SessionsRepository } from '../portal/sessions.repository.js';
import type { SettingsService } from '../settings/settings.service.js';
import type { InvitationsRepository } from './invitations.repository.js';
import {
  type AddUserRequest,
  type AddUserResult,
  type Invitation,
  type InvitationCheck,
  type InvitationView,
  invitationState,
  type OnboardingStatus,
  type OneTimePasswordView,
  type UserOnboarding,
  type UserOnboardingSummary,
} from './invitations.types.js';

export interface InvitationsRepositories extends CredentialsRepositories {
  identityStore: IdentityStoreRepository;
  invitations: InvitationsRepository;
  /** A one-time password ends the user's portal sessions in its own transaction. */
  sessions: SessionsRepository;
}

const DAY_MS = 24 * 60 * 60_000;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

const isNotFound = (error: unknown, code: string): boolean =>
  error instanceof AppError && error.code === code;

const primaryEmail = (user: User): string | undefined =>
  (user.emails?.find((e) => e.primary === true) ?? user.emails?.[0])?.value;

/**
 * Adding users with a password choice (an e-mailed invitation or a one-time password), the
 * invitation lifecycle (pending, expired, accepted, revoked; resend; revoke) and accepting an
 * invitation from its link. Users are created by the identity store service itself, inside this
 * service's transaction, so the AWS API's rules and errors apply and the user, its groups, its
 * invitation and the invitation's mail land together or not at all.
 */
export class InvitationsService {
  constructor(
    private readonly uow: UnitOfWork<InvitationsRepositories>,
    private readonly identityStore: IdentityStoreService,
    /** The identity store service on a transaction's repositories (see joinedUnitOfWork). */
    private readonly identityStoreWithin: (within: InvitationsRepositories) => IdentityStoreService,
    private readonly credentials: CredentialsService,
    private readonly settings: SettingsService,
    private readonly outbox: OutboxService,
    private readonly links: Links,
    private readonly clock: Clock,
  ) {}

  // Admin side

  async addUser(scope: Scope, request: AddUserRequest): Promise<AddUserResult> {
    const identityStoreId = await this.identityStoreOf(scope, request.identityStoreId);
    await this.identityStore.requireStore(scope, identityStoreId);
    if (!EMAIL.test(request.email)) {
      throw new ValidationError(`email: ${request.email} is not an e-mail address.`, 'INVALID_EMAIL');
    }
    const profile: Partial<UserProfile> = {
      userName: request.userName,
      displayName: request.displayName,
      name: { givenName: request.givenName, familyName: request.familyName },
      emails: [{ value: request.email, type: 'work', primary: true }],
    };
    // The model's constraints, as CreateUser applies them at the edge of the AWS API.
    checkUserConstraints(identityStoreId, userProfileToWire(profile));
    const oneTimePassword =
      request.passwordSetup === 'one-time-password'
        ? await this.credentials.prepareOneTimePassword(identityStoreId)
        : undefined;
    const { invitationValidityDays } = await this.settings.forIdentityStore(identityStoreId);

    const result = await this.uow.transaction(async (within) => {
      const store = this.identityStoreWithin(within);
      // The console's rule (the API allows duplicates): one user per e-mail address.
      if (
        (await within.identityStore.findUserIdsByEmail(identityStoreId, lookupKey(request.email), 1)).length >
        0
      ) {
        throw new ConflictError(
          'EMAIL_IN_USE',
          `Another user already has the e-mail address ${request.email}.`,
          {
            reason: 'UNIQUENESS_CONSTRAINT_VIOLATION',
          },
        );
      }
      const user = await store.createUser(scope, identityStoreId, profile);
      const groupIds: string[] = [];
      for (const group of new Set(request.groups ?? [])) {
        const groupId = await this.groupIdOf(store, scope, identityStoreId, group);
        if (groupIds.includes(groupId)) continue;
        await store.createGroupMembership(scope, identityStoreId, groupId, user.userId);
        groupIds.push(groupId);
      }
      if (oneTimePassword !== undefined) {
        await this.credentials.storeOneTimePassword(within, user.userId, oneTimePassword, scope.principalArn);
        return { user, groupIds };
      }
      const invitation = await this.invite(within, scope, user, invitationValidityDays);
      return { user, groupIds, invitation };
    });
    this.outbox.messagesCommitted();
    return {
      user: result.user,
      groupIds: result.groupIds,
      invitation: result.invitation === undefined ? undefined : await this.view(result.invitation),
      oneTimePassword:
        oneTimePassword === undefined
          ? undefined
          : { password: oneTimePassword.password, expiresAt: oneTimePassword.expiresAt },
      portalUrl: this.links.portal(),
    };
  }

  /** The user, where they stand with signing in, and their invitations with delivery states. */
  async describeOnboarding(scope: Scope, userRef: string, identityStoreId?: string): Promise<UserOnboarding> {
    const user = await this.findUser(scope, userRef, identityStoreId);
    const password = await this.credentials.credentialStatus(user.userId);
    const invitations = await this.views(
      await this.uow.repositories.invitations.listInvitationsOfUser(user.userId),
    );
    return {
      user,
      status: this.onboardingStatus(password, invitations),
      password,
      invitations,
      portalUrl: this.links.portal(),
    };
  }

  /**
   * A page of the store's users (all, or those whose user name starts with `search` in any case)
   * with where each stands with signing in: one query per table for the whole page, not per user.
   * In user name order regardless of case, as an admin looks for people.
   */
  async listUsersWithOnboarding(
    scope: Scope,
    identityStoreId: string,
    request: { search?: string; nextToken?: string; limit?: number },
  ): Promise<Page<UserOnboardingSummary>> {
    const page = await this.identityStore.listUsersByName(scope, identityStoreId, {
      nextToken: request.nextToken,
      limit: request.limit,
      prefix: request.search,
    });
    const userIds = page.items.map((user) => user.userId);
    const [passwords, invitations] = await Promise.all([
      this.credentials.credentialStatuses(userIds),
      this.uow.repositories.invitations.listInvitationsOfUsers(userIds),
    ]);
    const newest = new Map<string, Invitation>();
    for (const invitation of invitations)
      if (!newest.has(invitation.userId)) newest.set(invitation.userId, invitation);
    const views = new Map((await this.views([...newest.values()])).map((view) => [view.userId, view]));
    return {
      nextToken: page.nextToken,
      items: page.items.map((user) => {
        const latestInvitation = views.get(user.userId);
        const password = passwords.get(user.userId) ?? { hasPassword: false };
        const status = this.onboardingStatus(
          password,
          latestInvitation === undefined ? [] : [latestInvitation],
        );
        return { user, status, latestInvitation };
      }),
    };
  }

  async listInvitations(scope: Scope, userRef: string, identityStoreId?: string): Promise<InvitationView[]> {
    const user = await this.findUser(scope, userRef, identityStoreId);
    const invitations = await this.uow.repositories.invitations.listInvitationsOfUser(user.userId);
    return this.views(invitations);
  }

  /**
   * A new invitation with a new link; the pending one (if any) stops working. Refused once the user
   * has chosen a password: a new link would only be a password reset under another name.
   */
  async resendInvitation(scope: Scope, userRef: string, identityStoreId?: string): Promise<InvitationView> {
    const user = await this.findUser(scope, userRef, identityStoreId);
    if ((await this.credentials.credentialStatus(user.userId)).kind === 'password') {
      throw new ConflictError(
        'PASSWORD_ALREADY_CHOSEN',
        `User ${user.userName} has already chosen a password, so there is no invitation to resend. To have them choose a new one, reset their password.`,
        { resourceType: 'INVITATION' },
      );
    }
    const { invitationValidityDays } = await this.settings.forIdentityStore(user.identityStoreId);
    const invitation = await this.uow.transaction((within) =>
      this.invite(within, scope, user, invitationValidityDays),
    );
    this.outbox.messagesCommitted();
    return this.view(invitation);
  }

  /** Revokes the pending invitation; NotFound when there is none. */
  async revokeInvitation(scope: Scope, userRef: string, identityStoreId?: string): Promise<InvitationView[]> {
    const user = await this.findUser(scope, userRef, identityStoreId);
    const revoked = await this.uow.repositories.invitations.revokePendingInvitations(
      user.userId,
      this.clock.now(),
      'revoked',
    );
    if (revoked.length === 0) {
      throw new NotFoundError('NO_PENDING_INVITATION', `User ${user.userName} has no pending invitation.`, {
        resourceType: 'INVITATION',
      });
    }
    const all = await this.uow.repositories.invitations.listInvitationsOfUser(user.userId);
    return this.views(all.filter((i) => revoked.includes(i.invitationId)));
  }

  /**
   * A new one-time password for the user (the console's "generate a one-time password"); pending
   * invitations stop working, so exactly one way to set a password is open. The user's portal
   * sessions end with it: a reset means whoever is signed in as the user must prove it again.
   */
  async generateOneTimePassword(
    scope: Scope,
    userRef: string,
    identityStoreId?: string,
  ): Promise<OneTimePasswordView> {
    const user = await this.findUser(scope, userRef, identityStoreId);
    const prepared = await this.credentials.prepareOneTimePassword(user.identityStoreId);
    await this.uow.transaction(async (within) => {
      await within.invitations.revokePendingInvitations(user.userId, this.clock.now(), 'replaced');
      await this.credentials.storeOneTimePassword(within, user.userId, prepared, scope.principalArn);
      await within.sessions.endSessionsOfUser(user.userId, this.clock.now());
    });
    return { password: prepared.password, expiresAt: prepared.expiresAt };
  }

  /** Where users sign in, for the admin to pass on with a one-time password. */
  portalUrl(): string {
    return this.links.portal();
  }

  // Portal side

  /** What the invitation link finds now, without using it. */
  async checkInvitation(token: string): Promise<InvitationCheck> {
    if (!TOKEN_PATTERN.test(token)) return { result: 'invalid' };
    const tokenHash = hashToken(token);
    const invitation = await this.uow.repositories.invitations.findInvitationByTokenHash(tokenHash);
    if (invitation === undefined || !sameDigest(invitation.tokenHash, tokenHash))
      return { result: 'invalid' };
    const state = invitationState(invitation, this.clock.now());
    if (state !== 'pending') return { result: state, invitation };
    const user = await this.userById(invitation.identityStoreId, invitation.userId);
    return user === undefined ? { result: 'invalid' } : { result: 'pending', invitation, user };
  }

  /**
   * Sets the user's password from the invitation link and uses the link up, atomically: of two
   * submissions of one link, one sets the password and the other is told the link was used.
   * PasswordRejectedError when the password does not pass the policy (the link stays valid).
   */
  async acceptInvitation(
    token: string,
    password: string,
    confirmation: string,
  ): Promise<InvitationCheck | { result: 'password-set'; invitation: Invitation; user: User }> {
    const check = await this.checkInvitation(token);
    if (check.result !== 'pending') return check;
    const { invitation, user } = check;
    const prepared = await this.credentials.preparePassword(
      { userId: user.userId, userName: user.userName, identityStoreId: user.identityStoreId },
      password,
      confirmation,
    );
    const accepted = await this.uow.transaction(async (within) => {
      if (!(await within.invitations.acceptInvitation(invitation.invitationId, this.clock.now())))
        return false;
      await this.credentials.storePassword(within, prepared);
      return true;
    });
    if (!accepted) return this.checkInvitation(token);
    return { result: 'password-set', invitation, user };
  }

  /** A user of a store, found without a caller's scope (the portal has none). */
  async userById(identityStoreId: string, userId: string): Promise<User | undefined> {
    const repository = this.uow.repositories.identityStore;
    const store = await repository.findIdentityStore(identityStoreId);
    if (store === undefined) return undefined;
    return repository.findUser({ identityStoreId, accountId: store.accountId, region: store.region }, userId);
  }

  // Shared steps

  private async invite(
    within: InvitationsRepositories,
    scope: Scope,
    user: User,
    validityDays: number,
  ): Promise<Invitation> {
    const email = primaryEmail(user);
    if (email === undefined) {
      throw new ValidationError(
        `User ${user.userName} has no e-mail address to send an invitation to: add one (identitystore update-user) or generate a one-time password.`,
        'NO_EMAIL',
      );
    }
    const now = this.clock.now();
    await within.invitations.revokePendingInvitations(user.userId, now, 'replaced');
    const token = newToken();
    const invitationId = randomUUID();
    const expiresAt = new Date(now.getTime() + validityDays * DAY_MS);
    const message = await this.outbox.queue(
      within,
      invitationMail({
        to: email,
        displayName: user.displayName ?? user.userName,
        userName: user.userName,
        link: this.links.acceptInvitation(token),
        portalUrl: this.links.portal(),
        expiresAt,
        reference: `invitation:${invitationId}`,
      }),
    );
    const invitation: Invitation = {
      invitationId,
      userId: user.userId,
      identityStoreId: user.identityStoreId,
      tokenHash: hashToken(token),
      createdAt: now,
      createdBy: scope.principalArn,
      expiresAt,
      messageId: message.messageId,
    };
    await within.invitations.insertInvitation(invitation);
    return invitation;
  }

  private async identityStoreOf(scope: Scope, identityStoreId: string | undefined): Promise<string> {
    return identityStoreId ?? (await this.settings.callerInstance(scope)).identityStoreId;
  }

  /** A user by ID or, failing that, by user name (in any case). */
  private async findUser(scope: Scope, userRef: string, identityStoreId?: string): Promise<User> {
    const storeId = await this.identityStoreOf(scope, identityStoreId);
    try {
      return await this.identityStore.describeUser(scope, storeId, userRef);
    } catch (error) {
      if (!isNotFound(error, 'USER_NOT_FOUND')) throw error;
    }
    try {
      const userId = await this.identityStore.getUserId(scope, storeId, {
        kind: 'uniqueAttribute',
        path: 'userName',
        value: userRef,
      });
      return await this.identityStore.describeUser(scope, storeId, userId);
    } catch (error) {
      if (!isNotFound(error, 'USER_NOT_FOUND')) throw error;
      throw new NotFoundError('USER_NOT_FOUND', `No user has the ID or user name ${userRef}.`, {
        resourceType: 'USER',
        resourceId: userRef,
      });
    }
  }

  /** A group by ID or, failing that, by display name (in any case). */
  private async groupIdOf(
    store: IdentityStoreService,
    scope: Scope,
    identityStoreId: string,
    groupRef: string,
  ): Promise<string> {
    try {
      return (await store.describeGroup(scope, identityStoreId, groupRef)).groupId;
    } catch (error) {
      if (!isNotFound(error, 'GROUP_NOT_FOUND')) throw error;
    }
    try {
      return await store.getGroupId(scope, identityStoreId, {
        kind: 'uniqueAttribute',
        path: 'displayName',
        value: groupRef,
      });
    } catch (error) {
      if (!isNotFound(error, 'GROUP_NOT_FOUND')) throw error;
      throw new NotFoundError('GROUP_NOT_FOUND', `No group has the ID or display name ${groupRef}.`, {
        resourceType: 'GROUP',
        resourceId: groupRef,
      });
    }
  }

  private onboardingStatus(password: CredentialStatus, invitations: InvitationView[]): OnboardingStatus {
    if (password.kind === 'password') return 'active';
    if (password.kind === 'one-time') {
      return password.expiresAt !== undefined && password.expiresAt <= this.clock.now()
        ? 'one-time-password-expired'
        : 'one-time-password';
    }
    const latest = invitations[0];
    if (latest?.state === 'pending') return 'invited';
    if (latest?.state === 'expired') return 'invitation-expired';
    return 'no-password';
  }

  private async view(invitation: Invitation): Promise<InvitationView> {
    const [view] = await this.views([invitation]);
    if (view === undefined) throw new Error('an invitation without its view');
    return view;
  }

  private async views(invitations: Invitation[]): Promise<InvitationView[]> {
    const deliveries = await this.outbox.deliveryStatuses(
      invitations.flatMap((i) => (i.messageId === undefined ? [] : [i.messageId])),
    );
    const now = this.clock.now();
    return invitations.map((i) => ({
      invitationId: i.invitationId,
      userId: i.userId,
      state: invitationState(i, now),
      createdAt: i.createdAt,
      createdBy: i.createdBy,
      expiresAt: i.expiresAt,
      acceptedAt: i.acceptedAt,
      revokedAt: i.revokedAt,
      revokedReason: i.revokedReason,
      delivery: i.messageId === undefined ? undefined : deliveries.get(i.messageId),
    }));
  }
}
