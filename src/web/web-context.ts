import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import { newToken } from '../modules/credentials/tokens.js';
import type { User } from '../modules/identity-store/identity-store.types.js';
import type { SessionsService } from '../modules/portal/sessions.service.js';
import type { NewSession, PortalSession } from '../modules/portal/sessions.types.js';
import { cookieName, parseCookies, serializeCookie } from './cookies.js';
import type { CsrfProtection } from './csrf.js';
import { CSRF_FIELD, field } from './forms.js';
import type { Html } from './html.js';

const SESSION_COOKIE = 'studio-sso-session';
const CSRF_COOKIE = 'studio-sso-csrf';

/** What a page handler knows about the browser: TLS or not, who is signed in, its CSRF token. */
export interface PageContext {
  /** The request came over TLS (directly, or through a proxy the server trusts). */
  secure: boolean;
  /** The session cookie's value, when it names a live session. */
  sessionId?: string;
  signedIn?: { session: PortalSession; user: User };
  /** The token this browser's forms must carry. */
  csrfToken: string;
  /** The CSRF cookie as the request brought it (undefined when this response sets a new one). */
  csrfCookieSent?: string;
  /** The CSRF cookie's value from this response on (the one brought, or the one set now). */
  csrfCookie: string;
}

/** A form without a valid CSRF token: answered with a page, never processed. */
export const csrfRefused = (): AppError =>
  new AppError('AccessDenied', 'CSRF_TOKEN_INVALID', 'This form has expired or did not come from this site.');

/**
 * Headers of every page: no caching (pages show who is signed in, some carry tokens), no referrer
 * (so a token in the address never leaks to another site), no framing, no script at all.
 */
export const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

export const sendPage = (reply: FastifyReply, status: number, page: Html): FastifyReply =>
  reply.code(status).headers(PAGE_HEADERS).send(page.value);

/** Cookies, sessions and CSRF for the server-rendered pages (the portal now, the console later). */
export class WebContext {
  constructor(
    private readonly sessions: SessionsService,
    private readonly csrf: CsrfProtection,
    private readonly clock: Clock,
  ) {}

  /** Resolves the session and makes sure the browser has a CSRF cookie. */
  async open(request: FastifyRequest, reply: FastifyReply): Promise<PageContext> {
    // Over TLS directly, or behind a proxy trusted with --trust-proxy (X-Forwarded-Proto).
    const secure = request.protocol === 'https';
    const cookies = parseCookies(request.headers.cookie);
    const sessionCookie = cookies[cookieName(SESSION_COOKIE, secure)];
    const signedIn =
      sessionCookie === undefined ? undefined : await this.sessions.resolveSession(sessionCookie);
    const sessionId = signedIn === undefined ? undefined : sessionCookie;
    let csrfCookie = cookies[cookieName(CSRF_COOKIE, secure)];
    const csrfCookieSent = csrfCookie;
    if (csrfCookie === undefined || csrfCookie === '') {
      csrfCookie = newToken();
      this.appendCookie(reply, serializeCookie(cookieName(CSRF_COOKIE, secure), csrfCookie, { secure }));
    }
    return {
      secure,
      sessionId,
      signedIn,
      csrfToken: this.csrf.tokenFor(csrfCookie, sessionId),
      csrfCookieSent,
      csrfCookie,
    };
  }

  /** Opens the context of a form post and refuses it unless its CSRF token matches. */
  async openForm(request: FastifyRequest, reply: FastifyReply): Promise<PageContext> {
    const context = await this.open(request, reply);
    if (!this.csrf.verify(context.csrfCookieSent, context.sessionId, field(request.body, CSRF_FIELD))) {
      throw csrfRefused();
    }
    return context;
  }

  /**
   * Signs the browser in with a new session: a new ID every time (no fixation), and the session the
   * browser had before, if any, ends. Returns the CSRF token of the new session's forms.
   */
  async startSession(reply: FastifyReply, context: PageContext, session: NewSession): Promise<string> {
    if (context.sessionId !== undefined) await this.sessions.endSession(context.sessionId);
    const maxAge = (session.expiresAt.getTime() - this.clock.now().getTime()) / 1000;
    this.appendCookie(
      reply,
      serializeCookie(cookieName(SESSION_COOKIE, context.secure), session.sessionId, {
        secure: context.secure,
        maxAge: maxAge > 0 ? maxAge : undefined,
      }),
    );
    return this.csrf.tokenFor(context.csrfCookie, session.sessionId);
  }

  async endSession(reply: FastifyReply, context: PageContext): Promise<void> {
    if (context.sessionId !== undefined) await this.sessions.endSession(context.sessionId);
    this.appendCookie(
      reply,
      serializeCookie(cookieName(SESSION_COOKIE, context.secure), '', { secure: context.secure, maxAge: 0 }),
    );
  }

  private appendCookie(reply: FastifyReply, cookie: string): void {
    const existing = reply.getHeader('set-cookie');
    const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
    reply.header('set-cookie', [...list, cookie]);
  }
}
