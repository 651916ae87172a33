import type { FastifyReply } from 'fastify';
import type { MfaCodeRefusal } from '../../modules/console/console.types.js';
import type { ConsoleAdminService } from '../../modules/console/console-admin.service.js';
import { tooManyAttemptsMessage } from '../../modules/portal/sign-in-guard.service.js';
import { field } from '../forms.js';
import type { Html } from '../html.js';
import { qrCodeDataUri } from '../portal/mfa-pages.js';
import type { AdminContext, ConsoleKit } from './console-kit.js';
import {
  mfaSettingsPage,
  recoveryCodesPage,
  registerMfaPage,
  removeMfaPage,
  SECURITY_PATHS,
} from './console-security-pages.js';

/** Why a code typed to confirm a change was not taken, in words, with the page's status. */
const refusal = (check: MfaCodeRefusal): { status: number; message: string; retryAfterMs?: number } => {
  switch (check.result) {
    case 'throttled':
      return {
        status: 429,
        message: tooManyAttemptsMessage(check.retryAfterMs),
        retryAfterMs: check.retryAfterMs,
      };
    case 'replayed':
      return {
        status: 400,
        message:
          'That code was already used. Wait for the next code in your authenticator app, then enter it.',
      };
    case 'not-enrolled':
      return { status: 400, message: 'No authenticator app is registered for the console.' };
    default:
      return {
        status: 400,
        message:
          'That code is not right. Enter the newest code from your authenticator app, or a recovery code.',
      };
  }
};

/**
 * MFA settings of the root admin (the top bar's "MFA settings"): register an authenticator app,
 * make new recovery codes, remove the app. Changes to a registered app are confirmed with a
 * current code, counted by the console's sign-in limits.
 */
export const registerConsoleSecurityPages = (kit: ConsoleKit, consoleAdmin: ConsoleAdminService): void => {
  const { mfa } = consoleAdmin;

  const registerPage = async (admin: AdminContext, errors?: string[]): Promise<Html | undefined> => {
    const enrolment = await mfa.beginEnrolment();
    if (enrolment === undefined) return undefined;
    const qrDataUri = await qrCodeDataUri(enrolment.otpauthUri);
    return registerMfaPage({ viewer: admin, enrolment, qrDataUri, errors });
  };

  /** The page again, saying why the code was not taken (429 with Retry-After when locked). */
  const refused = async (
    reply: FastifyReply,
    check: MfaCodeRefusal,
    page: (errors: string[]) => Promise<Html>,
  ) => {
    const { status, message, retryAfterMs } = refusal(check);
    if (retryAfterMs !== undefined) reply.header('retry-after', String(Math.ceil(retryAfterMs / 1000)));
    return kit.send(reply, status, await page([message]));
  };

  const settingsPage = async (admin: AdminContext, errors?: string[], notice?: string) =>
    mfaSettingsPage({ viewer: admin, status: await mfa.status(), errors, notice });

  kit.adminGet(SECURITY_PATHS.settings, async (request, reply, admin) =>
    kit.send(reply, 200, await settingsPage(admin, undefined, kit.takeNotice(request, reply, admin))),
  );

  kit.adminGet(SECURITY_PATHS.register, async (_request, reply, admin) => {
    const page = await registerPage(admin);
    // Already registered (another tab): the settings say so.
    if (page === undefined) return kit.redirect(reply, admin, SECURITY_PATHS.settings);
    return kit.send(reply, 200, page);
  });

  kit.adminPost(SECURITY_PATHS.register, async (request, reply, admin) => {
    const confirmation = await mfa.confirmEnrolment(field(request.body, 'code'));
    if (confirmation.result === 'enrolled') {
      return kit.send(
        reply,
        200,
        recoveryCodesPage({
          viewer: admin,
          intro:
            'Your authenticator app is registered: from now on, console sign-in asks for a code from it after the password.',
          codes: confirmation.recoveryCodes,
        }),
      );
    }
    const page =
      confirmation.result === 'wrong'
        ? await registerPage(admin, [
            'That code is not right. Check that the app shows the code for studio-sso, and enter the newest one.',
          ])
        : undefined;
    if (page === undefined) return kit.redirect(reply, admin, SECURITY_PATHS.settings);
    return kit.send(reply, 400, page);
  });

  kit.adminPost(SECURITY_PATHS.recoveryCodes, async (request, reply, admin) => {
    const result = await mfa.regenerateRecoveryCodes(field(request.body, 'code'), request.ip);
    if (result.result !== 'ok') return refused(reply, result, (errors) => settingsPage(admin, errors));
    return kit.send(
      reply,
      200,
      recoveryCodesPage({
        viewer: admin,
        intro: 'These are your new recovery codes; the old ones no longer work.',
        codes: result.recoveryCodes,
      }),
    );
  });

  const removePage = async (admin: AdminContext, errors?: string[]) =>
    removeMfaPage({ viewer: admin, recoveryCodesLeft: (await mfa.status()).recoveryCodesLeft, errors });

  kit.adminGet(SECURITY_PATHS.remove, async (_request, reply, admin) => {
    if (!(await mfa.isEnrolled())) return kit.redirect(reply, admin, SECURITY_PATHS.settings);
    return kit.send(reply, 200, await removePage(admin));
  });

  kit.adminPost(SECURITY_PATHS.remove, async (request, reply, admin) => {
    const result = await mfa.remove(field(request.body, 'code'), request.ip);
    if (result.result !== 'ok') return refused(reply, result, (errors) => removePage(admin, errors));
    return kit.redirect(
      reply,
      admin,
      SECURITY_PATHS.settings,
      'The authenticator app was removed: console sign-in now asks only for the password.',
    );
  });
};
