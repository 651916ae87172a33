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
import type { MfaService } from './mfa.service.js';
import type { MfaEnrolment } from './mfa.types.js';
import type { PortalDirectories, PortalDirectory } from './portal-directory.js';
import { findStoreUser, findStoreUserByName } from './portal-users.js';
import type { SessionsService } from './sessions.service.js';
import type { AuthMethod, NewSession } from './sessions.types.js';
import type { SignInGuard } from './sign-in-guard.service.js';

export type { PortalDirectory } from './portal-directory.js';

export interface SignInRepositories extends CredentialsRepositories {
  identityStore: IdentityStoreRepository;
  instances: InstancesRepository;
}

export type SignInStart =
  | { next: 'password' }
  | { next: 'email-code'; challengeId: string; sentTo: string }
  | { next: 'not-enabled' };

export type SignInOutcome =
  | {
      result: 'signed-in';
      session: NewSession;
      user: User;
      /** Recovery codes of an authenticator app registered in this sign-in: shown once, now. */
      recoveryCodes?: string[];
    }
  /** A one-time password or an e-mailed code: the user chooses a password before anything else. */
  | { result: 'choose-password'; ticket: string; user: User }
  /** The password was right; a code from the user's authenticator app comes next. */
  | { result: 'mfa-code'; ticket: string; user: User }
  /** The password was right; MFA is required and the user registers an authenticator app first. */
  | { result: 'mfa-enrolment'; ticket: string; user: User; enrolment: MfaEnrolment }
  /** One answer for an unknown user name, a wrong password and a disabled user. */
  | { result: 'failed' }
  /** Too many attempts for the user name or from the address: nothing was checked. */
  | { result: 'throttled'; retryAfterMs: number }
  | { result: 'one-time-password-expired' }
  | { result: 'not-enabled' };

export type EmailCodeOutcome =
  | SignInOutcome
  | { result: 'wrong-code'; attemptsLeft: number }
  | { result: 'code-expired' }
  | { result: 'code-used' }
  | { result: 'too-many-attempts' };

export type MfaStepOutcome =
  | SignInOutcome
  | { result: 'wrong-mfa-code'; ticket: string; user: User }
  /** The right code, but it was already used: the next one (in at most 30 seconds) works. */
  | { result: 'mfa-code-used'; ticket: string; user: User }
  | { result: 'wrong-enrolment-code'; ticket: string; user: User; enrolment: MfaEnrolment }
  /** The MFA step's ticket expired, was used, or its user can no longer sign in. */
  | { result: 'step-expired' };

/** How long the MFA step after a right password stays open. */
export const MFA_STEP_VALID_MS = 10 * 60_000;
/** Registering an authenticator app takes longer: installing the app, scanning, typing. */
export const MFA_ENROLMENT_VALID_MS = 30 * 60_000;

/** `a•••@example.com`: enough for the user to recognise the address, not enough to learn it. */
export const maskEmail = (email: string): string => {
  const at = email.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
};

export const primaryEmail = (user: User): string | undefined =>
  (user.emails?.find((e) => e.primary === true) ?? user.emails?.[0])?.value;

export interface SignInServiceOptions {
  uow: UnitOfWork<SignInRepositories>;
  credentials: CredentialsService;
  invitations: InvitationsService;
  sessions: SessionsService;
  settings: SettingsService;
  mfa: MfaService;
  guard: SignInGuard;
  directories: PortalDirectories;
}

/**
 * Signing in to the access portal: user name, then password (or, for a user created through the
 * API while "send email OTP" is on, an e-mailed code); one-time passwords and codes lead to
 * choosing a password first. Then, for a user with an authenticator app, its code; when the
 * instance requires MFA, a user without one registers it first. Every attempt at a password or
 * an MFA code is counted by the SignInGuard before it is checked.
 */
export class SignInService {
  private readonly uow: UnitOfWork<SignInRepositories>;
  private readonly credentials: CredentialsService;
  private readonly invitations: InvitationsService;
  private readonly sessions: SessionsService;
  private readonly settings: SettingsService;
  private readonly mfa: MfaService;
  private readonly guard: SignInGuard;
  private readonly directories: PortalDirectories;

  constructor(options: SignInServiceOptions) {
    this.uow = options.uow;
    this.credentials = options.credentials;
    this.invitations = options.invitations;
    this.sessions = options.sessions;
    this.settings = options.settings;
    this.mfa = options.mfa;
    this.guard = options.guard;
    this.directories = options.directories;
  }

  async portalDirectory(): Promise<PortalDirectory | undefined> {
    return this.directories.find();
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

  /** The password step; `address` is the browser's IP address, for throttling. */
  async signInWithPassword(userName: string, password: string, address?: string): Promise<SignInOutcome> {
    const directory = await this.portalDirectory();
    if (directory === undefined) return { result: 'not-enabled' };
    const attempt = await this.guard.attempt(
      { identityStoreId: directory.identityStoreId, userName },
      address,
    );
    if (!attempt.allowed) return { result: 'throttled', retryAfterMs: attempt.retryAfterMs };
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
      case 'ok': {
        const next = await this.secondFactor(user, 'password');
        // The name's count goes on through the MFA step; it is forgotten once that succeeds.
        if (next.result !== 'mfa-code') await attempt.succeeded();
        return next;
      }
      case 'one-time':
        await attempt.succeeded();
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
    return this.tokenUser(ticket, 'password-change');
  }

  /**
   * Sets the chosen password with the ticket (used once), then goes on to MFA or signs the user in.
   * PasswordRejectedError when the password does not pass the policy (the ticket stays valid);
   * `failed` when the ticket is not.
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
    return this.secondFactor(user, 'password-change');
  }

  /** Accepts an invitation from its link; when it worked, MFA (if required) or the portal follows. */
  async acceptInvitation(
    token: string,
    password: string,
    confirmation: string,
  ): Promise<InvitationCheck | SignInOutcome> {
    const outcome = await this.invitations.acceptInvitation(token, password, confirmation);
    if (outcome.result !== 'password-set') return outcome;
    return this.secondFactor(outcome.user, 'invitation');
  }

  /** The user an MFA step's ticket belongs to, while it is valid and the user may sign in. */
  async mfaTicketUser(ticket: string, purpose: 'mfa-challenge' | 'mfa-enrolment'): Promise<User | undefined> {
    const user = await this.tokenUser(ticket, purpose);
    return user?.status === 'ENABLED' ? user : undefined;
  }

  /** The MFA step: a code from the authenticator app, or a recovery code. Counted like a password. */
  async signInWithMfaCode(ticket: string, code: string, address?: string): Promise<MfaStepOutcome> {
    const user = await this.mfaTicketUser(ticket, 'mfa-challenge');
    if (user === undefined) return { result: 'step-expired' };
    const attempt = await this.guard.attempt(
      { identityStoreId: user.identityStoreId, userName: user.userName },
      address,
    );
    if (!attempt.allowed) return { result: 'throttled', retryAfterMs: attempt.retryAfterMs };
    const check = await this.mfa.verify(user.userId, code);
    switch (check.result) {
      case 'ok': {
        if ((await this.credentials.useToken(this.uow.repositories, ticket, 'mfa-challenge')) === undefined) {
          return { result: 'step-expired' };
        }
        await attempt.succeeded();
        return { result: 'signed-in', session: await this.sessions.createSession(user, 'mfa'), user };
      }
      case 'replayed':
        return { result: 'mfa-code-used', ticket, user };
      case 'wrong':
        return { result: 'wrong-mfa-code', ticket, user };
      default:
        return { result: 'step-expired' };
    }
  }

  /** Registering an authenticator app during sign-in: the first code confirms it, and signs in. */
  async confirmMfaEnrolment(ticket: string, code: string): Promise<MfaStepOutcome> {
    const user = await this.mfaTicketUser(ticket, 'mfa-enrolment');
    if (user === undefined) return { result: 'step-expired' };
    const confirmation = await this.mfa.confirmEnrolment(user.userId, code);
    if (confirmation.result === 'wrong') {
      const enrolment = await this.mfa.beginEnrolment(user);
      if (enrolment === undefined) return { result: 'step-expired' };
      return { result: 'wrong-enrolment-code', ticket, user, enrolment };
    }
    if (confirmation.result !== 'enrolled') return { result: 'step-expired' };
    if ((await this.credentials.useToken(this.uow.repositories, ticket, 'mfa-enrolment')) === undefined) {
      return { result: 'step-expired' };
    }
    return {
      result: 'signed-in',
      session: await this.sessions.createSession(user, 'mfa'),
      user,
      recoveryCodes: confirmation.recoveryCodes,
    };
  }

  /** The enrolment a ticket's page shows again (after a reload or a wrong code). */
  async pendingEnrolment(ticket: string): Promise<{ user: User; enrolment: MfaEnrolment } | undefined> {
    const user = await this.mfaTicketUser(ticket, 'mfa-enrolment');
    if (user === undefined) return undefined;
    const enrolment = await this.mfa.beginEnrolment(user);
    return enrolment === undefined ? undefined : { user, enrolment };
  }

  /**
   * A signed-in user confirms a change to their MFA (new recovery codes, removing the app) with a
   * current code; counted like a sign-in attempt, so a stolen session cannot guess its way in.
   */
  async confirmWithMfa(
    user: User,
    code: string,
    address?: string,
  ): Promise<'ok' | 'wrong' | 'replayed' | 'not-enrolled' | { retryAfterMs: number }> {
    const attempt = await this.guard.attempt(
      { identityStoreId: user.identityStoreId, userName: user.userName },
      address,
    );
    if (!attempt.allowed) return { retryAfterMs: attempt.retryAfterMs };
    const check = await this.mfa.verify(user.userId, code);
    if (check.result === 'ok') await attempt.succeeded();
    return check.result;
  }

  /**
   * After the first factor (a password, an invitation, a chosen password): the MFA code for a user
   * with an authenticator app, registering one when the instance requires MFA, else a session.
   */
  private async secondFactor(user: User, method: AuthMethod): Promise<SignInOutcome> {
    if (await this.mfa.isEnrolled(user.userId)) return this.mfaChallenge(user);
    const { mfaRequired } = await this.settings.forIdentityStore(user.identityStoreId);
    if (mfaRequired) {
      const enrolment = await this.mfa.beginEnrolment(user);
      // None only when an app was registered meanwhile (another tab): then its code is asked for.
      if (enrolment === undefined) return this.mfaChallenge(user);
      const { token } = await this.credentials.issueToken(user, 'mfa-enrolment', MFA_ENROLMENT_VALID_MS);
      return { result: 'mfa-enrolment', ticket: token, user, enrolment };
    }
    return { result: 'signed-in', session: await this.sessions.createSession(user, method), user };
  }

  private async mfaChallenge(user: User): Promise<SignInOutcome> {
    const { token } = await this.credentials.issueToken(user, 'mfa-challenge', MFA_STEP_VALID_MS);
    return { result: 'mfa-code', ticket: token, user };
  }

  private async tokenUser(
    ticket: string,
    purpose: 'password-change' | 'mfa-challenge' | 'mfa-enrolment',
  ): Promise<User | undefined> {
    const token = await this.credentials.peekToken(ticket, purpose);
    if (token === undefined) return undefined;
    return findStoreUser(this.uow.repositories.identityStore, token.identityStoreId, token.userId);
  }

  private async choosePassword(user: User): Promise<SignInOutcome> {
    const { token } = await this.credentials.issueToken(user, 'password-change', PASSWORD_CHANGE_VALID_MS);
    return { result: 'choose-password', ticket: token, user };
  }
}
