import type { Credential, EmailCode, TokenPurpose, UserToken } from './credentials.types.js';

/**
 * Storage port of passwords, single-use tokens and e-mailed codes. Every "use" is one conditional
 * UPDATE (unused, unexpired, under the attempt limit), so two requests racing with the same secret
 * cannot both succeed.
 */
export interface CredentialsRepository {
  findCredential(userId: string): Promise<Credential | undefined>;
  /** The passwords of those of the users that have one, in one query. */
  findCredentials(userIds: readonly string[]): Promise<Credential[]>;
  /** Creates or replaces the user's password. */
  saveCredential(credential: Credential): Promise<void>;
  /** Records a chosen password and keeps only the `keep` most recent. */
  appendPasswordHistory(userId: string, passwordHash: string, at: Date, keep: number): Promise<void>;
  /** The most recent chosen passwords' hashes, newest first. */
  listPasswordHistory(userId: string, limit: number): Promise<string[]>;

  insertToken(token: UserToken): Promise<void>;
  /** Marks the token used if it is unused and unexpired; returns it then, undefined otherwise. */
  useToken(tokenHash: string, purpose: TokenPurpose, now: Date): Promise<UserToken | undefined>;
  findToken(tokenHash: string): Promise<UserToken | undefined>;
  /** Marks the user's unused tokens of the purpose used (a newer one replaces them); returns how many. */
  revokeTokens(userId: string, purpose: TokenPurpose, now: Date): Promise<number>;

  insertEmailCode(code: EmailCode): Promise<void>;
  findEmailCode(challengeId: string): Promise<EmailCode | undefined>;
  /** The most recent code sent to the user. */
  findLatestEmailCode(userId: string): Promise<EmailCode | undefined>;
  /**
   * Counts one attempt if the code is unused, unexpired and under `maxAttempts`; returns the code
   * (with the attempt counted) then, undefined otherwise.
   */
  countEmailCodeAttempt(challengeId: string, now: Date, maxAttempts: number): Promise<EmailCode | undefined>;
  /** Marks the code used; false when it already was. */
  useEmailCode(challengeId: string, now: Date): Promise<boolean>;
}
