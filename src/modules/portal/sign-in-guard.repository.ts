/** How many attempts a subject may make in a window, and how long it is locked after the last one. */
export interface AttemptPolicy {
  limit: number;
  windowMs: number;
  lockMs: number;
}

export type AttemptClaim = { allowed: true; attempts: number } | { allowed: false; lockedUntil: Date };

/**
 * Storage port of the sign-in attempt counters. `claimAttempt` is one statement (an upsert that
 * increments unless the subject is locked), so parallel attempts are counted one by one and no
 * more than `limit` of them are ever allowed in a window, however many arrive at once.
 */
export interface SignInGuardRepository {
  /**
   * Counts an attempt unless the subject is locked. The window restarts when it has passed or a
   * lock has ended; the attempt that reaches `limit` locks the subject for `lockMs` (it is still
   * allowed itself: it may be the one that succeeds).
   */
  claimAttempt(subject: string, now: Date, policy: AttemptPolicy): Promise<AttemptClaim>;
  /** Forgets the subject's attempts and any lock (a user who signed in). */
  clearAttempts(subject: string): Promise<void>;
  /** Gives back one attempt, lifting a lock that it had set (an address's successful sign-in). */
  refundAttempt(subject: string, limit: number): Promise<void>;
  /** The subject's lock, when it is locked at `now`. */
  findLock(subject: string, now: Date): Promise<Date | undefined>;
  /** Removes counters whose window and lock are both over. */
  purgeExpired(before: Date, now: Date): Promise<number>;
}
