import type { ConsoleAdminService } from '../../modules/console/console-admin.service.js';
import { field } from '../forms.js';
import { consoleSetupPage, consoleSignInPage } from './console-auth-pages.js';
import type { ConsoleKit } from './console-kit.js';
import { consoleMessagePage } from './console-layout.js';
import { CONSOLE_PATHS } from './console-paths.js';

/** Where the root admin lands after signing in. */
const LANDING = CONSOLE_PATHS.users;

/** The root admin's way in and out: the one-time setup link, sign-in and sign-out. */
export const registerConsoleAuthPages = (kit: ConsoleKit, consoleAdmin: ConsoleAdminService): void => {
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
    const session = await consoleAdmin.signIn(email, field(request.body, 'password'));
    if (session === undefined) {
      return kit.send(
        reply,
        401,
        consoleSignInPage({
          csrfToken: context.csrfToken,
          email,
          errors: ['That e-mail address and password do not match the root admin. Check both and try again.'],
        }),
      );
    }
    if (context.sessionId !== undefined) await consoleAdmin.endSession(context.sessionId);
    kit.startSession(reply, context, session.sessionId, session.expiresAt);
    return reply.redirect(LANDING, 303);
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
    kit.startSession(reply, context, result.sessionId, result.expiresAt);
    return reply.redirect(LANDING, 303);
  });
};
