import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../core/clock.js';
import { isAppError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import type { ConsoleAdminService } from '../../modules/console/console-admin.service.js';
import { newToken } from '../../modules/credentials/tokens.js';
import type { IdentityStoreService } from '../../modules/identity-store/identity-store.service.js';
import type { InvitationsService } from '../../modules/invitations/invitations.service.js';
import type { PasswordSetup } from '../../modules/invitations/invitations.types.js';
import type { SettingsService } from '../../modules/settings/settings.service.js';
import { cookieName, parseCookies, serializeCookie } from '../cookies.js';
import type { CsrfProtection } from '../csrf.js';
import { CSRF_FIELD, field } from '../forms.js';
import { csrfRefused, sendPage } from '../web-context.js';
import {
  type AddUserForm,
  addUserPage,
  CONSOLE_PATHS,
  consoleMessagePage,
  consoleSetupPage,
  consoleSignInPage,
  type UserRow,
  userAddedPage,
  usersPage,
} from './console-pages.js';

/** Console cookies: apart from the portal's, so a portal session never opens the console. */
const SESSION_COOKIE = 'studio-sso-console';
const CSRF_COOKIE = 'studio-sso-console-csrf';
const PAGE_SIZE = 25;

export interface ConsolePagesDependencies {
  consoleAdmin: ConsoleAdminService;
  identityStore: IdentityStoreService;
  invitations: InvitationsService;
  settings: SettingsService;
  csrf: CsrfProtection;
  clock: Clock;
  /** The root admin's scope for the services: the account's root principal. */
  scope: () => Scope;
}

interface ConsoleContext {
  secure: boolean;
  sessionId?: string;
  csrfCookie?: string;
  csrfToken: string;
}

const appendCookie = (reply: FastifyReply, cookie: string): void => {
  const existing = reply.getHeader('set-cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  reply.header('set-cookie', [...list, cookie]);
};

/** The root admin's console: setup link, sign-in and sign-out, and the Users pages. */
export const registerConsolePages = (app: FastifyInstance, deps: ConsolePagesDependencies): void => {
  const { consoleAdmin, csrf } = deps;

  const open = async (request: FastifyRequest, reply: FastifyReply): Promise<ConsoleContext> => {
    const secure = request.protocol === 'https';
    const cookies = parseCookies(request.headers.cookie);
    const sessionCookie = cookies[cookieName(SESSION_COOKIE, secure)];
    const sessionId =
      sessionCookie !== undefined && (await consoleAdmin.isSessionLive(sessionCookie))
        ? sessionCookie
        : undefined;
    const sent = cookies[cookieName(CSRF_COOKIE, secure)];
    let csrfCookie = sent;
    if (csrfCookie === undefined || csrfCookie === '') {
      csrfCookie = newToken();
      appendCookie(reply, serializeCookie(cookieName(CSRF_COOKIE, secure), csrfCookie, { secure }));
    }
    return { secure, sessionId, csrfCookie: sent, csrfToken: csrf.tokenFor(csrfCookie, sessionId) };
  };

  const openForm = async (request: FastifyRequest, reply: FastifyReply): Promise<ConsoleContext> => {
    const context = await open(request, reply);
    if (!csrf.verify(context.csrfCookie, context.sessionId, field(request.body, CSRF_FIELD)))
      throw csrfRefused();
    return context;
  };

  const startSession = (reply: FastifyReply, context: ConsoleContext, sessionId: string, expiresAt: Date) => {
    const maxAge = (expiresAt.getTime() - deps.clock.now().getTime()) / 1000;
    appendCookie(
      reply,
      serializeCookie(cookieName(SESSION_COOKIE, context.secure), sessionId, {
        secure: context.secure,
        maxAge: maxAge > 0 ? maxAge : undefined,
      }),
    );
  };

  const toSignIn = (reply: FastifyReply) => reply.redirect(CONSOLE_PATHS.home, 303);

  const identityStoreId = async (): Promise<string> =>
    (await deps.settings.callerInstance(deps.scope())).identityStoreId;

  const describe = (error: unknown): string => {
    if (isAppError(error)) return error.message;
    throw error;
  };

  app.register(async (pages) => {
    pages.setErrorHandler(async (error: unknown, request, reply) => {
      if (isAppError(error) && error.code === 'CSRF_TOKEN_INVALID') {
        return sendPage(
          reply,
          403,
          consoleMessagePage(
            'This form has expired',
            [
              'The page you sent it from is too old, or it did not come from this site, so nothing was done.',
              'Go back, reload the page, and try again.',
            ],
            { href: CONSOLE_PATHS.home, label: 'Go to the console' },
          ),
        );
      }
      const status = (error as { statusCode?: number }).statusCode;
      if (status !== undefined && status >= 400 && status < 500) {
        return sendPage(
          reply,
          status,
          consoleMessagePage('That request could not be read', ['Go back and try again.']),
        );
      }
      request.log.error({ err: error }, 'unexpected error on a console page');
      return sendPage(
        reply,
        500,
        consoleMessagePage('Something went wrong', [
          'The server could not complete this request. Try again in a moment.',
          `If it keeps happening, give this reference: ${request.id}`,
        ]),
      );
    });

    pages.get(CONSOLE_PATHS.home, async (request, reply) => {
      const context = await open(request, reply);
      if (context.sessionId !== undefined) return reply.redirect(CONSOLE_PATHS.users, 303);
      return sendPage(
        reply,
        200,
        consoleSignInPage({ csrfToken: context.csrfToken, notSetUp: !(await consoleAdmin.hasPassword()) }),
      );
    });

    pages.post(CONSOLE_PATHS.signIn, async (request, reply) => {
      const context = await openForm(request, reply);
      const email = field(request.body, 'email').trim();
      const session = await consoleAdmin.signIn(email, field(request.body, 'password'));
      if (session === undefined) {
        return sendPage(
          reply,
          401,
          consoleSignInPage({
            csrfToken: context.csrfToken,
            email,
            errors: [
              'That e-mail address and password do not match the root admin. Check both and try again.',
            ],
          }),
        );
      }
      if (context.sessionId !== undefined) await consoleAdmin.endSession(context.sessionId);
      startSession(reply, context, session.sessionId, session.expiresAt);
      return reply.redirect(CONSOLE_PATHS.users, 303);
    });

    pages.post(CONSOLE_PATHS.signOut, async (request, reply) => {
      const context = await openForm(request, reply);
      if (context.sessionId !== undefined) await consoleAdmin.endSession(context.sessionId);
      appendCookie(
        reply,
        serializeCookie(cookieName(SESSION_COOKIE, context.secure), '', {
          secure: context.secure,
          maxAge: 0,
        }),
      );
      return reply.redirect(CONSOLE_PATHS.home, 303);
    });

    const invalidLink = () =>
      consoleMessagePage(
        'This setup link does not work',
        [
          'It was used already, a newer one replaced it, or it expired.',
          'Run studio-sso admin reset-password for a new link.',
        ],
        { href: CONSOLE_PATHS.home, label: 'Go to the console' },
      );

    pages.get(CONSOLE_PATHS.setup, async (request, reply) => {
      const context = await open(request, reply);
      const token = (request.query as Record<string, unknown>).token;
      if (typeof token !== 'string' || !(await consoleAdmin.isSetupTokenLive(token))) {
        return sendPage(reply, 400, invalidLink());
      }
      return sendPage(
        reply,
        200,
        consoleSetupPage({ csrfToken: context.csrfToken, token, rootEmail: consoleAdmin.rootEmail() }),
      );
    });

    pages.post(CONSOLE_PATHS.setup, async (request, reply) => {
      const context = await openForm(request, reply);
      const token = field(request.body, 'token');
      const result = await consoleAdmin.setPassword(
        token,
        field(request.body, 'newPassword'),
        field(request.body, 'confirmPassword'),
      );
      if (result === 'invalid') return sendPage(reply, 400, invalidLink());
      if ('problems' in result) {
        return sendPage(
          reply,
          400,
          consoleSetupPage({
            csrfToken: context.csrfToken,
            token,
            rootEmail: consoleAdmin.rootEmail(),
            errors: result.problems.map((p) => p.message),
          }),
        );
      }
      startSession(reply, context, result.sessionId, result.expiresAt);
      return reply.redirect(CONSOLE_PATHS.users, 303);
    });

    pages.get(CONSOLE_PATHS.users, async (request, reply) => {
      const context = await open(request, reply);
      if (context.sessionId === undefined) return toSignIn(reply);
      const query = request.query as Record<string, unknown>;
      const search = typeof query.search === 'string' ? query.search.trim().slice(0, 128) : '';
      const next = typeof query.next === 'string' ? query.next : undefined;
      const base = { csrfToken: context.csrfToken, rootEmail: consoleAdmin.rootEmail(), search };
      const scope = deps.scope();
      let storeId: string;
      try {
        storeId = await identityStoreId();
      } catch (error) {
        return sendPage(reply, 200, usersPage({ ...base, rows: [], problem: describe(error) }));
      }
      let page: Awaited<ReturnType<IdentityStoreService['listUsers']>>;
      try {
        const request = { nextToken: next, limit: PAGE_SIZE };
        page =
          search === ''
            ? await deps.identityStore.listUsers(scope, storeId, request)
            : await deps.identityStore.searchUsersByNamePrefix(scope, storeId, search, request);
      } catch (error) {
        return sendPage(reply, 400, usersPage({ ...base, rows: [], problem: describe(error) }));
      }
      const rows: UserRow[] = [];
      for (const user of page.items) {
        const onboarding = await deps.invitations.describeOnboarding(scope, user.userId, storeId);
        const latest = onboarding.invitations[0];
        rows.push({
          userName: user.userName,
          displayName: user.displayName,
          email: (user.emails?.find((e) => e.primary === true) ?? user.emails?.[0])?.value,
          status: user.status === 'ENABLED' ? 'Enabled' : 'Disabled',
          onboarding: onboarding.status,
          invitation: latest?.state,
          delivery: latest?.delivery?.state,
        });
      }
      const nextHref =
        page.nextToken === undefined
          ? undefined
          : `${CONSOLE_PATHS.users}?${new URLSearchParams({ ...(search === '' ? {} : { search }), next: page.nextToken })}`;
      return sendPage(reply, 200, usersPage({ ...base, rows, nextHref }));
    });

    const emptyForm: AddUserForm = {
      userName: '',
      email: '',
      confirmEmail: '',
      givenName: '',
      familyName: '',
      displayName: '',
      passwordSetup: 'send-email',
    };

    pages.get(CONSOLE_PATHS.addUser, async (request, reply) => {
      const context = await open(request, reply);
      if (context.sessionId === undefined) return toSignIn(reply);
      return sendPage(
        reply,
        200,
        addUserPage({ csrfToken: context.csrfToken, rootEmail: consoleAdmin.rootEmail(), form: emptyForm }),
      );
    });

    pages.post(CONSOLE_PATHS.addUser, async (request, reply) => {
      const context = await openForm(request, reply);
      if (context.sessionId === undefined) return toSignIn(reply);
      const body = request.body;
      const form: AddUserForm = {
        userName: field(body, 'userName').trim(),
        email: field(body, 'email').trim(),
        confirmEmail: field(body, 'confirmEmail').trim(),
        givenName: field(body, 'givenName').trim(),
        familyName: field(body, 'familyName').trim(),
        displayName: field(body, 'displayName').trim(),
        passwordSetup:
          field(body, 'passwordSetup') === 'one-time-password' ? 'one-time-password' : 'send-email',
      };
      const base = { csrfToken: context.csrfToken, rootEmail: consoleAdmin.rootEmail() };
      const errors: string[] = [];
      const required: [keyof AddUserForm, string][] = [
        ['userName', 'Username'],
        ['email', 'Email address'],
        ['givenName', 'First name'],
        ['familyName', 'Last name'],
        ['displayName', 'Display name'],
      ];
      for (const [name, label] of required)
        if (form[name] === '') errors.push(`Enter the ${label.toLowerCase()}.`);
      if (form.email !== '' && form.email.toLowerCase() !== form.confirmEmail.toLowerCase()) {
        errors.push('The e-mail addresses do not match. Type the same address in both fields.');
      }
      if (errors.length > 0) return sendPage(reply, 400, addUserPage({ ...base, form, errors }));
      try {
        const added = await deps.invitations.addUser(deps.scope(), {
          userName: form.userName,
          email: form.email,
          givenName: form.givenName,
          familyName: form.familyName,
          displayName: form.displayName,
          passwordSetup: form.passwordSetup as PasswordSetup,
        });
        return sendPage(
          reply,
          201,
          userAddedPage({
            ...base,
            userName: added.user.userName,
            email: form.email,
            oneTimePassword: added.oneTimePassword,
            portalUrl: added.portalUrl,
          }),
        );
      } catch (error) {
        return sendPage(reply, 400, addUserPage({ ...base, form, errors: [describe(error)] }));
      }
    });
  });
};
