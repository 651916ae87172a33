import type { Clock } from '../../core/clock.js';
import { ValidationError } from '../../core/errors.js';
import type { Links } from '../../core/links.js';
import type { Scope } from '../../core/scope.js';
import type { UnitOfWork } from '../../core/unit-of-work.js';
import type { OutboxService } from '../../mail/outbox.service.js';
import { passwordResetMail } from '../../mail/templates.js';
import type { CredentialsService } from '../credentials/credentials.service.js';
import { userNotFound } from '../identity-store/identity-store.errors.js';
import type { User } from '../identity-store/identity-store.types.js';
import type { PortalDirectories } from './portal-directory.js';
import { findStoreUser, findStoreUserByName } from './portal-users.js';
import type { SessionsService } from './sessions.service.js';
import { primaryEmail, type SignInRepositories } from './sign-in.service.js';
import type { SignInGuard } from './sign-in-guard.service.js';

/** A reset link works once, for an hour; a newer one replaces it. */
export const PASSWORD_RESET_VALID_MS = 60 * 60_000;

export type ResetRequestOutcome =
  /**
   * The same answer whether or not the user exists, has an e-mail address or may get another mail
   * now. `delivery` settles once the mail (if any) is queued; the page does not wait for it, so the
   * answer takes as long either way.
   */
  | { result: 'accepted'; delivery: Promise<void> }
  | { result: 'throttled'; retryAfterMs: number }
  | { result: 'not-enabled' };

export interface PasswordResetServiceOptions {
  uow: UnitOfWork<SignInRepositories>;
  credentials: CredentialsService;
  sessions: SessionsService;
  outbox: OutboxService;
  links: Links;
  guard: SignInGuard;
  directories: PortalDirectories;
  clock: Clock;
}

/**
 * "Forgot password?": a single-use link, valid for an hour, e-mailed to the user's address. The
 * request never tells whether the user exists. A reset ends every session of the user and lifts a
 * lockout of the user name (the mailbox proved who it is); it does not sign in, so MFA still
 * applies at the next sign-in.
 */
export class PasswordResetService {
  constructor(private readonly options: PasswordResetServiceOptions) {}

  async requestReset(userName: string, address?: string): Promise<ResetRequestOutcome> {
    const { directories, guard } = this.options;
    const directory = await directories.find();
    if (directory === undefined) return { result: 'not-enabled' };
    const allowed = await guard.resetRequest(address);
    if (!allowed.allowed) return { result: 'throttled', retryAfterMs: allowed.retryAfterMs };
    return { result: 'accepted', delivery: this.sendLink(directory.identityStoreId, userName) };
  }

  /**
   * The console's "Reset password → send an e-mail": the same single-use link as "Forgot
   * password?". The admin is not guessing, so the sign-in guard does not count it, and the answer
   * is plain (no such user, disabled, no address); the link itself goes only to the mailbox.
   */
  async sendResetLinkByAdmin(
    scope: Scope,
    identityStoreId: string,
    userId: string,
  ): Promise<{ user: User; email: string }> {
    const user = await this.options.uow.repositories.identityStore.findUser(
      { identityStoreId, accountId: scope.accountId, region: scope.region },
      userId,
    );
    if (user === undefined) throw userNotFound(userId);
    if (user.status !== 'ENABLED') {
      throw new ValidationError(
        `User ${user.userName} is disabled, and a disabled user's reset link would not work: enable the user first.`,
        'USER_DISABLED',
      );
    }
    const email = primaryEmail(user);
    if (email === undefined) {
      throw new ValidationError(
        `User ${user.userName} has no e-mail address to send a reset link to: generate a one-time password instead.`,
        'NO_EMAIL',
      );
    }
    await this.queueResetMail(user, email);
    return { user, email };
  }

  /** The user a reset link belongs to, while it is valid. */
  async linkUser(token: string): Promise<User | undefined> {
    const found = await this.options.credentials.peekToken(token, 'password-reset');
    if (found === undefined) return undefined;
    const user = await findStoreUser(
      this.options.uow.repositories.identityStore,
      found.identityStoreId,
      found.userId,
    );
    return user?.status === 'ENABLED' ? user : undefined;
  }

  /**
   * Sets the new password with the link (used once). PasswordRejectedError when the password does
   * not pass the policy (the link stays valid); `invalid` when the link is not.
   */
  async resetPassword(
    token: string,
    password: string,
    confirmation: string,
  ): Promise<{ result: 'reset'; user: User } | { result: 'invalid' }> {
    const { credentials, uow, sessions, guard, clock } = this.options;
    const user = await this.linkUser(token);
    if (user === undefined) return { result: 'invalid' };
    const prepared = await credentials.preparePassword(
      { userId: user.userId, userName: user.userName, identityStoreId: user.identityStoreId },
      password,
      confirmation,
    );
    const stored = await uow.transaction(async (within) => {
      if ((await credentials.useToken(within, token, 'password-reset')) === undefined) return false;
      await credentials.storePassword(within, prepared);
      await within.credentials.revokeTokens(user.userId, 'password-reset', clock.now());
      return true;
    });
    if (!stored) return { result: 'invalid' };
    await sessions.endSessionsOfUser(user.userId);
    await guard.forgive({ identityStoreId: user.identityStoreId, userName: user.userName });
    return { result: 'reset', user };
  }

  private async sendLink(identityStoreId: string, userName: string): Promise<void> {
    const { uow, guard } = this.options;
    const user = await findStoreUserByName(uow.repositories.identityStore, identityStoreId, userName);
    const email = user === undefined ? undefined : primaryEmail(user);
    if (user === undefined || user.status !== 'ENABLED' || email === undefined) return;
    if (!(await guard.resetMail({ identityStoreId, userName: user.userName }))) return;
    await this.queueResetMail(user, email);
  }

  /** A new reset link (the older ones stop working) and its mail, in one transaction. */
  private async queueResetMail(user: User, email: string): Promise<void> {
    const { uow, credentials, outbox, links } = this.options;
    await uow.transaction(async (within) => {
      await within.credentials.revokeTokens(user.userId, 'password-reset', this.options.clock.now());
      const { token } = await credentials.issueToken(user, 'password-reset', PASSWORD_RESET_VALID_MS, within);
      await outbox.queue(
        within,
        passwordResetMail({
          to: email,
          displayName: user.displayName ?? user.userName,
          userName: user.userName,
          link: links.resetPassword(token),
          validMinutes: PASSWORD_RESET_VALID_MS / 60_000,
          reference: `password-reset:${user.userId}`,
        }),
      );
    });
    outbox.messagesCommitted();
  }
}
