import { ValidationError } from '../../core/errors.js';
import type { PasswordProblem } from './password-policy.js';

/** `password`: chosen by the user. `one-time`: generated for an admin to hand over; it must be changed at first sign-in. */
export type PasswordKind = 'password' | 'one-time';

/** A user's current password, as an argon2id PHC string. */
export interface Credential {
  userId: string;
  passwordHash: string;
  kind: PasswordKind;
  /** One-time passwords only. */
  expiresAt?: Date;
  setAt: Date;
  /** The admin's ARN for one-time passwords; undefined when the user chose it. */
  setBy?: string;
}

/** What an admin sees of a user's password: never the hash. */
export interface CredentialStatus {
  hasPassword: boolean;
  kind?: PasswordKind;
  setAt?: Date;
  /** One-time passwords only. */
  expiresAt?: Date;
}

/**
 * Single-use tokens: `password-change` and `password-reset` let a user set a password without the
 * current one; `mfa-challenge` and `mfa-enrolment` carry a sign-in whose password was right to its
 * MFA step (a code, or registering an authenticator app first).
 */
export type TokenPurpose = 'password-change' | 'password-reset' | 'mfa-challenge' | 'mfa-enrolment';

export interface UserToken {
  tokenHash: string;
  purpose: TokenPurpose;
  userId: string;
  identityStoreId: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt?: Date;
}

/** A code e-mailed to a user who has no password yet (the "send email OTP" setting). */
export interface EmailCode {
  challengeId: string;
  userId: string;
  identityStoreId: string;
  codeHash: string;
  createdAt: Date;
  expiresAt: Date;
  attempts: number;
  usedAt?: Date;
  messageId?: string;
}

/** A new password the policy refused; `problems` says what to change, one sentence each. */
export class PasswordRejectedError extends ValidationError {
  constructor(readonly problems: PasswordProblem[]) {
    super(problems.map((p) => p.message).join(' '), 'PASSWORD_REJECTED', { reason: problems[0]?.code });
  }
}
