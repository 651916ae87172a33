/**
 * The public addresses put into mail and pages. Services build links through this port; the web
 * layer owns the paths and the base URL (STUDIO_SSO_PUBLIC_URL, or the server's own address).
 */
export interface Links {
  /** The access portal: `<base>/start`. */
  portal(): string;
  /** The page that accepts an invitation and sets the first password. */
  acceptInvitation(token: string): string;
  /** The page that verifies an organization's management e-mail address. */
  verifyEmail(token: string): string;
  /** The page a "Forgot password?" e-mail opens to choose a new password. */
  resetPassword(token: string): string;
}
