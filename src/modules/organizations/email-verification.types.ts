/** A link sent to verify an account's e-mail address (the management account's, at CreateOrganization). */
export interface EmailVerification {
  verificationId: string;
  tokenHash: string;
  accountId: string;
  email: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt?: Date;
  /** Set when a newer link replaced this one. */
  revokedAt?: Date;
  messageId?: string;
}

export type EmailVerificationState = 'pending' | 'verified' | 'expired' | 'replaced';

export const verificationState = (verification: EmailVerification, now: Date): EmailVerificationState => {
  if (verification.usedAt !== undefined) return 'verified';
  if (verification.revokedAt !== undefined) return 'replaced';
  return verification.expiresAt <= now ? 'expired' : 'pending';
};

/** What opening a verification link did, for the page that answers it. */
export type VerifyEmailOutcome =
  | { result: 'verified'; email: string; accountId: string }
  | { result: 'already-verified'; email: string; accountId: string }
  | { result: 'expired' | 'replaced'; email: string }
  | { result: 'invalid' };
