import type { FastifyInstance } from 'fastify';
import type { Links } from '../../core/links.js';
import type { StudioService } from '../../modules/studio/studio.service.js';
import type { StudioLinks } from '../../modules/studio/studio.types.js';
import { PATHS } from '../links.js';
import { messagePage } from '../portal/portal-pages.js';
import { studioPage } from '../portal/studio-page.js';
import { sendPage } from '../web-context.js';

/** Where a presigned domain URL lands: it redeems the token, then shows the Studio page. */
export const presignedPath = (domainId: string): string =>
  `/studio/${encodeURIComponent(domainId)}/presigned`;

/**
 * Presigned domain URLs on the public base URL the other links use. `Links` exposes the base only
 * through its pages, so it is the portal's address without the portal's path.
 */
export const studioLinks = (links: Links): StudioLinks => ({
  presignedDomainUrl: (domainId, token) => {
    const portal = links.portal();
    const base = portal.endsWith(PATHS.portal) ? portal.slice(0, -PATHS.portal.length) : portal;
    return `${base}${presignedPath(domainId)}?token=${encodeURIComponent(token)}`;
  },
});

/**
 * The page a presigned domain URL opens: it redeems the URL (once, before it expires) and shows
 * the same Studio page as a launch from the access portal, signed in as the URL's profile.
 */
export const registerStudioPages = (app: FastifyInstance, studio: StudioService): void => {
  app.register(async (pages) => {
    pages.get('/studio/:domainId/presigned', async (request, reply) => {
      const { domainId } = request.params as { domainId: string };
      const token = (request.query as Record<string, string | undefined>).token ?? '';
      const outcome = await studio.redeemPresignedUrl(token);
      if (outcome.outcome === 'signed-in' && outcome.domain.domainId === domainId) {
        return sendPage(
          reply,
          200,
          studioPage({
            domain: outcome.domain,
            profile: outcome.profile,
            signedIn: {
              via: 'presigned',
              sessionExpiresAt: outcome.sessionExpiresAt,
              ...(outcome.spaceName !== undefined ? { spaceName: outcome.spaceName } : {}),
              ...(outcome.landingUri !== undefined ? { landingUri: outcome.landingUri } : {}),
            },
          }),
        );
      }
      const [status, title, paragraph] =
        outcome.outcome === 'expired'
          ? [410, 'This link has expired', 'Presigned Studio links work for a few minutes only.']
          : outcome.outcome === 'used'
            ? [410, 'This link was already used', 'A presigned Studio link signs in once.']
            : [404, 'This link is not valid', 'The link does not open any Studio user profile.'];
      return sendPage(
        reply,
        status,
        messagePage({
          title,
          paragraphs: [paragraph, 'Ask for a new one (sagemaker create-presigned-domain-url).'],
        }),
      );
    });
    pages.setErrorHandler(async (error: unknown, request, reply) => {
      request.log.error({ err: error }, 'unexpected error on a Studio page');
      return sendPage(
        reply,
        500,
        messagePage({
          title: 'Something went wrong',
          paragraphs: [
            `The server could not open Studio. Give your administrator this reference: ${request.id}`,
          ],
        }),
      );
    });
  });
};
