import type { Links } from '../core/links.js';

/** Where the pages live; the only place that knows these paths. */
export const PATHS = {
  portal: '/start',
  signIn: '/start/sign-in',
  signInPassword: '/start/sign-in/password',
  signInCode: '/start/sign-in/code',
  choosePassword: '/start/choose-password',
  acceptInvitation: '/start/accept-invitation',
  signOut: '/start/sign-out',
  signInMfa: '/start/sign-in/mfa',
  signInMfaSetup: '/start/sign-in/mfa-setup',
  forgotPassword: '/start/forgot-password',
  resetPassword: '/start/reset-password',
  security: '/start/security',
  securityRegisterMfa: '/start/security/mfa',
  securityRemoveMfa: '/start/security/mfa/remove',
  securityRecoveryCodes: '/start/security/recovery-codes',
  verifyEmail: '/verify-email',
  stylesheet: '/assets/studio-sso.css',
} as const;

/** Where the portal opens a SageMaker Studio domain for the signed-in user. */
export const studioLaunchPath = (domainId: string): string => `/studio/${encodeURIComponent(domainId)}`;

/** A request URL fit for the log: the one-time tokens that links carry are left out. */
export const redactTokens = (url: string): string => url.replace(/([?&]token=)[^&#]*/g, '$1(redacted)');

/**
 * Links with the public base URL: STUDIO_SSO_PUBLIC_URL, or else the address the server listens on,
 * which is known only once it listens (port 0 picks one).
 */
export class PublicLinks implements Links {
  private base: string | undefined;

  constructor(configured: string | undefined) {
    this.base = configured?.replace(/\/+$/, '');
  }

  /** Sets the base URL unless one was configured. */
  useServerUrl(url: string): void {
    this.base ??= url.replace(/\/+$/, '');
  }

  private url(path: string, token?: string): string {
    if (this.base === undefined) throw new Error('the public URL is not known before the server listens');
    return `${this.base}${path}${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`;
  }

  portal(): string {
    return this.url(PATHS.portal);
  }

  acceptInvitation(token: string): string {
    return this.url(PATHS.acceptInvitation, token);
  }

  verifyEmail(token: string): string {
    return this.url(PATHS.verifyEmail, token);
  }

  resetPassword(token: string): string {
    return this.url(PATHS.resetPassword, token);
  }

  /** The console's one-time setup link for the root password. */
  consoleSetup(token: string): string {
    return this.url('/console/setup', token);
  }
}
