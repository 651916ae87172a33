import type { EmailVerification } from './email-verification.types.js';

export interface EmailVerificationRepository {
  insertVerification(verification: EmailVerification): Promise<void>;
  findVerificationByTokenHash(tokenHash: string): Promise<EmailVerification | undefined>;
  /** The newest link sent to the account. */
  findLatestVerification(accountId: string): Promise<EmailVerification | undefined>;
  /** Marks the link used if it is unused, not replaced and unexpired (atomically); false otherwise. */
  useVerification(verificationId: string, now: Date): Promise<boolean>;
  /** Replaces every open link of the account (a new one is being sent). */
  revokeOpenVerifications(accountId: string, now: Date): Promise<void>;
}
