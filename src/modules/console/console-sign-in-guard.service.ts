import type { Clock } from '../../core/clock.js';
import type { SignInGuardRepository } from '../portal/sign-in-guard.repository.js';
import { type GuardedAttempt, type GuardedName, SignInGuard } from '../portal/sign-in-guard.service.js';

/**
 * The name the root's attempts are counted under. The guard's name subjects are
 * `user:<identity store ID>:<user name>`, and no identity store is called "console" (their IDs are
 * `d-…`), so the root's counter never meets a portal user's.
 */
const ROOT: GuardedName = { identityStoreId: 'console', userName: 'root' };

/**
 * The console's sign-in limits: the portal's SignInGuard, with its rules and its counters in the
 * database (so every process applies them). Every attempt at a console password or MFA code is an
 * attempt at the root, whatever e-mail address was typed: 5 failures in 15 minutes lock the root
 * for 15 minutes. An address is counted together with its portal sign-ins: 30 failures in 15
 * minutes, at either, make it wait.
 */
export class ConsoleSignInGuard {
  private readonly guard: SignInGuard;

  constructor(repository: SignInGuardRepository, clock: Clock) {
    this.guard = new SignInGuard(repository, clock);
  }

  /** Counts an attempt at the root's password or MFA code from the address, before it is checked. */
  attempt(address: string | undefined): Promise<GuardedAttempt> {
    return this.guard.attempt(ROOT, address);
  }

  /** Forgets the root's failures (a new password was set through a setup link). */
  forgive(): Promise<void> {
    return this.guard.forgive(ROOT);
  }
}
