import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../core/clock.js';
import { isAppError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import type { ConsoleAdminService } from '../../modules/console/console-admin.service.js';
import { newToken } from '../../modules/credentials/tokens.js';
import { cookieName, parseCookies, serializeCookie } from '../cookies.js';
import type { CsrfProtection } from '../csrf.js';
import { CSRF_FIELD, field } from '../forms.js';
import type { Html } from '../html.js';
import { csrfRefused, sendPage } from '../web-context.js';
import type { ConsoleViewer } from './console-layout.js';
import { CONSOLE_PATHS } from './console-paths.js';

/** Console cookies: apart from the portal's, so a portal session never opens the console. */
const SESSION_COOKIE = 'studio-sso-console';
const CSRF_COOKIE = 'studio-sso-console-csrf';
/**
 * What the last action did, shown once by the page it redirected to. Signed for the session: over
 * plain HTTP another service on the host could set a cookie, and the console must never show
 * words that it did not write itself.
 */
const NOTICE_COOKIE = 'studio-sso-console-notice';

/** What a console handler knows about the browser before sign-in. */
export interface ConsoleContext {
  secure: boolean;
  sessionId?: string;
  /** The CSRF cookie as the request brought it (undefined when this response sets a new one). */
  csrfCookieSent?: string;
  csrfToken: string;
}

/** A request of the signed-in root admin: what every admin page and action gets. */
export interface AdminContext extends ConsoleContext, ConsoleViewer {
  sessionId: string;
  /** The root admin's scope for the services: the account's root principal. */
  scope: Scope;
}

export type AdminHandler = (
  request: FastifyRequest,
  reply: FastifyReply,
  admin: AdminContext,
) => Promise<FastifyReply | undefined>;

export type PublicHandler = (
  request: FastifyRequest,
  reply: FastifyReply,
  context: ConsoleContext,
) => Promise<FastifyReply | undefined>;

/** One console route, as the route table (and the test that every admin route is guarded) sees it. */
export interface ConsoleRoute {
  method: 'GET' | 'POST';
  path: string;
  admin: boolean;
}

export interface ConsoleKitDependencies {
  consoleAdmin: ConsoleAdminService;
  csrf: CsrfProtection;
  clock: Clock;
  scope: () => Scope;
  mailIsKept: boolean;
}

const appendCookie = (reply: FastifyReply, cookie: string): void => {
  const existing = reply.getHeader('set-cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  reply.header('set-cookie', [...list, cookie]);
};

/**
 * What every console page shares: cookies, the root admin's session, CSRF on every form, flash
 * notices, and route registration in which admin pages cannot forget the session check: a route
 * is either `admin…` (no session → back to sign-in, nothing done) or explicitly `public…`.
 */
export class ConsoleKit {
  readonly routes: ConsoleRoute[] = [];

  constructor(
    private readonly pages: FastifyInstance,
    private readonly deps: ConsoleKitDependencies,
  ) {}

  async open(request: FastifyRequest, reply: FastifyReply): Promise<ConsoleContext> {
    const secure = request.protocol === 'https';
    const cookies = parseCookies(request.headers.cookie);
    const sessionCookie = cookies[cookieName(SESSION_COOKIE, secure)];
    const sessionId =
      sessionCookie !== undefined && (await this.deps.consoleAdmin.isSessionLive(sessionCookie))
        ? sessionCookie
        : undefined;
    const sent = cookies[cookieName(CSRF_COOKIE, secure)];
    let csrfCookie = sent;
    if (csrfCookie === undefined || csrfCookie === '') {
      csrfCookie = newToken();
      appendCookie(reply, serializeCookie(cookieName(CSRF_COOKIE, secure), csrfCookie, { secure }));
    }
    return {
      secure,
      sessionId,
      csrfCookieSent: sent,
      csrfToken: this.deps.csrf.tokenFor(csrfCookie, sessionId),
    };
  }

  /** Opens a form post's context, refusing it (nothing done) unless its CSRF token matches. */
  async openForm(request: FastifyRequest, reply: FastifyReply): Promise<ConsoleContext> {
    const context = await this.open(request, reply);
    if (!this.deps.csrf.verify(context.csrfCookieSent, context.sessionId, field(request.body, CSRF_FIELD)))
      throw csrfRefused();
    return context;
  }

  private admin(context: ConsoleContext): AdminContext | undefined {
    if (context.sessionId === undefined) return undefined;
    return {
      ...context,
      sessionId: context.sessionId,
      rootEmail: this.deps.consoleAdmin.rootEmail(),
      scope: this.deps.scope(),
    };
  }

  /** A page only the signed-in root admin may see; anyone else goes to sign-in. */
  adminGet(path: string, handler: AdminHandler): void {
    this.routes.push({ method: 'GET', path, admin: true });
    this.pages.get(path, async (request, reply) => {
      const admin = this.admin(await this.open(request, reply));
      if (admin === undefined) return this.toSignIn(reply);
      return handler(request, reply, admin);
    });
  }

  /** An action only the signed-in root admin may take, with a valid CSRF token. */
  adminPost(path: string, handler: AdminHandler): void {
    this.routes.push({ method: 'POST', path, admin: true });
    this.pages.post(path, async (request, reply) => {
      const admin = this.admin(await this.openForm(request, reply));
      if (admin === undefined) return this.toSignIn(reply);
      return handler(request, reply, admin);
    });
  }

  /** A page anyone may open (sign-in, setup). */
  publicGet(path: string, handler: PublicHandler): void {
    this.routes.push({ method: 'GET', path, admin: false });
    this.pages.get(path, async (request, reply) => handler(request, reply, await this.open(request, reply)));
  }

  /** A form anyone may post (sign-in, setup), still with a valid CSRF token. */
  publicPost(path: string, handler: PublicHandler): void {
    this.routes.push({ method: 'POST', path, admin: false });
    this.pages.post(path, async (request, reply) =>
      handler(request, reply, await this.openForm(request, reply)),
    );
  }

  /**
   * Where a mail just queued for `to` goes, to finish a sentence ("An invitation …"): without an
   * SMTP server it is not sent at all, and the admin must know to pass its link on.
   */
  mailed(to: string): string {
    return this.deps.mailIsKept
      ? `is in the Outbox for ${to}: no mail server is set up, so copy its link from the Outbox and pass it on`
      : `was sent to ${to}`;
  }

  toSignIn(reply: FastifyReply): FastifyReply {
    return reply.redirect(CONSOLE_PATHS.home, 303);
  }

  send(reply: FastifyReply, status: number, page: Html): FastifyReply {
    return sendPage(reply, status, page);
  }

  /** After an action: 303 to the page that shows its result, with a one-time notice of what was done. */
  redirect(reply: FastifyReply, context: ConsoleContext, path: string, notice?: string): FastifyReply {
    if (notice !== undefined) {
      const signed = `${this.noticeMac(notice, context.sessionId)}.${notice}`;
      appendCookie(
        reply,
        serializeCookie(cookieName(NOTICE_COOKIE, context.secure), signed, {
          secure: context.secure,
          maxAge: 60,
        }),
      );
    }
    return reply.redirect(path, 303);
  }

  /** The notice the last action left, if any; shown once (the cookie is cleared). */
  takeNotice(request: FastifyRequest, reply: FastifyReply, context: ConsoleContext): string | undefined {
    const name = cookieName(NOTICE_COOKIE, context.secure);
    const signed = parseCookies(request.headers.cookie)[name];
    if (signed === undefined || signed === '') return undefined;
    appendCookie(reply, serializeCookie(name, '', { secure: context.secure, maxAge: 0 }));
    const dot = signed.indexOf('.');
    const notice = signed.slice(dot + 1);
    if (dot < 0 || !this.deps.csrf.verify(`notice\u0000${notice}`, context.sessionId, signed.slice(0, dot)))
      return undefined;
    return notice.slice(0, 500);
  }

  /** An HMAC of the notice and the session under the installation key (the CSRF tokens' MAC). */
  private noticeMac(notice: string, sessionId: string | undefined): string {
    return this.deps.csrf.tokenFor(`notice\u0000${notice}`, sessionId);
  }

  /**
   * The root admin's session: a cookie for the new session ID. From here on the context is that
   * session's, so a notice on the redirect that follows is signed for it.
   */
  startSession(reply: FastifyReply, context: ConsoleContext, sessionId: string, expiresAt: Date): void {
    context.sessionId = sessionId;
    const maxAge = (expiresAt.getTime() - this.deps.clock.now().getTime()) / 1000;
    appendCookie(
      reply,
      serializeCookie(cookieName(SESSION_COOKIE, context.secure), sessionId, {
        secure: context.secure,
        maxAge: maxAge > 0 ? maxAge : undefined,
      }),
    );
  }

  endSession(reply: FastifyReply, context: ConsoleContext): void {
    appendCookie(
      reply,
      serializeCookie(cookieName(SESSION_COOKIE, context.secure), '', { secure: context.secure, maxAge: 0 }),
    );
  }
}

/** A service's refusal in words for the page; anything else is a bug and goes to the error handler. */
export const describeError = (error: unknown): string => {
  if (!isAppError(error)) throw error;
  // The services' words name the CLI; in the console the way forward is a button.
  if (error.code === 'INSTANCE_NOT_FOUND') return NOT_ENABLED;
  return error.message;
};

const NOT_ENABLED =
  'IAM Identity Center is not enabled yet. Enable it first: IAM Identity Center → Dashboard → Enable IAM Identity Center.';

/** A query-string parameter as trimmed text ('' when absent), at most `max` characters. */
export const queryText = (request: FastifyRequest, name: string, max = 256): string => {
  const value = (request.query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
};

/** A route parameter (`:userId`) as text. */
export const routeParam = (request: FastifyRequest, name: string): string => {
  const value = (request.params as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};
