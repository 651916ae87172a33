import type { MfaCheck } from '../portal/mfa.types.js';

/** The account whose root signs in to the console, and the e-mail address it signs in with. */
export interface ConsoleRoot {
  accountId: string;
  email: string;
}

export interface NewConsoleSession {
  sessionId: string;
  expiresAt: Date;
}

/** What the password step of a console sign-in did. */
export type ConsoleSignInOutcome =
  | { result: 'signed-in'; session: NewConsoleSession }
  /** The password was right; a code from the root's authenticator app comes next, with this ticket. */
  | { result: 'mfa-code'; ticket: string }
  /** One answer for a wrong e-mail address and a wrong password. */
  | { result: 'failed' }
  /** Too many attempts at the root, or from the address: nothing was checked. */
  | { result: 'throttled'; retryAfterMs: number };

/** A code the root typed to prove they hold the authenticator app, when it was not accepted. */
export type MfaCodeRefusal =
  | Exclude<MfaCheck, { result: 'ok' }>
  | { result: 'throttled'; retryAfterMs: number };

/** What the MFA code step of a console sign-in did. */
export type ConsoleMfaStepOutcome =
  | {
      result: 'signed-in';
      session: NewConsoleSession;
      method: 'totp' | 'recovery-code';
      recoveryCodesLeft: number;
    }
  | MfaCodeRefusal
  /** The ticket expired or was used (or the app was removed meanwhile): sign in again. */
  | { result: 'step-expired' };
