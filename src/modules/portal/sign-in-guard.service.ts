import type { Clock } from '../../core/clock.js';
import { lookupKey } from '../identity-store/identity-store.types.js';
import type { AttemptPolicy, SignInGuardRepository } from './sign-in-guard.repository.js';

const MINUTE = 60_000;

/**
 * Brute-force limits, all kept in the database (so every process sharing it applies the same
 * ones) and all recovering on their own, by the clock:
 * - a user name: 5 attempts at a password or an MFA code in 15 minutes, then locked for 15 minutes
 *   from the fifth; a successful sign-in forgets the count. Names that do not exist are counted
 *   the same way, so a lockout never tells whether a user exists.
 * - an address: 30 failed attempts in 15 minutes (across any user names), then 15 minutes of rest;
 *   successful attempts are given back.
 * - "Forgot password?": 3 mails per user name an hour, and 10 requests per address an hour.
 */
export interface GuardPolicies {
  user: AttemptPolicy;
  address: AttemptPolicy;
  resetMailPerUser: AttemptPolicy;
  resetPerAddress: AttemptPolicy;
}

export const DEFAULT_GUARD_POLICIES: GuardPolicies = {
  user: { limit: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE },
  address: { limit: 30, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE },
  resetMailPerUser: { limit: 3, windowMs: 60 * MINUTE, lockMs: 60 * MINUTE },
  resetPerAddress: { limit: 10, windowMs: 60 * MINUTE, lockMs: 60 * MINUTE },
};

/** Whose attempts are counted: a user name in an identity store (existing or not). */
export interface GuardedName {
  identityStoreId: string;
  userName: string;
}

export type GuardedAttempt =
  | {
      allowed: true;
      /** Call when the attempt succeeded: the user name's count is forgotten, the address's given back. */
      succeeded(): Promise<void>;
    }
  | { allowed: false; retryAfterMs: number };

/** Purge finished counters every this many claims (per process): the table stays small. */
const PURGE_EVERY = 200;

const userSubject = (name: GuardedName): string => `user:${name.identityStoreId}:${lookupKey(name.userName)}`;
const addressSubject = (kind: 'sign-in' | 'reset', address: string): string =>
  kind === 'sign-in' ? `address:${address}` : `reset-address:${address}`;

export class SignInGuard {
  private claims = 0;
  private readonly longestWindowMs: number;

  constructor(
    private readonly repository: SignInGuardRepository,
    private readonly clock: Clock,
    private readonly policies: GuardPolicies = DEFAULT_GUARD_POLICIES,
  ) {
    this.longestWindowMs = Math.max(
      ...Object.values(policies).map((p: AttemptPolicy) => Math.max(p.windowMs, p.lockMs)),
    );
  }

  /**
   * Counts an attempt at a secret (a password, an MFA code) for the user name from the address,
   * before the secret is checked: the address first, then the name. A refusal counts against
   * neither.
   */
  async attempt(name: GuardedName, address: string | undefined): Promise<GuardedAttempt> {
    const now = this.clock.now();
    await this.maybePurge(now);
    const addressKey = address === undefined ? undefined : addressSubject('sign-in', address);
    if (addressKey !== undefined) {
      const claim = await this.repository.claimAttempt(addressKey, now, this.policies.address);
      if (!claim.allowed) return this.refused(claim.lockedUntil, now);
    }
    const nameKey = userSubject(name);
    const claim = await this.repository.claimAttempt(nameKey, now, this.policies.user);
    if (!claim.allowed) {
      if (addressKey !== undefined)
        await this.repository.refundAttempt(addressKey, this.policies.address.limit);
      return this.refused(claim.lockedUntil, now);
    }
    return {
      allowed: true,
      succeeded: async () => {
        await this.repository.clearAttempts(nameKey);
        if (addressKey !== undefined)
          await this.repository.refundAttempt(addressKey, this.policies.address.limit);
      },
    };
  }

  /** Forgets the user name's failures (its password was just reset through its e-mail). */
  async forgive(name: GuardedName): Promise<void> {
    await this.repository.clearAttempts(userSubject(name));
  }

  /** A "Forgot password?" request from the address: refused when the address has made too many. */
  async resetRequest(
    address: string | undefined,
  ): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }> {
    if (address === undefined) return { allowed: true };
    const now = this.clock.now();
    const claim = await this.repository.claimAttempt(
      addressSubject('reset', address),
      now,
      this.policies.resetPerAddress,
    );
    return claim.allowed ? { allowed: true } : this.refused(claim.lockedUntil, now);
  }

  /** Whether another reset mail may go to this user name now (quietly not, when too many went). */
  async resetMail(name: GuardedName): Promise<boolean> {
    const claim = await this.repository.claimAttempt(
      `reset-mail:${name.identityStoreId}:${lookupKey(name.userName)}`,
      this.clock.now(),
      this.policies.resetMailPerUser,
    );
    return claim.allowed;
  }

  private refused(lockedUntil: Date, now: Date): { allowed: false; retryAfterMs: number } {
    return { allowed: false, retryAfterMs: Math.max(1000, lockedUntil.getTime() - now.getTime()) };
  }

  private async maybePurge(now: Date): Promise<void> {
    this.claims = (this.claims + 1) % PURGE_EVERY;
    if (this.claims !== 0) return;
    await this.repository.purgeExpired(new Date(now.getTime() - this.longestWindowMs), now);
  }
}

/** "Too many attempts, try again in N minutes." with N rounded up, never 0. */
export const tooManyAttemptsMessage = (retryAfterMs: number): string => {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / MINUTE));
  return `Too many attempts, try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
};
