import type { FastifyInstance } from 'fastify';
import type { EmailVerificationService } from '../modules/organizations/email-verification.service.js';
import { CONSOLE_PATHS } from './console/console-paths.js';
import { html } from './html.js';
import { PATHS } from './links.js';
import { messagePage } from './portal/portal-pages.js';
import { sendPage } from './web-context.js';

/**
 * The page the organization's verification link opens. Opening it verifies the address (as AWS's
 * link does); the link works once, for 24 hours, and a newer link replaces it.
 */
/** The address belongs to the root admin: every answer leads back to the console's setup steps. */
const TO_CONSOLE = { href: CONSOLE_PATHS.dashboard, label: 'Go to the console' };

export const registerVerifyEmailPage = (
  app: FastifyInstance,
  verification: EmailVerificationService,
): void => {
  app.get(PATHS.verifyEmail, async (request, reply) => {
    const token = (request.query as Record<string, string | undefined>).token ?? '';
    const outcome = await verification.verify(token);
    switch (outcome.result) {
      case 'verified':
        return sendPage(
          reply,
          200,
          messagePage({
            link: TO_CONSOLE,
            title: 'E-mail address verified',
            tone: 'ok',
            paragraphs: [
              `${outcome.email} is now verified as the e-mail address of account ${outcome.accountId}, the management account of your organization.`,
            ],
          }),
        );
      case 'already-verified':
        return sendPage(
          reply,
          200,
          messagePage({
            link: TO_CONSOLE,
            title: 'E-mail address already verified',
            tone: 'ok',
            paragraphs: [
              `${outcome.email} was already verified with this link; there is nothing more to do.`,
            ],
          }),
        );
      case 'expired':
        return sendPage(
          reply,
          410,
          messagePage({
            link: TO_CONSOLE,
            title: 'This verification link has expired',
            paragraphs: [
              `Verification links are valid for 24 hours, and this one for ${outcome.email} is older.`,
              html`Send a new one from the console's Dashboard (<strong>Resend verification e-mail</strong>) or with <code>studio-sso organization --resend-verification</code>; the new e-mail has a new link.`,
            ],
          }),
        );
      case 'replaced':
        return sendPage(
          reply,
          410,
          messagePage({
            link: TO_CONSOLE,
            title: 'This verification link was replaced',
            paragraphs: [
              `A newer verification link was sent to ${outcome.email}, and this one stopped working.`,
              'Use the link in the most recent e-mail.',
            ],
          }),
        );
      default:
        return sendPage(
          reply,
          404,
          messagePage({
            link: TO_CONSOLE,
            title: 'This link is not valid',
            paragraphs: [
              'The link does not match any verification e-mail. Check that you opened the whole link from the e-mail.',
            ],
          }),
        );
    }
  });
};
