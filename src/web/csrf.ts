import { createHmac, timingSafeEqual } from 'node:crypto';
import { hashToken } from '../modules/credentials/tokens.js';

/**
 * CSRF protection for every form: the signed double-submit cookie (OWASP). The browser holds a
 * random value in an HttpOnly cookie; each form carries an HMAC of that value and of the session
 * (when signed in) under the installation's key. A cross-site page can neither read the cookie nor
 * compute the HMAC, and a token stops working when the session changes (at sign-in and sign-out).
 * SameSite=Lax on every cookie is the second line.
 */
export class CsrfProtection {
  constructor(private readonly key: Buffer) {}

  tokenFor(cookieValue: string, sessionId: string | undefined): string {
    return createHmac('sha256', this.key)
      .update(`csrf\u0000${cookieValue}\u0000${sessionId === undefined ? '' : hashToken(sessionId)}`)
      .digest('base64url');
  }

  verify(cookieValue: string | undefined, sessionId: string | undefined, formToken: unknown): boolean {
    if (cookieValue === undefined || cookieValue === '' || typeof formToken !== 'string') return false;
    const expected = Buffer.from(this.tokenFor(cookieValue, sessionId));
    const given = Buffer.from(formToken);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
