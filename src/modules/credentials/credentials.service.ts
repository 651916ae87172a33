import type { Clock } from '../../core/clock.js';
import type { UnitOfWork } from '../../core/unit-of-work.js';
import type { OutboxRepositories, OutboxService } from '../../mail/outbox.service.js';
import { emailCodeMail } from '../../mail/templates.js';
import type { SettingsService } from '../settings/settings.service.js';
import type { CredentialsRepository } from './credentials.repository.js';
import {
  type Credential,
  type CredentialStatus,
  type EmailCode,
  PasswordRejectedError,
  type TokenPurpose,
  type UserToken,
} from './credentials.types.js';
import type { PasswordHasher } from './password-hasher.js';
import {
  DEFAULT_PASSWORD_POLICY,
  mismatchProblem,
  normalizePassword,
  type PasswordProblem,
  passwordProblems,
  policyWithMinimum,
  reusedProblem,
} from './password-policy.js';
import {
  hashToken,
  keyedDigest,
  newNumericCode,
  newOneTimePassword,
  newOpaqueId,
  newToken,
  sameDigest,
  TOKEN_PATTERN,
} from './tokens.js';

/** What an admin may see of a password: never the hash. */
const statusOf = (credential: Credential | undefined): CredentialStatus =>
  credential === undefined
    ? { hasPassword: false }
    : { hasPassword: true, kind: credential.kind, setAt: credential.setAt, expiresAt: credential.expiresAt };

export interface CredentialsRepositories extends OutboxRepositories {
  credentials: CredentialsRepository;
}

/** Who a password belongs to: enough to apply the policy and to find the user's settings. */
export interface PasswordOwner {
  userId: string;
  userName: string;
  identityStoreId: string;
}

/** A new password that passed the policy, hashed, ready to store in a transaction. */
export interface PreparedPassword {
  userId: string;
  passwordHash: string;
}

export interface PreparedOneTimePassword {
  /** Shown to the admin once; only its hash is stored. */
  password: string;
  passwordHash: string;
  expiresAt: Date;
}

export type PasswordCheck =
  | { result: 'ok' }
  | { result: 'one-time' }
  | { result: 'one-time-expired' }
  | { result: 'wrong' }
  | { result: 'no-password' };

export type EmailCodeCheck =
  | { result: 'ok'; code: EmailCode }
  | { result: 'wrong'; attemptsLeft: number }
  | { result: 'expired' | 'used' | 'too-many-attempts' | 'unknown' };

/** E-mailed codes: 10 minutes, 5 tries, and at most one new code a minute per user. */
export const EMAIL_CODE_VALID_MS = 10 * 60_000;
export const EMAIL_CODE_MAX_ATTEMPTS = 5;
const EMAIL_CODE_RESEND_MS = 60_000;
/** How long the "choose a new password" step after a one-time password or code stays open. */
export const PASSWORD_CHANGE_VALID_MS = 15 * 60_000;

const DAY_MS = 24 * 60 * 60_000;

/**
 * Passwords (policy, history, argon2id hashes), one-time passwords, single-use tokens and e-mailed
 * codes. Hashing is slow on purpose, so it happens before any transaction opens: a transaction
 * never waits on argon2.
 */
export class CredentialsService {
  /** A hash of nothing anyone knows, made up front so that the first use costs no more than later ones. */
  private readonly dummyHash: Promise<string>;

  constructor(
    private readonly uow: UnitOfWork<CredentialsRepositories>,
    private readonly hasher: PasswordHasher,
    private readonly settings: SettingsService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    /** The installation's secret key, for hashing short codes. */
    private readonly codeKey: Buffer,
  ) {
    this.dummyHash = hasher.hash(newToken());
  }

  private get repository(): CredentialsRepository {
    return this.uow.repositories.credentials;
  }

  // Passwords

  /**
   * Checks a new password against the policy, the confirmation, the current one-time password and
   * the last passwords, then hashes it. PasswordRejectedError lists every problem.
   */
  async preparePassword(
    owner: PasswordOwner,
    password: string,
    confirmation: string = password,
  ): Promise<PreparedPassword> {
    const { minimumPasswordLength } = await this.settings.forIdentityStore(owner.identityStoreId);
    const policy = policyWithMinimum(minimumPasswordLength);
    const problems: PasswordProblem[] = [];
    if (normalizePassword(password) !== normalizePassword(confirmation)) problems.push(mismatchProblem());
    problems.push(...passwordProblems(password, { userName: owner.userName }, policy));
    if (problems.length > 0) throw new PasswordRejectedError(problems);

    const normalized = normalizePassword(password);
    const current = await this.repository.findCredential(owner.userId);
    if (current?.kind === 'one-time' && (await this.hasher.verify(current.passwordHash, normalized)).ok) {
      throw new PasswordRejectedError([
        {
          code: 'REUSED',
          message: 'Choose a password of your own, not the one-time password you were given.',
        },
      ]);
    }
    for (const previous of await this.repository.listPasswordHistory(owner.userId, policy.historySize)) {
      if ((await this.hasher.verify(previous, normalized)).ok) {
        throw new PasswordRejectedError([reusedProblem(policy.historySize)]);
      }
    }
    return { userId: owner.userId, passwordHash: await this.hasher.hash(normalized) };
  }

  /** Stores a prepared password in the caller's transaction: it replaces any one-time password. */
  async storePassword(within: CredentialsRepositories, prepared: PreparedPassword): Promise<void> {
    const now = this.clock.now();
    await within.credentials.saveCredential({
      userId: prepared.userId,
      passwordHash: prepared.passwordHash,
      kind: 'password',
      setAt: now,
    });
    await within.credentials.appendPasswordHistory(
      prepared.userId,
      prepared.passwordHash,
      now,
      DEFAULT_PASSWORD_POLICY.historySize,
    );
  }

  /** A new one-time password, hashed, valid as long as an invitation (the instance setting). */
  async prepareOneTimePassword(identityStoreId: string): Promise<PreparedOneTimePassword> {
    const { invitationValidityDays } = await this.settings.forIdentityStore(identityStoreId);
    const password = newOneTimePassword();
    return {
      password,
      passwordHash: await this.hasher.hash(password),
      expiresAt: new Date(this.clock.now().getTime() + invitationValidityDays * DAY_MS),
    };
  }

  async storeOneTimePassword(
    within: CredentialsRepositories,
    userId: string,
    prepared: PreparedOneTimePassword,
    setBy: string,
  ): Promise<void> {
    await within.credentials.saveCredential({
      userId,
      passwordHash: prepared.passwordHash,
      kind: 'one-time',
      expiresAt: prepared.expiresAt,
      setAt: this.clock.now(),
      setBy,
    });
  }

  /** Checks a password at sign-in; a correct one hashed with old parameters is re-hashed. */
  async checkPassword(userId: string, password: string): Promise<PasswordCheck> {
    const normalized = normalizePassword(password);
    const credential = await this.repository.findCredential(userId);
    if (credential === undefined) {
      await this.spendVerifyTime(normalized);
      return { result: 'no-password' };
    }
    const { ok, needsRehash } = await this.hasher.verify(credential.passwordHash, normalized);
    if (!ok) return { result: 'wrong' };
    if (credential.kind === 'one-time') {
      const expired = credential.expiresAt !== undefined && credential.expiresAt <= this.clock.now();
      return { result: expired ? 'one-time-expired' : 'one-time' };
    }
    if (needsRehash) {
      await this.repository.saveCredential({
        ...credential,
        passwordHash: await this.hasher.hash(normalized),
      });
    }
    return { result: 'ok' };
  }

  /**
   * Costs what checking a real password costs, for answers about users who do not exist or have no
   * password: the time of an answer must not tell which it was.
   */
  async spendVerifyTime(password: string): Promise<void> {
    await this.hasher.verify(await this.dummyHash, password);
  }

  async credentialStatus(userId: string): Promise<CredentialStatus> {
    return statusOf(await this.repository.findCredential(userId));
  }

  /** credentialStatus of each of the users, from one query. */
  async credentialStatuses(userIds: readonly string[]): Promise<Map<string, CredentialStatus>> {
    const found = new Map((await this.repository.findCredentials(userIds)).map((c) => [c.userId, c]));
    return new Map(userIds.map((userId) => [userId, statusOf(found.get(userId))]));
  }

  // Single-use tokens

  /** Issues a token in the caller's transaction (or on its own); only its hash is stored. */
  async issueToken(
    owner: Pick<PasswordOwner, 'userId' | 'identityStoreId'>,
    purpose: TokenPurpose,
    validMs: number,
    within: CredentialsRepositories = this.uow.repositories,
  ): Promise<{ token: string; expiresAt: Date }> {
    const token = newToken();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + validMs);
    await within.credentials.insertToken({
      tokenHash: hashToken(token),
      purpose,
      userId: owner.userId,
      identityStoreId: owner.identityStoreId,
      createdAt: now,
      expiresAt,
    });
    return { token, expiresAt };
  }

  /** The token's record if it is valid now, without using it. */
  async peekToken(token: string, purpose: TokenPurpose): Promise<UserToken | undefined> {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    const found = await this.repository.findToken(hashToken(token));
    if (found === undefined || found.purpose !== purpose || !sameDigest(found.tokenHash, hashToken(token))) {
      return undefined;
    }
    return found.usedAt === undefined && found.expiresAt > this.clock.now() ? found : undefined;
  }

  /** Uses the token (once, atomically) in the caller's transaction; undefined when it is not valid. */
  async useToken(
    within: CredentialsRepositories,
    token: string,
    purpose: TokenPurpose,
  ): Promise<UserToken | undefined> {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    return within.credentials.useToken(hashToken(token), purpose, this.clock.now());
  }

  // E-mailed codes

  /**
   * E-mails the user a 6-digit code and returns the challenge it answers. A code sent less than a
   * minute ago is reused instead of sending another, so the form cannot be used to flood a mailbox.
   */
  async sendEmailCode(recipient: {
    userId: string;
    identityStoreId: string;
    email: string;
    displayName: string;
  }): Promise<{ challengeId: string; expiresAt: Date }> {
    const now = this.clock.now();
    const latest = await this.repository.findLatestEmailCode(recipient.userId);
    if (
      latest !== undefined &&
      latest.usedAt === undefined &&
      latest.expiresAt > now &&
      latest.attempts < EMAIL_CODE_MAX_ATTEMPTS &&
      now.getTime() - latest.createdAt.getTime() < EMAIL_CODE_RESEND_MS
    ) {
      return { challengeId: latest.challengeId, expiresAt: latest.expiresAt };
    }
    const challengeId = newOpaqueId();
    const code = newNumericCode(6);
    const expiresAt = new Date(now.getTime() + EMAIL_CODE_VALID_MS);
    await this.uow.transaction(async (within) => {
      const message = await this.outbox.queue(
        within,
        emailCodeMail({
          to: recipient.email,
          displayName: recipient.displayName,
          code,
          validMinutes: EMAIL_CODE_VALID_MS / 60_000,
          reference: `email-code:${challengeId}`,
        }),
      );
      await within.credentials.insertEmailCode({
        challengeId,
        userId: recipient.userId,
        identityStoreId: recipient.identityStoreId,
        codeHash: keyedDigest(this.codeKey, challengeId, code),
        createdAt: now,
        expiresAt,
        attempts: 0,
        messageId: message.messageId,
      });
    });
    this.outbox.messagesCommitted();
    return { challengeId, expiresAt };
  }

  /** Checks a code: each try counts (atomically) against the limit; a right one is used up. */
  async checkEmailCode(challengeId: string, code: string): Promise<EmailCodeCheck> {
    const now = this.clock.now();
    const counted = await this.repository.countEmailCodeAttempt(challengeId, now, EMAIL_CODE_MAX_ATTEMPTS);
    if (counted === undefined) {
      const found = await this.repository.findEmailCode(challengeId);
      if (found === undefined) return { result: 'unknown' };
      if (found.usedAt !== undefined) return { result: 'used' };
      if (found.expiresAt <= now) return { result: 'expired' };
      return { result: 'too-many-attempts' };
    }
    const typed = code.replace(/\s+/g, '');
    if (!sameDigest(counted.codeHash, keyedDigest(this.codeKey, challengeId, typed))) {
      const attemptsLeft = EMAIL_CODE_MAX_ATTEMPTS - counted.attempts;
      return attemptsLeft > 0 ? { result: 'wrong', attemptsLeft } : { result: 'too-many-attempts' };
    }
    if (!(await this.repository.useEmailCode(challengeId, now))) return { result: 'used' };
    return { result: 'ok', code: counted };
  }
}
