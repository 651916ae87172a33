import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import type { Links } from '../../core/links.js';
import type { Scope } from '../../core/scope.js';
import type { UnitOfWork } from '../../core/unit-of-work.js';
import type { DeliveryStatus } from '../../mail/mail.types.js';
import type { OutboxRepositories, OutboxService } from '../../mail/outbox.service.js';
import { emailVerificationMail } from '../../mail/templates.js';
import type { AccountsRepository } from '../accounts/accounts.repository.js';
import type { Account } from '../accounts/accounts.types.js';
import { hashToken, newToken, sameDigest, TOKEN_PATTERN } from '../credentials/tokens.js';
import type { EmailVerificationRepository } from './email-verification.repository.js';
import {
  type EmailVerificationState,
  type VerifyEmailOutcome,
  verificationState,
} from './email-verification.types.js';
import type { OrganizationsNotifier } from './organizations.service.js';
import type { OrganizationView } from './organizations.types.js';

export interface EmailVerificationRepositories extends OutboxRepositories {
  accounts: AccountsRepository;
  emailVerifications: EmailVerificationRepository;
}

/** AWS: "verify within 24 hours, otherwise resend". */
export const EMAIL_VERIFICATION_VALID_MS = 24 * 60 * 60_000;

export interface EmailVerificationView {
  accountId: string;
  organizationId: string;
  email: string;
  verified: boolean;
  verifiedAt?: Date;
  /** The newest link sent, if any. */
  latestLink?: {
    state: EmailVerificationState;
    sentAt: Date;
    expiresAt: Date;
    delivery?: DeliveryStatus;
  };
}

const notInOrganization = (): NotFoundError =>
  new NotFoundError(
    'ORGANIZATION_NOT_IN_USE',
    'Your account is not a member of an organization: there is no management address to verify.',
  );

/**
 * Verification of the management account's e-mail address: the link CreateOrganization sends, the
 * page it opens, and a resend. As the organizations service's notifier, it records the link and its
 * mail in the transaction that creates the organization.
 */
export class EmailVerificationService implements OrganizationsNotifier<EmailVerificationRepositories> {
  constructor(
    private readonly uow: UnitOfWork<EmailVerificationRepositories>,
    private readonly outbox: OutboxService,
    private readonly links: Links,
    private readonly clock: Clock,
  ) {}

  async managementEmailUnverified(
    within: EmailVerificationRepositories,
    view: OrganizationView,
  ): Promise<void> {
    await this.sendLink(within, view.managementAccount, view.organization.organizationId);
  }

  /** The organization's transaction committed with the link's mail: the delivery worker sends it now. */
  notificationsCommitted(): void {
    this.outbox.messagesCommitted();
  }

  /** Opening the link: verifies the address once; later openings say it is already verified. */
  async verify(token: string): Promise<VerifyEmailOutcome> {
    if (!TOKEN_PATTERN.test(token)) return { result: 'invalid' };
    const tokenHash = hashToken(token);
    const found = await this.uow.repositories.emailVerifications.findVerificationByTokenHash(tokenHash);
    if (found === undefined || !sameDigest(found.tokenHash, tokenHash)) return { result: 'invalid' };
    const now = this.clock.now();
    const state = verificationState(found, now);
    const about = { email: found.email, accountId: found.accountId };
    if (state === 'verified') return { result: 'already-verified', ...about };
    if (state === 'expired' || state === 'replaced') return { result: state, email: found.email };
    const verified = await this.uow.transaction(async (within) => {
      if (!(await within.emailVerifications.useVerification(found.verificationId, now))) return false;
      // The account's address may have changed since the link was sent: then nothing is verified.
      return within.accounts.markEmailVerified(found.accountId, found.email, now);
    });
    if (verified) return { result: 'verified', ...about };
    const again = await this.uow.repositories.emailVerifications.findVerificationByTokenHash(tokenHash);
    return again?.usedAt !== undefined ? { result: 'already-verified', ...about } : { result: 'invalid' };
  }

  async describeVerification(scope: Scope): Promise<EmailVerificationView> {
    const account = await this.uow.repositories.accounts.findAccount(scope.accountId);
    if (account?.organizationId === undefined) throw notInOrganization();
    const latest = await this.uow.repositories.emailVerifications.findLatestVerification(account.accountId);
    const delivery =
      latest?.messageId === undefined
        ? undefined
        : (await this.outbox.deliveryStatuses([latest.messageId])).get(latest.messageId);
    return {
      accountId: account.accountId,
      organizationId: account.organizationId,
      email: account.email,
      verified: account.emailVerifiedAt !== undefined,
      verifiedAt: account.emailVerifiedAt,
      latestLink:
        latest === undefined
          ? undefined
          : {
              state: verificationState(latest, this.clock.now()),
              sentAt: latest.createdAt,
              expiresAt: latest.expiresAt,
              delivery,
            },
    };
  }

  /** Sends a new link (the old ones stop working), as AWS's "resend" does. */
  async resendVerification(scope: Scope): Promise<EmailVerificationView> {
    await this.uow.transaction(async (within) => {
      const account = await within.accounts.findAccount(scope.accountId);
      if (account?.organizationId === undefined) throw notInOrganization();
      if (account.emailVerifiedAt !== undefined) {
        throw new ConflictError(
          'EMAIL_ALREADY_VERIFIED',
          `The address ${account.email} is already verified.`,
        );
      }
      await this.sendLink(within, account, account.organizationId);
    });
    this.outbox.messagesCommitted();
    return this.describeVerification(scope);
  }

  private async sendLink(within: EmailVerificationRepositories, account: Account, organizationId: string) {
    const now = this.clock.now();
    const token = newToken();
    const verificationId = randomUUID();
    const expiresAt = new Date(now.getTime() + EMAIL_VERIFICATION_VALID_MS);
    await within.emailVerifications.revokeOpenVerifications(account.accountId, now);
    const message = await this.outbox.queue(
      within,
      emailVerificationMail({
        to: account.email,
        accountId: account.accountId,
        organizationId,
        link: this.links.verifyEmail(token),
        expiresAt,
        reference: `email-verification:${verificationId}`,
      }),
    );
    await within.emailVerifications.insertVerification({
      verificationId,
      tokenHash: hashToken(token),
      accountId: account.accountId,
      email: account.email,
      createdAt: now,
      expiresAt,
      messageId: message.messageId,
    });
  }
}
