import type { FastifyInstance, FastifyReply } from 'fastify';
import { tooManyAttemptsMessage } from '../../modules/portal/sign-in-guard.service.js';
import { field } from '../forms.js';
import { PATHS } from '../links.js';
import { type PageContext, sendPage } from '../web-context.js';
import { mfaEnrolmentPage, qrCodeDataUri, recoveryCodesPage, securityPage } from './mfa-pages.js';
import type { PortalPagesDependencies } from './portal.routes.js';

/**
 * The signed-in user's MFA settings under /start/security: register an authenticator app, get new
 * recovery codes, remove the app. Changes to an existing app are confirmed with a current code.
 */
export const registerMfaSettingsPages = (app: FastifyInstance, deps: PortalPagesDependencies): void => {
  const { web, mfa, signIn, settings } = deps;

  const toSignIn = (reply: FastifyReply) =>
    reply.code(303).header('cache-control', 'no-store').header('location', PATHS.portal).send();

  const settingsPage = async (context: PageContext, extra: { notice?: string; errors?: string[] } = {}) => {
    const signedIn = context.signedIn;
    if (signedIn === undefined) throw new Error('settings page without a session');
    const [status, { mfaRequired }] = await Promise.all([
      mfa.status(signedIn.user.userId),
      settings.forIdentityStore(signedIn.user.identityStoreId),
    ]);
    return securityPage({
      csrfToken: context.csrfToken,
      account: { userName: signedIn.user.userName, csrfToken: context.csrfToken },
      status,
      mfaRequired,
      ...extra,
    });
  };

  const registerPage = async (context: PageContext, errors?: string[]) => {
    const signedIn = context.signedIn;
    if (signedIn === undefined) return undefined;
    const enrolment = await mfa.beginEnrolment(signedIn.user);
    if (enrolment === undefined) return undefined;
    return mfaEnrolmentPage({
      csrfToken: context.csrfToken,
      userName: signedIn.user.userName,
      enrolment,
      qrDataUri: await qrCodeDataUri(enrolment.otpauthUri),
      action: PATHS.securityRegisterMfa,
      required: false,
      account: { userName: signedIn.user.userName, csrfToken: context.csrfToken },
      errors,
    });
  };

  app.get(PATHS.security, async (request, reply) => {
    const context = await web.open(request, reply);
    if (context.signedIn === undefined) return toSignIn(reply);
    return sendPage(reply, 200, await settingsPage(context));
  });

  app.get(PATHS.securityRegisterMfa, async (request, reply) => {
    const context = await web.open(request, reply);
    if (context.signedIn === undefined) return toSignIn(reply);
    const page = await registerPage(context);
    if (page === undefined) return reply.code(303).header('location', PATHS.security).send();
    return sendPage(reply, 200, page);
  });

  app.post(PATHS.securityRegisterMfa, async (request, reply) => {
    const context = await web.openForm(request, reply);
    const signedIn = context.signedIn;
    if (signedIn === undefined) return toSignIn(reply);
    const confirmation = await mfa.confirmEnrolment(signedIn.user.userId, field(request.body, 'code'));
    if (confirmation.result === 'enrolled') {
      return sendPage(
        reply,
        200,
        recoveryCodesPage({
          codes: confirmation.recoveryCodes,
          account: { userName: signedIn.user.userName, csrfToken: context.csrfToken },
          intro: 'Your authenticator app is registered: from now on, signing in asks for a code from it.',
        }),
      );
    }
    const page =
      confirmation.result === 'wrong'
        ? await registerPage(context, [
            'That code is not right. Check that the app shows the code for studio-sso, and enter the newest one.',
          ])
        : undefined;
    if (page === undefined) return reply.code(303).header('location', PATHS.security).send();
    return sendPage(reply, 400, page);
  });

  /** Confirms with a current code, then does `change`; else the settings page says why not. */
  const confirmed = async (
    context: PageContext,
    reply: FastifyReply,
    code: string,
    address: string,
    change: (userId: string) => Promise<FastifyReply>,
  ) => {
    const signedIn = context.signedIn;
    if (signedIn === undefined) return toSignIn(reply);
    const check = await signIn.confirmWithMfa(signedIn.user, code.trim(), address);
    if (check === 'ok') return change(signedIn.user.userId);
    if (typeof check === 'object') {
      reply.header('retry-after', String(Math.ceil(check.retryAfterMs / 1000)));
      return sendPage(
        reply,
        429,
        await settingsPage(context, { errors: [tooManyAttemptsMessage(check.retryAfterMs)] }),
      );
    }
    const message =
      check === 'replayed'
        ? 'That code was already used. Wait for the next code in your authenticator app, then enter it.'
        : check === 'not-enrolled'
          ? 'You have no authenticator app registered.'
          : 'That code is not right. Enter the newest code from your authenticator app, or a recovery code.';
    return sendPage(reply, 400, await settingsPage(context, { errors: [message] }));
  };

  app.post(PATHS.securityRecoveryCodes, async (request, reply) => {
    const context = await web.openForm(request, reply);
    return confirmed(context, reply, field(request.body, 'code'), request.ip, async (userId) => {
      const codes = await mfa.regenerateRecoveryCodes(userId);
      if (codes === undefined || context.signedIn === undefined) return toSignIn(reply);
      return sendPage(
        reply,
        200,
        recoveryCodesPage({
          codes,
          account: { userName: context.signedIn.user.userName, csrfToken: context.csrfToken },
          intro: 'These are your new recovery codes; the old ones no longer work.',
        }),
      );
    });
  });

  app.post(PATHS.securityRemoveMfa, async (request, reply) => {
    const context = await web.openForm(request, reply);
    return confirmed(context, reply, field(request.body, 'code'), request.ip, async (userId) => {
      await mfa.remove(userId);
      return sendPage(
        reply,
        200,
        await settingsPage(context, { notice: 'Your authenticator app was removed.' }),
      );
    });
  });
};
