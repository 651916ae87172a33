import type { Clock } from '../../core/clock.js';
import type { PasswordHasher } from '../credentials/password-hasher.js';
import {
  mismatchProblem,
  normalizePassword,
  type PasswordProblem,
  passwordProblems,
} from '../credentials/password-policy.js';
import { hashToken, newToken, TOKEN_PATTERN } from '../credentials/tokens.js';
import type { ConsoleRepository } from './console.repository.js';

/** A setup link works this long, once. */
const SETUP_LINK_HOURS = 24;
/** A console session lasts this long. */
const SESSION_HOURS = 8;

export interface ConsoleRoot {
  accountId: string;
  email: string;
}

export interface NewConsoleSession {
  sessionId: string;
  expiresAt: Date;
}

/**
 * The root admin of the console: a password (argon2id, the portal's password policy) set only
 * through a one-time setup link (256 random bits, stored as SHA-256, single use), and console
 * sessions of their own (256-bit IDs stored hashed), apart from the access portal's.
 */
export class ConsoleAdminService {
  /** A hash of a random value: what a sign-in verifies against before any password is set. */
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly repository: ConsoleRepository,
    private readonly hasher: PasswordHasher,
    private readonly root: () => ConsoleRoot,
    /** The address of the setup page with this token (the public base URL is known only once listening). */
    private readonly setupUrl: (token: string) => string,
    private readonly clock: Clock,
  ) {}

  rootEmail(): string {
    return this.root().email;
  }

  async hasPassword(): Promise<boolean> {
    return (await this.repository.findPasswordHash(this.root().accountId)) !== undefined;
  }

  /** A new setup token; earlier unused ones stop working. */
  async issueSetupToken(): Promise<{ token: string; expiresAt: Date }> {
    const { accountId } = this.root();
    const now = this.clock.now();
    const token = newToken();
    const expiresAt = new Date(now.getTime() + SETUP_LINK_HOURS * 60 * 60_000);
    await this.repository.retireSetupTokens(accountId, now);
    await this.repository.insertSetupToken(hashToken(token), accountId, now, expiresAt);
    return { token, expiresAt };
  }

  /** A new one-time setup link for the root password (earlier unused links stop working). */
  async issueSetupLink(): Promise<{ url: string; expiresAt: Date }> {
    const { token, expiresAt } = await this.issueSetupToken();
    return { url: this.setupUrl(token), expiresAt };
  }

  async isSetupTokenLive(token: string): Promise<boolean> {
    if (!TOKEN_PATTERN.test(token)) return false;
    return (await this.repository.findLiveSetupToken(hashToken(token), this.clock.now())) !== undefined;
  }

  /**
   * Sets the root password through a setup token: the problems with the password (nothing is
   * changed), 'invalid' when the token is not live, or the new session (every earlier one ends).
   */
  async setPassword(
    token: string,
    password: string,
    confirmation: string,
  ): Promise<{ problems: PasswordProblem[] } | 'invalid' | NewConsoleSession> {
    if (!(await this.isSetupTokenLive(token))) return 'invalid';
    const root = this.root();
    const problems = passwordProblems(password, { userName: root.email });
    if (problems.length === 0 && normalizePassword(password) !== normalizePassword(confirmation)) {
      problems.push(mismatchProblem());
    }
    if (problems.length > 0) return { problems };
    const passwordHash = await this.hasher.hash(normalizePassword(password));
    const now = this.clock.now();
    if (!(await this.repository.useSetupToken(hashToken(token), now))) return 'invalid';
    await this.repository.savePasswordHash(root.accountId, passwordHash, now);
    await this.repository.endSessionsOfAccount(root.accountId, now);
    return this.createSession();
  }

  /** A session when the e-mail is the root's and the password matches; otherwise undefined. */
  async signIn(email: string, password: string): Promise<NewConsoleSession | undefined> {
    const root = this.root();
    const stored = await this.repository.findPasswordHash(root.accountId);
    // Verified even for a wrong e-mail, so the answer takes as long either way.
    this.dummyHash ??= this.hasher.hash(newToken());
    const { ok } = await this.hasher.verify(stored ?? (await this.dummyHash), normalizePassword(password));
    if (!ok || stored === undefined || email.trim().toLowerCase() !== root.email.toLowerCase()) {
      return undefined;
    }
    return this.createSession();
  }

  async isSessionLive(sessionId: string): Promise<boolean> {
    if (!TOKEN_PATTERN.test(sessionId)) return false;
    const session = await this.repository.findSession(hashToken(sessionId));
    return (
      session !== undefined &&
      session.endedAt === undefined &&
      session.expiresAt > this.clock.now() &&
      session.accountId === this.root().accountId
    );
  }

  async endSession(sessionId: string): Promise<void> {
    if (!TOKEN_PATTERN.test(sessionId)) return;
    await this.repository.endSession(hashToken(sessionId), this.clock.now());
  }

  private async createSession(): Promise<NewConsoleSession> {
    const sessionId = newToken();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + SESSION_HOURS * 60 * 60_000);
    await this.repository.insertSession({
      sessionHash: hashToken(sessionId),
      accountId: this.root().accountId,
      createdAt: now,
      expiresAt,
    });
    return { sessionId, expiresAt };
  }
}
