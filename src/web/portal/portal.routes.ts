import type { FastifyInstance, FastifyReply } from 'fastify';
import { PasswordRejectedError } from '../../modules/credentials/credentials.types.js';
import type { User } from '../../modules/identity-store/identity-store.types.js';
import type { InvitationsService } from '../../modules/invitations/invitations.service.js';
import type { InvitationCheck } from '../../modules/invitations/invitations.types.js';
import type { NewSession } from '../../modules/portal/sessions.types.js';
import type { SignInOutcome, SignInService } from '../../modules/portal/sign-in.service.js';
import type { SettingsService } from '../../modules/settings/settings.service.js';
import { field } from '../forms.js';
import { PATHS } from '../links.js';
import { type PageContext, sendPage, type WebContext } from '../web-context.js';
import {
  displayNameOf,
  emailCodePage,
  messagePage,
  newPasswordPage,
  passwordPage,
  signedInPage,
  usernamePage,
} from './portal-pages.js';

export interface PortalPagesDependencies {
  web: WebContext;
  signIn: SignInService;
  invitations: InvitationsService;
  settings: SettingsService;
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

/**
 * The access portal's pages under /start: sign-in, choosing a password, accepting an invitation,
 * the signed-in landing page and sign-out. Handlers only translate between forms and services.
 */
export const registerPortalPages = (app: FastifyInstance, deps: PortalPagesDependencies): void => {
  const { web, signIn, invitations, settings } = deps;

  const minimumLength = async (user: User): Promise<number> =>
    (await settings.forIdentityStore(user.identityStoreId)).minimumPasswordLength;

  const signInAndGoToPortal = async (reply: FastifyReply, context: PageContext, session: NewSession) => {
    await web.startSession(reply, context, session);
    return reply.code(303).header('cache-control', 'no-store').header('location', PATHS.portal).send();
  };

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

  /** The page for a sign-in step's outcome. */
  const answerSignIn = async (
    reply: FastifyReply,
    context: PageContext,
    outcome: SignInOutcome,
    userName: string,
  ) => {
    switch (outcome.result) {
      case 'signed-in':
        return signInAndGoToPortal(reply, context, outcome.session);
      case 'choose-password':
        return sendPage(reply, 200, await choosePasswordPage(context, outcome.user, outcome.ticket));
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
      return sendPage(
        reply,
        200,
        signedInPage({ csrfToken: context.csrfToken, user: context.signedIn.user }),
      );
    }
    if ((await signIn.portalDirectory()) === undefined) return sendPage(reply, 503, notEnabledPage());
    return sendPage(reply, 200, usernamePage({ csrfToken: context.csrfToken }));
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
    return answerSignIn(reply, context, await signIn.signInWithPassword(userName, password), userName);
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
      if (outcome.result === 'signed-in') return signInAndGoToPortal(reply, context, outcome.session);
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
      messagePage({
        title: 'Please sign in again',
        paragraphs: ['This step of signing in has expired or was already completed.'],
        link: { href: PATHS.portal, label: 'Sign in again' },
      }),
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
      if (outcome.result === 'signed-in') return signInAndGoToPortal(reply, context, outcome.session);
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

  app.post(PATHS.signOut, async (request, reply) => {
    const context = await web.openForm(request, reply);
    await web.endSession(reply, context);
    return reply.code(303).header('location', PATHS.portal).send();
  });
};
