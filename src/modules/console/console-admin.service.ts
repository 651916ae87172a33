import type { Clock } from '../../core/clock.js';
import type { UnitOfWork } from '../../core/unit-of-work.js';
import type { PasswordHasher } from '../credentials/password-hasher.js';
import {
  mismatchProblem,
  normalizePassword,
  type PasswordProblem,
  passwordProblems,
} from '../credentials/password-policy.js';
import { hashToken, newToken, TOKEN_PATTERN } from '../credentials/tokens.js';
import type { MfaService } from '../portal/mfa.service.js';
import { MFA_STEP_VALID_MS } from '../portal/sign-in.service.js';
import type { SignInGuardRepository } from '../portal/sign-in-guard.repository.js';
import type { ConsoleRepository } from './console.repository.js';
import type {
  ConsoleMfaStepOutcome,
  ConsoleRoot,
  ConsoleSignInOutcome,
  NewConsoleSession,
} from './console.types.js';
import { ConsoleMfaService } from './console-mfa.service.js';
import { ConsoleSignInGuard } from './console-sign-in-guard.service.js';

export type { ConsoleRoot, NewConsoleSession } from './console.types.js';

/** A setup link works this long, once. */
const SETUP_LINK_HOURS = 24;
/** A console session lasts this long. */
const SESSION_HOURS = 8;

export interface ConsoleRepositories {
  console: ConsoleRepository;
}

export interface ConsoleAdminOptions {
  uow: UnitOfWork<ConsoleRepositories>;
  hasher: PasswordHasher;
  root: () => ConsoleRoot;
  /** The address of the setup page with this token (the public base URL is known only once listening). */
  setupUrl: (token: string) => string;
  clock: Clock;
  /** The portal's MFA service on the console's own tables (the root is no identity-store user). */
  mfa: MfaService;
  /** The sign-in attempt counters (shared with the portal; the console's subjects are its own). */
  signInAttempts: SignInGuardRepository;
}

/**
 * The root admin of the console: a password (argon2id, the portal's password policy) set only
 * through a one-time setup link (256 random bits, stored as SHA-256, single use), an optional
 * authenticator app asked for after the password, sign-in limits, and console sessions of their
 * own (256-bit IDs stored hashed), apart from the access portal's.
 */
export class ConsoleAdminService {
  /** The root's authenticator app: registering, removing, recovery codes. */
  readonly mfa: ConsoleMfaService;
  private readonly uow: UnitOfWork<ConsoleRepositories>;
  private readonly hasher: PasswordHasher;
  private readonly root: () => ConsoleRoot;
  private readonly setupUrl: (token: string) => string;
  private readonly clock: Clock;
  private readonly guard: ConsoleSignInGuard;
  /** A hash of a random value: what a sign-in verifies against before any password is set. */
  private dummyHash: Promise<string> | undefined;

  constructor(options: ConsoleAdminOptions) {
    this.uow = options.uow;
    this.hasher = options.hasher;
    this.root = options.root;
    this.setupUrl = options.setupUrl;
    this.clock = options.clock;
    this.guard = new ConsoleSignInGuard(options.signInAttempts, options.clock);
    this.mfa = new ConsoleMfaService(options.mfa, this.guard, options.root);
  }

  private get repository(): ConsoleRepository {
    return this.uow.repositories.console;
  }

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
    await this.uow.transaction(async ({ console }) => {
      await console.retireSetupTokens(accountId, now);
      await console.insertSetupToken(hashToken(token), accountId, now, expiresAt);
    });
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
   * changed), 'invalid' when the token is not live, or the new session (every earlier one ends, as
   * do open MFA steps and the root's sign-in lockout). The link is the way back in for a root who
   * lost the password, or the authenticator app and its recovery codes: whoever can print one
   * (`studio-sso admin reset-password`, with the root's access key) controls the server already.
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
    const session = this.newSession(now);
    const set = await this.uow.transaction(async ({ console }) => {
      if (!(await console.useSetupToken(hashToken(token), now))) return false;
      await console.savePasswordHash(root.accountId, passwordHash, now);
      await console.endSessionsOfAccount(root.accountId, now);
      await console.retireSignInTickets(root.accountId);
      await console.insertSession(session.record);
      return true;
    });
    if (!set) return 'invalid';
    await this.guard.forgive();
    return session.created;
  }

  /**
   * The password step, counted by the sign-in limits before anything is checked (`address` is the
   * browser's): a session, or the MFA step when the root has an authenticator app.
   */
  async signIn(email: string, password: string, address?: string): Promise<ConsoleSignInOutcome> {
    const attempt = await this.guard.attempt(address);
    if (!attempt.allowed) return { result: 'throttled', retryAfterMs: attempt.retryAfterMs };
    const root = this.root();
    const stored = await this.repository.findPasswordHash(root.accountId);
    // Verified even for a wrong e-mail, so the answer takes as long either way.
    this.dummyHash ??= this.hasher.hash(newToken());
    const { ok } = await this.hasher.verify(stored ?? (await this.dummyHash), normalizePassword(password));
    if (!ok || stored === undefined || email.trim().toLowerCase() !== root.email.toLowerCase()) {
      return { result: 'failed' };
    }
    // With an app, the count goes on through the MFA step; it is forgotten once that succeeds.
    if (await this.mfa.isEnrolled()) return { result: 'mfa-code', ticket: await this.issueSignInTicket() };
    await attempt.succeeded();
    return { result: 'signed-in', session: await this.createSession() };
  }

  /** Whether the MFA step's ticket is still open (for the page that asks for the code). */
  async isSignInTicketLive(ticket: string): Promise<boolean> {
    if (!TOKEN_PATTERN.test(ticket)) return false;
    const accountId = await this.repository.findLiveSignInTicket(hashToken(ticket), this.clock.now());
    return accountId === this.root().accountId;
  }

  /** The MFA step: a code from the authenticator app, or a recovery code; the ticket works once. */
  async signInWithMfaCode(ticket: string, code: string, address?: string): Promise<ConsoleMfaStepOutcome> {
    if (!(await this.isSignInTicketLive(ticket))) return { result: 'step-expired' };
    const check = await this.mfa.checkCode(code, address);
    if (check.result === 'not-enrolled') return { result: 'step-expired' };
    if (check.result !== 'ok') return check;
    if (!(await this.repository.useSignInTicket(hashToken(ticket), this.clock.now()))) {
      return { result: 'step-expired' };
    }
    return { ...check, result: 'signed-in', session: await this.createSession() };
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

  private async issueSignInTicket(): Promise<string> {
    const ticket = newToken();
    const now = this.clock.now();
    await this.repository.purgeSpentSignInTickets(now);
    await this.repository.insertSignInTicket(
      hashToken(ticket),
      this.root().accountId,
      now,
      new Date(now.getTime() + MFA_STEP_VALID_MS),
    );
    return ticket;
  }

  private newSession(now: Date) {
    const sessionId = newToken();
    const expiresAt = new Date(now.getTime() + SESSION_HOURS * 60 * 60_000);
    return {
      created: { sessionId, expiresAt },
      record: {
        sessionHash: hashToken(sessionId),
        accountId: this.root().accountId,
        createdAt: now,
        expiresAt,
      },
    };
  }

  private async createSession(): Promise<NewConsoleSession> {
    const session = this.newSession(this.clock.now());
    await this.repository.insertSession(session.record);
    return session.created;
  }
}
