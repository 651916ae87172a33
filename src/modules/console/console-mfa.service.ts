import type { MfaService } from '../portal/mfa.service.js';
import type { EnrolmentConfirmation, MfaEnrolment, MfaStatus } from '../portal/mfa.types.js';
import type { ConsoleRoot, MfaCodeRefusal } from './console.types.js';
import type { ConsoleSignInGuard } from './console-sign-in-guard.service.js';

export type MfaCodeCheck =
  | { result: 'ok'; method: 'totp' | 'recovery-code'; recoveryCodesLeft: number }
  | MfaCodeRefusal;

/**
 * The root admin's authenticator app: the portal's MfaService (TOTP with single-use time steps,
 * secrets sealed at rest, single-use recovery codes kept as keyed hashes) on the console's own
 * tables, with the root's account ID as its owner. Every code typed is counted by the console's
 * sign-in limits before it is checked, so a stolen session cannot guess its way to changing MFA.
 */
export class ConsoleMfaService {
  constructor(
    private readonly mfa: MfaService,
    private readonly guard: ConsoleSignInGuard,
    private readonly root: () => ConsoleRoot,
  ) {}

  status(): Promise<MfaStatus> {
    return this.mfa.status(this.root().accountId);
  }

  isEnrolled(): Promise<boolean> {
    return this.mfa.isEnrolled(this.root().accountId);
  }

  /** The secret to register (the same one for half an hour); undefined once an app is registered. */
  beginEnrolment(): Promise<MfaEnrolment | undefined> {
    const { accountId, email } = this.root();
    return this.mfa.beginEnrolment({ userId: accountId, userName: email });
  }

  /** The first code from the app registers it; the recovery codes then made are shown once. */
  confirmEnrolment(code: string): Promise<EnrolmentConfirmation> {
    return this.mfa.confirmEnrolment(this.root().accountId, code);
  }

  /** A code from the app or a recovery code (used up), counted like a password attempt. */
  async checkCode(code: string, address: string | undefined): Promise<MfaCodeCheck> {
    const attempt = await this.guard.attempt(address);
    if (!attempt.allowed) return { result: 'throttled', retryAfterMs: attempt.retryAfterMs };
    const check = await this.mfa.verify(this.root().accountId, code.trim());
    if (check.result === 'ok') await attempt.succeeded();
    return check;
  }

  /** New recovery codes (the old ones stop working), confirmed with a current code. */
  async regenerateRecoveryCodes(
    code: string,
    address: string | undefined,
  ): Promise<{ result: 'ok'; recoveryCodes: string[] } | MfaCodeRefusal> {
    const check = await this.checkCode(code, address);
    if (check.result !== 'ok') return check;
    const recoveryCodes = await this.mfa.regenerateRecoveryCodes(this.root().accountId);
    return recoveryCodes === undefined ? { result: 'not-enrolled' } : { result: 'ok', recoveryCodes };
  }

  /** Removes the app and its recovery codes, confirmed with a current code. */
  async remove(code: string, address: string | undefined): Promise<{ result: 'ok' } | MfaCodeRefusal> {
    const check = await this.checkCode(code, address);
    if (check.result !== 'ok') return check;
    await this.mfa.remove(this.root().accountId);
    return { result: 'ok' };
  }
}
