import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PasswordRejectedError } from '../../modules/credentials/credentials.types.js';
import type { User } from '../../modules/identity-store/identity-store.types.js';
import type { InvitationsService } from '../../modules/invitations/invitations.service.js';
import type { InvitationCheck } from '../../modules/invitations/invitations.types.js';
import type { LauncherService } from '../../modules/portal/launcher.service.js';
import type { MfaService } from '../../modules/portal/mfa.service.js';
import type { MfaEnrolment } from '../../modules/portal/mfa.types.js';
import type { PasswordResetService } from '../../modules/portal/password-reset.service.js';
import type { MfaStepOutcome, SignInService } from '../../modules/portal/sign-in.service.js';
import { tooManyAttemptsMessage } from '../../modules/portal/sign-in-guard.service.js';
import type { SettingsService } from '../../modules/settings/settings.service.js';
import { field } from '../forms.js';
import type { TopBarAccount } from '../layout.js';
import { PATHS } from '../links.js';
import { type PageContext, sendPage, type WebContext } from '../web-context.js';
import { applicationsPage } from './applications-page.js';
import { registerLaunchPages } from './launch.routes.js';
import { mfaCodePage, mfaEnrolmentPage, qrCodeDataUri, recoveryCodesPage } from './mfa-pages.js';
import { registerMfaSettingsPages } from './mfa-settings.routes.js';
import {
  displayNameOf,
  emailCodePage,
  forgotPasswordPage,
  messagePage,
  newPasswordPage,
  passwordPage,
  resetLinkSentPage,
  usernamePage,
} from './portal-pages.js';

export interface PortalPagesDependencies {
  web: WebContext;
  signIn: SignInService;
  invitations: InvitationsService;
  settings: SettingsService;
  mfa: MfaService;
  passwordReset: PasswordResetService;
  launcher: LauncherService;
}

/** AWS's answer for a wrong user name and a wrong password alike. */
export const SIGN_IN_FAILED = 'Incorrect username or password.';

const notEnabledPage = () =>
  messagePage({
    title: 'The access portal is not available yet',
    paragraphs: [
      'IAM Identity Center has not been enabled on this server, so there is nobody to sign in yet.',
      'An administrator enables it by creating the instance (aws sso-admin create-instance) and adding users.',
    ],
  });

const signInAgainPage = (reason: string) =>
  messagePage({
    title: 'Please sign in again',
    paragraphs: [reason],
    link: { href: PATHS.portal, label: 'Sign in again' },
  });

/** What an invitation link that cannot be used any more says, by what happened to it. */
const invitationProblemPage = (check: Exclude<InvitationCheck, { result: 'pending' }>) => {
  switch (check.result) {
    case 'expired':
      return messagePage({
        title: 'This invitation has expired',
        paragraphs: [
          `The invitation link was valid until ${check.invitation.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC and can no longer be used.`,
          'Ask your administrator to send you a new invitation; the new e-mail will have a new link.',
        ],
      });
    case 'accepted':
      return messagePage({
        title: 'This invitation was already used',
        paragraphs: [
          'A password was already set with this link, and a link works only once.',
          'Sign in with your user name and that password. If you did not set it, contact your administrator.',
        ],
        link: { href: PATHS.portal, label: 'Go to sign in' },
      });
    case 'revoked':
      return messagePage({
        title:
          check.invitation.revokedReason === 'replaced'
            ? 'This invitation link was replaced'
            : 'This invitation was withdrawn',
        paragraphs: [
          check.invitation.revokedReason === 'replaced'
            ? 'A newer invitation (or a one-time password) was issued for you, and this link stopped working. Use the link in the most recent invitation e-mail.'
            : 'Your administrator withdrew this invitation, so the link no longer works.',
          'If you have no newer invitation, ask your administrator to send you one.',
        ],
      });
    default:
      return messagePage({
        title: 'This link is not valid',
        paragraphs: [
          'The link does not match any invitation. Check that you opened the whole link from the e-mail (some mail programs break long links).',
          'If it still does not work, ask your administrator to send you a new invitation.',
        ],
      });
  }
};

const invitationStatus = (check: InvitationCheck): number =>
  check.result === 'invalid' ? 404 : check.result === 'pending' ? 200 : 410;

const isInvitationCheck = (outcome: InvitationCheck | MfaStepOutcome): outcome is InvitationCheck =>
  ['pending', 'expired', 'accepted', 'revoked', 'invalid'].includes(outcome.result);

/** The browser's address (X-Forwarded-For's client with --trust-proxy): what throttling counts by. */
export const clientAddress = (request: FastifyRequest): string => request.ip;

/** A 429 with Retry-After, as a page. */
const tooMany = (reply: FastifyReply, retryAfterMs: number): FastifyReply =>
  reply.header('retry-after', String(Math.ceil(retryAfterMs / 1000)));

export const accountOf = (context: PageContext): TopBarAccount | undefined =>
  context.signedIn === undefined
    ? undefined
    : { userName: context.signedIn.user.userName, csrfToken: context.csrfToken };

/**
 * The access portal's pages under /start: sign-in (user name, password or e-mailed code, MFA),
 * choosing a password, accepting an invitation, "Forgot password?", the application list and
 * sign-out. Handlers only translate between forms and services.
 */
export const registerPortalPages = (app: FastifyInstance, deps: PortalPagesDependencies): void => {
  const { web, signIn, invitations, settings, passwordReset, launcher } = deps;

  const minimumLength = async (user: User): Promise<number> =>
    (await settings.forIdentityStore(user.identityStoreId)).minimumPasswordLength;

  const redirect = (reply: FastifyReply, location: string) =>
    reply.code(303).header('cache-control', 'no-store').header('location', location).send();

  const choosePasswordPage = async (context: PageContext, user: User, ticket: string, errors?: string[]) =>
    newPasswordPage({
      csrfToken: context.csrfToken,
      title: 'Choose a new password',
      intro: `Before you continue, choose your own password for ${user.userName}.`,
      action: PATHS.choosePassword,
      hidden: { ticket },
      userName: user.userName,
      minimumLength: await minimumLength(user),
      errors,
    });

  const acceptPage = async (context: PageContext, user: User, token: string, errors?: string[]) =>
    newPasswordPage({
      csrfToken: context.csrfToken,
      title: 'Set your password',
      intro: `Welcome, ${displayNameOf(user)}. Choose a password for your user name ${user.userName}; then you are signed in to the access portal.`,
      action: PATHS.acceptInvitation,
      hidden: { token },
      userName: user.userName,
      minimumLength: await minimumLength(user),
      errors,
    });

  const resetPage = async (context: PageContext, user: User, token: string, errors?: string[]) =>
    newPasswordPage({
      csrfToken: context.csrfToken,
      title: 'Reset your password',
      intro: `Choose a new password for your user name ${user.userName}. Afterwards, sign in with it.`,
      action: PATHS.resetPassword,
      hidden: { token },
      userName: user.userName,
      minimumLength: await minimumLength(user),
      errors,
    });

  const enrolmentPage = async (
    context: PageContext,
    step: { ticket: string; user: User; enrolment: MfaEnrolment },
    errors?: string[],
  ) =>
    mfaEnrolmentPage({
      csrfToken: context.csrfToken,
      userName: step.user.userName,
      enrolment: step.enrolment,
      qrDataUri: await qrCodeDataUri(step.enrolment.otpauthUri),
      action: PATHS.signInMfaSetup,
      hidden: { ticket: step.ticket },
      required: true,
      errors,
    });

  /** The page for a sign-in step's outcome. */
  const answerSignIn = async (
    reply: FastifyReply,
    context: PageContext,
    outcome: MfaStepOutcome,
    userName: string,
  ) => {
    switch (outcome.result) {
      case 'signed-in': {
        const csrfToken = await web.startSession(reply, context, outcome.session);
        if (outcome.recoveryCodes === undefined) return redirect(reply, PATHS.portal);
        return sendPage(
          reply,
          200,
          recoveryCodesPage({
            codes: outcome.recoveryCodes,
            account: { userName: outcome.user.userName, csrfToken },
            intro: 'Your authenticator app is registered, and you are signed in.',
          }),
        );
      }
      case 'choose-password':
        return sendPage(reply, 200, await choosePasswordPage(context, outcome.user, outcome.ticket));
      case 'mfa-code':
        return sendPage(
          reply,
          200,
          mfaCodePage({
            csrfToken: context.csrfToken,
            ticket: outcome.ticket,
            userName: outcome.user.userName,
          }),
        );
      case 'mfa-enrolment':
        return sendPage(reply, 200, await enrolmentPage(context, outcome));
      case 'wrong-enrolment-code':
        return sendPage(
          reply,
          400,
          await enrolmentPage(context, outcome, [
            'That code is not right. Check that the app shows the code for studio-sso, and enter the newest one.',
          ]),
        );
      case 'wrong-mfa-code':
      case 'mfa-code-used':
        return sendPage(
          reply,
          401,
          mfaCodePage({
            csrfToken: context.csrfToken,
            ticket: outcome.ticket,
            userName: outcome.user.userName,
            errors: [
              outcome.result === 'wrong-mfa-code'
                ? 'That code is not right. Enter the newest code from your authenticator app, or a recovery code.'
                : 'That code was already used. Wait for the next code in your authenticator app, then enter it.',
            ],
          }),
        );
      case 'step-expired':
        return sendPage(
          reply,
          401,
          signInAgainPage('This step of signing in has expired or was already completed.'),
        );
      case 'throttled': {
        const message = tooManyAttemptsMessage(outcome.retryAfterMs);
        tooMany(reply, outcome.retryAfterMs);
        return userName === ''
          ? sendPage(reply, 429, signInAgainPage(message))
          : sendPage(reply, 429, passwordPage({ csrfToken: context.csrfToken, userName, errors: [message] }));
      }
      case 'one-time-password-expired':
        return sendPage(
          reply,
          401,
          messagePage({
            title: 'Your one-time password has expired',
            paragraphs: [
              'The one-time password you were given is no longer valid.',
              'Ask your administrator to generate a new one or to send you an invitation by e-mail.',
            ],
          }),
        );
      case 'not-enabled':
        return sendPage(reply, 503, notEnabledPage());
      default:
        return sendPage(
          reply,
          401,
          passwordPage({ csrfToken: context.csrfToken, userName, errors: [SIGN_IN_FAILED] }),
        );
    }
  };

  app.get(PATHS.portal, async (request, reply) => {
    const context = await web.open(request, reply);
    if (context.signedIn !== undefined) {
      const { user } = context.signedIn;
      return sendPage(
        reply,
        200,
        applicationsPage({
          account: { userName: user.userName, csrfToken: context.csrfToken },
          user,
          applications: await launcher.applicationsOf(user),
        }),
      );
    }
    if ((await signIn.portalDirectory()) === undefined) return sendPage(reply, 503, notEnabledPage());
    const signedOut = (request.query as Record<string, string | undefined>)['signed-out'] !== undefined;
    return sendPage(
      reply,
      200,
      usernamePage({ csrfToken: context.csrfToken, notice: signedOut ? 'You have signed out.' : undefined }),
    );
  });

  app.post(PATHS.signIn, async (request, reply) => {
    const context = await web.openForm(request, reply);
    const userName = field(request.body, 'username').trim();
    if (userName === '') {
      return sendPage(
        reply,
        400,
        usernamePage({ csrfToken: context.csrfToken, errors: ['Enter your user name.'] }),
      );
    }
    const start = await signIn.startSignIn(userName);
    if (start.next === 'not-enabled') return sendPage(reply, 503, notEnabledPage());
    if (start.next === 'email-code') {
      return sendPage(
        reply,
        200,
        emailCodePage({ csrfToken: context.csrfToken, challengeId: start.challengeId, sentTo: start.sentTo }),
      );
    }
    return sendPage(reply, 200, passwordPage({ csrfToken: context.csrfToken, userName }));
  });

  app.post(PATHS.signInPassword, async (request, reply) => {
    const context = await web.openForm(request, reply);
    const userName = field(request.body, 'username').trim();
    const password = field(request.body, 'password');
    if (userName === '') return sendPage(reply, 400, usernamePage({ csrfToken: context.csrfToken }));
    if (password === '') {
      return sendPage(
        reply,
        400,
        passwordPage({ csrfToken: context.csrfToken, userName, errors: ['Enter your password.'] }),
      );
    }
    return answerSignIn(
      reply,
      context,
      await signIn.signInWithPassword(userName, password, clientAddress(request)),
      userName,
    );
  });

  app.post(PATHS.signInMfa, async (request, reply) => {
    const context = await web.openForm(request, reply);
    const ticket = field(request.body, 'ticket');
    const code = field(request.body, 'code').trim();
    if (code === '') {
      const user = await signIn.mfaTicketUser(ticket, 'mfa-challenge');
      if (user === undefined) return answerSignIn(reply, context, { result: 'step-expired' }, '');
      return sendPage(
        reply,
        400,
        mfaCodePage({
          csrfToken: context.csrfToken,
          ticket,
          userName: user.userName,
          errors: ['Enter the MFA code.'],
        }),
      );
    }
    return answerSignIn(
      reply,
      context,
      await signIn.signInWithMfaCode(ticket, code, clientAddress(request)),
      '',
    );
  });

  app.post(PATHS.signInMfaSetup, async (request, reply) => {
    const context = await web.openForm(request, reply);
    const ticket = field(request.body, 'ticket');
    return answerSignIn(
      reply,
      context,
      await signIn.confirmMfaEnrolment(ticket, field(request.body, 'code')),
      '',
    );
  });

  app.post(PATHS.signInCode, async (request, reply) => {
    const context = await web.openForm(request, reply);
    const challengeId = field(request.body, 'challenge');
    const outcome = await signIn.signInWithEmailCode(challengeId, field(request.body, 'code'));
    if (outcome.result === 'wrong-code') {
      return sendPage(
        reply,
        401,
        emailCodePage({
          csrfToken: context.csrfToken,
          challengeId,
          sentTo: 'your e-mail address',
          errors: [
            `That code is not right. You can try ${outcome.attemptsLeft} more time${outcome.attemptsLeft === 1 ? '' : 's'}.`,
          ],
        }),
      );
    }
    if (
      outcome.result === 'code-expired' ||
      outcome.result === 'code-used' ||
      outcome.result === 'too-many-attempts'
    ) {
      const reason =
        outcome.result === 'code-expired'
          ? 'The code has expired: codes are valid for 10 minutes.'
          : outcome.result === 'code-used'
            ? 'The code was already used: each code works once.'
            : 'The code was entered wrongly too many times.';
      return sendPage(
        reply,
        401,
        messagePage({
          title: 'This code can no longer be used',
          paragraphs: [reason, 'Sign in again to get a new code by e-mail.'],
          link: { href: PATHS.portal, label: 'Sign in again' },
        }),
      );
    }
    return answerSignIn(reply, context, outcome, '');
  });

  app.post(PATHS.choosePassword, async (request, reply) => {
    const context = await web.openForm(request, reply);
    const ticket = field(request.body, 'ticket');
    try {
      const outcome = await signIn.choosePasswordWithTicket(
        ticket,
        field(request.body, 'newPassword'),
        field(request.body, 'confirmPassword'),
      );
      if (outcome.result !== 'failed') return answerSignIn(reply, context, outcome, '');
    } catch (error) {
      if (!(error instanceof PasswordRejectedError)) throw error;
      const user = await signIn.ticketUser(ticket);
      if (user !== undefined) {
        return sendPage(
          reply,
          400,
          await choosePasswordPage(
            context,
            user,
            ticket,
            error.problems.map((p) => p.message),
          ),
        );
      }
    }
    return sendPage(
      reply,
      401,
      signInAgainPage('This step of signing in has expired or was already completed.'),
    );
  });

  app.get(PATHS.acceptInvitation, async (request, reply) => {
    const context = await web.open(request, reply);
    const token = (request.query as Record<string, string | undefined>).token ?? '';
    const check = await invitations.checkInvitation(token);
    if (check.result !== 'pending')
      return sendPage(reply, invitationStatus(check), invitationProblemPage(check));
    return sendPage(reply, 200, await acceptPage(context, check.user, token));
  });

  app.post(PATHS.acceptInvitation, async (request, reply) => {
    const context = await web.openForm(request, reply);
    const token = field(request.body, 'token');
    try {
      const outcome = await signIn.acceptInvitation(
        token,
        field(request.body, 'newPassword'),
        field(request.body, 'confirmPassword'),
      );
      if (!isInvitationCheck(outcome)) return answerSignIn(reply, context, outcome, '');
      if (outcome.result !== 'pending') {
        return sendPage(reply, invitationStatus(outcome), invitationProblemPage(outcome));
      }
    } catch (error) {
      if (!(error instanceof PasswordRejectedError)) throw error;
      const check = await invitations.checkInvitation(token);
      if (check.result !== 'pending')
        return sendPage(reply, invitationStatus(check), invitationProblemPage(check));
      return sendPage(
        reply,
        400,
        await acceptPage(
          context,
          check.user,
          token,
          error.problems.map((p) => p.message),
        ),
      );
    }
    return sendPage(
      reply,
      500,
      messagePage({ title: 'Something went wrong', paragraphs: ['Try the link again.'] }),
    );
  });

  app.get(PATHS.forgotPassword, async (request, reply) => {
    const context = await web.open(request, reply);
    const userName = (request.query as Record<string, string | undefined>).username;
    return sendPage(reply, 200, forgotPasswordPage({ csrfToken: context.csrfToken, userName }));
  });

  app.post(PATHS.forgotPassword, async (request, reply) => {
    const context = await web.openForm(request, reply);
    const userName = field(request.body, 'username').trim();
    if (userName === '') {
      return sendPage(
        reply,
        400,
        forgotPasswordPage({ csrfToken: context.csrfToken, errors: ['Enter your user name.'] }),
      );
    }
    const outcome = await passwordReset.requestReset(userName, clientAddress(request));
    switch (outcome.result) {
      case 'not-enabled':
        return sendPage(reply, 503, notEnabledPage());
      case 'throttled':
        tooMany(reply, outcome.retryAfterMs);
        return sendPage(
          reply,
          429,
          forgotPasswordPage({
            csrfToken: context.csrfToken,
            userName,
            errors: [tooManyAttemptsMessage(outcome.retryAfterMs)],
          }),
        );
      default:
        // Not awaited: the answer must take as long for a user who exists as for one who does not.
        outcome.delivery.catch((error: unknown) =>
          request.log.error({ err: error }, 'could not queue a password reset mail'),
        );
        return sendPage(reply, 200, resetLinkSentPage());
    }
  });

  const resetLinkInvalidPage = () =>
    messagePage({
      title: 'This reset link can no longer be used',
      paragraphs: [
        'Reset links work once, for 60 minutes, and a newer one replaces the ones before it.',
        'Ask for a new link with "Forgot password?" on the sign-in page.',
      ],
      link: { href: PATHS.forgotPassword, label: 'Forgot password?' },
    });

  app.get(PATHS.resetPassword, async (request, reply) => {
    const context = await web.open(request, reply);
    const token = (request.query as Record<string, string | undefined>).token ?? '';
    const user = await passwordReset.linkUser(token);
    if (user === undefined) return sendPage(reply, 410, resetLinkInvalidPage());
    return sendPage(reply, 200, await resetPage(context, user, token));
  });

  app.post(PATHS.resetPassword, async (request, reply) => {
    const context = await web.openForm(request, reply);
    const token = field(request.body, 'token');
    try {
      const outcome = await passwordReset.resetPassword(
        token,
        field(request.body, 'newPassword'),
        field(request.body, 'confirmPassword'),
      );
      if (outcome.result === 'invalid') return sendPage(reply, 410, resetLinkInvalidPage());
      // Every session of the user ended with the reset, this browser's too.
      await web.endSession(reply, context);
      return sendPage(
        reply,
        200,
        messagePage({
          title: 'Your password has been changed',
          tone: 'ok',
          paragraphs: [
            `The password of ${outcome.user.userName} is changed, and every session that was signed in with the old one has ended.`,
            'Sign in with your new password.',
          ],
          link: { href: PATHS.portal, label: 'Sign in' },
        }),
      );
    } catch (error) {
      if (!(error instanceof PasswordRejectedError)) throw error;
      const user = await passwordReset.linkUser(token);
      if (user === undefined) return sendPage(reply, 410, resetLinkInvalidPage());
      return sendPage(
        reply,
        400,
        await resetPage(
          context,
          user,
          token,
          error.problems.map((p) => p.message),
        ),
      );
    }
  });

  app.post(PATHS.signOut, async (request, reply) => {
    const context = await web.openForm(request, reply);
    await web.endSession(reply, context);
    return redirect(reply, `${PATHS.portal}?signed-out`);
  });

  registerMfaSettingsPages(app, deps);
  registerLaunchPages(app, deps);
};
