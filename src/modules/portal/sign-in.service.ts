import type { UnitOfWork } from '../../core/unit-of-work.js';
import type { InstancesRepository } from '../access/instances.repository.js';
import {
  type CredentialsRepositories,
  type CredentialsService,
  PASSWORD_CHANGE_VALID_MS,
} from '../credentials/credentials.service.js';
import type { IdentityStoreRepository } from '../identity-store/identity-store.repository.js';
import type { User } from '../identity-store/identity-store.types.js';
import type { InvitationsService } from '../invitations/invitations.service.js';
import type { InvitationCheck } from '../invitations/invitations.types.js';
import type { SettingsService } from '../settings/settings.service.js';
import { findStoreUser, findStoreUserByName } from './portal-users.js';
import type { SessionsService } from './sessions.service.js';
import type { NewSession } from './sessions.types.js';

export interface SignInRepositories extends CredentialsRepositories {
  identityStore: IdentityStoreRepository;
  instances: InstancesRepository;
}

/** The identity store whose users sign in at /start. */
export interface PortalDirectory {
  identityStoreId: string;
  instanceId: string;
}

export type SignInStart =
  | { next: 'password' }
  | { next: 'email-code'; challengeId: string; sentTo: string }
  | { next: 'not-enabled' };

export type SignInOutcome =
  | { result: 'signed-in'; session: NewSession; user: User }
  /** A one-time password or an e-mailed code: the user chooses a password before anything else. */
  | { result: 'choose-password'; ticket: string; user: User }
  /** One answer for an unknown user name, a wrong password and a disabled user. */
  | { result: 'failed' }
  | { result: 'one-time-password-expired' }
  | { result: 'not-enabled' };

export type EmailCodeOutcome =
  | SignInOutcome
  | { result: 'wrong-code'; attemptsLeft: number }
  | { result: 'code-expired' }
  | { result: 'code-used' }
  | { result: 'too-many-attempts' };

/** `a•••@example.com`: enough for the user to recognise the address, not enough to learn it. */
export const maskEmail = (email: string): string => {
  const at = email.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
};

const primaryEmail = (user: User): string | undefined =>
  (user.emails?.find((e) => e.primary === true) ?? user.emails?.[0])?.value;

/**
 * Signing in to the access portal: user name, then password (or, for a user created through the
 * API while "send email OTP" is on, an e-mailed code); one-time passwords and codes lead to
 * choosing a password first. Issue 6 adds MFA and lockout here.
 */
export class SignInService {
  constructor(
    private readonly uow: UnitOfWork<SignInRepositories>,
    private readonly credentials: CredentialsService,
    private readonly invitations: InvitationsService,
    private readonly sessions: SessionsService,
    private readonly settings: SettingsService,
    /** The account whose IAM Identity Center instance the portal serves: the installation's own. */
    private readonly portalAccountId: string,
  ) {}

  async portalDirectory(): Promise<PortalDirectory | undefined> {
    const instance = await this.uow.repositories.instances.findInstanceOfAccount(this.portalAccountId);
    return instance === undefined
      ? undefined
      : { identityStoreId: instance.identityStoreId, instanceId: instance.instanceId };
  }

  /**
   * After the user name: the password step, for every name that is not a password-less user with
   * "send email OTP" on (who gets a code instead, as in AWS).
   */
  async startSignIn(userName: string): Promise<SignInStart> {
    const directory = await this.portalDirectory();
    if (directory === undefined) return { next: 'not-enabled' };
    const user = await findStoreUserByName(
      this.uow.repositories.identityStore,
      directory.identityStoreId,
      userName,
    );
    if (user === undefined || user.status !== 'ENABLED') return { next: 'password' };
    const email = primaryEmail(user);
    if (email === undefined) return { next: 'password' };
    const [{ sendEmailOtp }, status] = await Promise.all([
      this.settings.forInstance(directory.instanceId),
      this.credentials.credentialStatus(user.userId),
    ]);
    if (!sendEmailOtp || status.hasPassword) return { next: 'password' };
    const { challengeId } = await this.credentials.sendEmailCode({
      userId: user.userId,
      identityStoreId: user.identityStoreId,
      email,
      displayName: user.displayName ?? user.userName,
    });
    return { next: 'email-code', challengeId, sentTo: maskEmail(email) };
  }

  async signInWithPassword(userName: string, password: string): Promise<SignInOutcome> {
    const directory = await this.portalDirectory();
    if (directory === undefined) return { result: 'not-enabled' };
    const user = await findStoreUserByName(
      this.uow.repositories.identityStore,
      directory.identityStoreId,
      userName,
    );
    if (user === undefined) {
      await this.credentials.spendVerifyTime(password);
      return { result: 'failed' };
    }
    const check = await this.credentials.checkPassword(user.userId, password);
    if (user.status !== 'ENABLED') return { result: 'failed' };
    switch (check.result) {
      case 'ok':
        return { result: 'signed-in', session: await this.sessions.createSession(user, 'password'), user };
      case 'one-time':
        return this.choosePassword(user);
      case 'one-time-expired':
        return { result: 'one-time-password-expired' };
      default:
        return { result: 'failed' };
    }
  }

  async signInWithEmailCode(challengeId: string, code: string): Promise<EmailCodeOutcome> {
    const check = await this.credentials.checkEmailCode(challengeId, code);
    switch (check.result) {
      case 'ok': {
        const user = await findStoreUser(
          this.uow.repositories.identityStore,
          check.code.identityStoreId,
          check.code.userId,
        );
        if (user === undefined || user.status !== 'ENABLED') return { result: 'failed' };
        return this.choosePassword(user);
      }
      case 'wrong':
        return { result: 'wrong-code', attemptsLeft: check.attemptsLeft };
      case 'expired':
        return { result: 'code-expired' };
      case 'used':
        return { result: 'code-used' };
      default:
        return { result: 'too-many-attempts' };
    }
  }

  /** The user a "choose a password" ticket belongs to, while it is valid. */
  async ticketUser(ticket: string): Promise<User | undefined> {
    const token = await this.credentials.peekToken(ticket, 'password-change');
    if (token === undefined) return undefined;
    return findStoreUser(this.uow.repositories.identityStore, token.identityStoreId, token.userId);
  }

  /**
   * Sets the chosen password with the ticket (used once) and signs the user in. PasswordRejectedError
   * when the password does not pass the policy (the ticket stays valid); `failed` when the ticket is not.
   */
  async choosePasswordWithTicket(
    ticket: string,
    password: string,
    confirmation: string,
  ): Promise<SignInOutcome> {
    const user = await this.ticketUser(ticket);
    if (user === undefined || user.status !== 'ENABLED') return { result: 'failed' };
    const prepared = await this.credentials.preparePassword(
      { userId: user.userId, userName: user.userName, identityStoreId: user.identityStoreId },
      password,
      confirmation,
    );
    const stored = await this.uow.transaction(async (within) => {
      if ((await this.credentials.useToken(within, ticket, 'password-change')) === undefined) return false;
      await this.credentials.storePassword(within, prepared);
      return true;
    });
    if (!stored) return { result: 'failed' };
    return { result: 'signed-in', session: await this.sessions.createSession(user, 'password-change'), user };
  }

  /** Accepts an invitation from its link and, when it worked, signs the user in. */
  async acceptInvitation(
    token: string,
    password: string,
    confirmation: string,
  ): Promise<InvitationCheck | { result: 'signed-in'; session: NewSession; user: User }> {
    const outcome = await this.invitations.acceptInvitation(token, password, confirmation);
    if (outcome.result !== 'password-set') return outcome;
    const { user } = outcome;
    return { result: 'signed-in', session: await this.sessions.createSession(user, 'invitation'), user };
  }

  private async choosePassword(user: User): Promise<SignInOutcome> {
    const { token } = await this.credentials.issueToken(user, 'password-change', PASSWORD_CHANGE_VALID_MS);
    return { result: 'choose-password', ticket: token, user };
  }
}
