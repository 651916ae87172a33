import type { FastifyInstance } from 'fastify';
import { isAppError } from '../core/errors.js';
import type { EmailVerificationService } from '../modules/organizations/email-verification.service.js';
import { STYLESHEET, STYLESHEET_VERSION } from './assets/stylesheet.js';
import { PATHS } from './links.js';
import { type PortalPagesDependencies, registerPortalPages } from './portal/portal.routes.js';
import { messagePage } from './portal/portal-pages.js';
import { registerVerifyEmailPage } from './verify-email.routes.js';
import { sendPage } from './web-context.js';

export interface WebPagesDependencies extends PortalPagesDependencies {
  emailVerification: EmailVerificationService;
}

/**
 * Every server-rendered page (the portal now; the console later), with its stylesheet and one
 * error handler that answers with a page, never a stack trace or JSON.
 */
export const webPages =
  (deps: WebPagesDependencies) =>
  (app: FastifyInstance): void => {
    app.register(async (web) => {
      web.get(PATHS.stylesheet, async (request, reply) => {
        const cacheable = (request.query as Record<string, string | undefined>).v === STYLESHEET_VERSION;
        return reply
          .header('content-type', 'text/css; charset=utf-8')
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', cacheable ? 'public, max-age=31536000, immutable' : 'no-cache')
          .send(STYLESHEET);
      });

      registerPortalPages(web, deps);
      registerVerifyEmailPage(web, deps.emailVerification);

      web.setErrorHandler(async (error: unknown, request, reply) => {
        if (isAppError(error) && error.code === 'CSRF_TOKEN_INVALID') {
          return sendPage(
            reply,
            403,
            messagePage({
              title: 'This form has expired',
              paragraphs: [
                'The page you sent it from is too old, or it did not come from this site, so nothing was done.',
                'Go back, reload the page, and try again.',
              ],
              link: { href: PATHS.portal, label: 'Go to the portal' },
            }),
          );
        }
        const status = (error as { statusCode?: number }).statusCode;
        if (status !== undefined && status >= 400 && status < 500) {
          return sendPage(
            reply,
            status,
            messagePage({
              title: status === 413 ? 'That was too much' : 'That request could not be read',
              paragraphs: [
                status === 413
                  ? 'The form sent more data than the server accepts.'
                  : 'The server could not understand the request.',
                'Go back and try again.',
              ],
            }),
          );
        }
        request.log.error({ err: error }, 'unexpected error on a page');
        return sendPage(
          reply,
          500,
          messagePage({
            title: 'Something went wrong',
            paragraphs: [
              'The server could not complete this request. Try again in a moment.',
              `If it keeps happening, give your administrator this reference: ${request.id}`,
            ],
          }),
        );
      });
    });
  };
