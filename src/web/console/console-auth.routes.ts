import type { FastifyReply } from 'fastify';
import type { ConsoleAdminService } from '../../modules/console/console-admin.service.js';
import { tooManyAttemptsMessage } from '../../modules/portal/sign-in-guard.service.js';
import { field } from '../forms.js';
import {
  CONSOLE_SIGN_IN_MFA,
  consoleMfaCodePage,
  consoleSetupPage,
  consoleSignInPage,
} from './console-auth-pages.js';
import type { ConsoleContext, ConsoleKit } from './console-kit.js';
import { consoleMessagePage } from './console-layout.js';
import { CONSOLE_PATHS } from './console-paths.js';

/** Where the root admin lands after signing in: the setup of the guide, step by step. */
const LANDING = CONSOLE_PATHS.dashboard;

const SIGN_IN_FAILED =
  'That e-mail address and password do not match the root admin. Check both and try again.';

/** The words for a locked root or a throttled address: how long, and the way out. */
const lockedMessage = (retryAfterMs: number): string =>
  `${tooManyAttemptsMessage(retryAfterMs)} After 5 failed attempts in 15 minutes the root account is locked for 15 minutes, and so is an address after 30. If the password is lost, studio-sso admin reset-password prints a setup link for a new one.`;

/**
 * The root admin's way in and out: the one-time setup link, sign-in (password, then the code of
 * the authenticator app when one is registered; both counted by the console's sign-in limits, by
 * the browser's address) and sign-out.
 */
export const registerConsoleAuthPages = (kit: ConsoleKit, consoleAdmin: ConsoleAdminService): void => {
  /** A new session replaces the browser's old one, so a session ID planted before sign-in is useless. */
  const signedIn = async (
    reply: FastifyReply,
    context: ConsoleContext,
    session: { sessionId: string; expiresAt: Date },
    notice?: string,
  ) => {
    if (context.sessionId !== undefined) await consoleAdmin.endSession(context.sessionId);
    kit.startSession(reply, context, session.sessionId, session.expiresAt);
    return kit.redirect(reply, context, LANDING, notice);
  };

  const locked = (reply: FastifyReply, context: ConsoleContext, retryAfterMs: number, email = '') => {
    reply.header('retry-after', String(Math.ceil(retryAfterMs / 1000)));
    return kit.send(
      reply,
      429,
      consoleSignInPage({ csrfToken: context.csrfToken, email, errors: [lockedMessage(retryAfterMs)] }),
    );
  };

  kit.publicGet(CONSOLE_PATHS.home, async (_request, reply, context) => {
    if (context.sessionId !== undefined) return reply.redirect(LANDING, 303);
    return kit.send(
      reply,
      200,
      consoleSignInPage({ csrfToken: context.csrfToken, notSetUp: !(await consoleAdmin.hasPassword()) }),
    );
  });

  kit.publicPost(CONSOLE_PATHS.signIn, async (request, reply, context) => {
    const email = field(request.body, 'email').trim();
    const outcome = await consoleAdmin.signIn(email, field(request.body, 'password'), request.ip);
    switch (outcome.result) {
      case 'signed-in':
        return signedIn(reply, context, outcome.session);
      case 'mfa-code':
        return kit.send(
          reply,
          200,
          consoleMfaCodePage({ csrfToken: context.csrfToken, ticket: outcome.ticket }),
        );
      case 'throttled':
        return locked(reply, context, outcome.retryAfterMs, email);
      default:
        return kit.send(
          reply,
          401,
          consoleSignInPage({ csrfToken: context.csrfToken, email, errors: [SIGN_IN_FAILED] }),
        );
    }
  });

  // The code step is only ever a form post's answer; a reload or a bookmark starts again.
  kit.publicGet(CONSOLE_SIGN_IN_MFA, async (_request, reply) => reply.redirect(CONSOLE_PATHS.home, 303));

  kit.publicPost(CONSOLE_SIGN_IN_MFA, async (request, reply, context) => {
    const ticket = field(request.body, 'ticket');
    const outcome = await consoleAdmin.signInWithMfaCode(ticket, field(request.body, 'code'), request.ip);
    const again = (error: string) =>
      kit.send(reply, 401, consoleMfaCodePage({ csrfToken: context.csrfToken, ticket, errors: [error] }));
    switch (outcome.result) {
      case 'signed-in':
        return signedIn(
          reply,
          context,
          outcome.session,
          outcome.method === 'recovery-code'
            ? `You signed in with a recovery code, which now no longer works; ${outcome.recoveryCodesLeft} of 10 are left. Under MFA settings you can make new ones.`
            : undefined,
        );
      case 'wrong':
        return again(
          'That code is not right. Enter the newest code from your authenticator app, or a recovery code.',
        );
      case 'replayed':
        return again(
          'That code was already used. Wait for the next code in your authenticator app, then enter it.',
        );
      case 'throttled':
        return locked(reply, context, outcome.retryAfterMs);
      default:
        return kit.send(
          reply,
          400,
          consoleMessagePage(
            'Please sign in again',
            ['This sign-in took too long or was already completed, so its MFA step has closed.'],
            { href: CONSOLE_PATHS.home, label: 'Sign in again' },
          ),
        );
    }
  });

  kit.publicPost(CONSOLE_PATHS.signOut, async (_request, reply, context) => {
    if (context.sessionId !== undefined) await consoleAdmin.endSession(context.sessionId);
    kit.endSession(reply, context);
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

  kit.publicGet(CONSOLE_PATHS.setup, async (request, reply, context) => {
    const token = (request.query as Record<string, unknown>).token;
    if (typeof token !== 'string' || !(await consoleAdmin.isSetupTokenLive(token))) {
      return kit.send(reply, 400, invalidLink());
    }
    return kit.send(
      reply,
      200,
      consoleSetupPage({ csrfToken: context.csrfToken, token, rootEmail: consoleAdmin.rootEmail() }),
    );
  });

  kit.publicPost(CONSOLE_PATHS.setup, async (request, reply, context) => {
    const token = field(request.body, 'token');
    const result = await consoleAdmin.setPassword(
      token,
      field(request.body, 'newPassword'),
      field(request.body, 'confirmPassword'),
    );
    if (result === 'invalid') return kit.send(reply, 400, invalidLink());
    if ('problems' in result) {
      return kit.send(
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
    return signedIn(reply, context, result);
  });
};
