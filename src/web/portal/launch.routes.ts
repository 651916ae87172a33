import type { FastifyInstance } from 'fastify';
import { PATHS } from '../links.js';
import { sendPage } from '../web-context.js';
import type { PortalPagesDependencies } from './portal.routes.js';
import { forbiddenApplicationPage, studioAccessDeniedPage, studioPage } from './studio-page.js';

/**
 * Launching Studio from the portal: `/studio/<domainId>` opens the signed-in user's profile in the
 * domain. The server asks the one access decision again on every launch, so a URL typed by hand
 * for an application the user may not open is refused with 403, never served.
 */
export const registerLaunchPages = (app: FastifyInstance, deps: PortalPagesDependencies): void => {
  const { web, launcher } = deps;

  app.get('/studio/:domainId', async (request, reply) => {
    const context = await web.open(request, reply);
    if (context.signedIn === undefined) {
      return reply.code(303).header('cache-control', 'no-store').header('location', PATHS.portal).send();
    }
    const { user } = context.signedIn;
    const account = { userName: user.userName, csrfToken: context.csrfToken };
    const { domainId } = request.params as { domainId: string };
    const launch = await launcher.openStudio(user, domainId);
    switch (launch.result) {
      case 'open':
        return sendPage(
          reply,
          200,
          studioPage({
            domain: launch.domain,
            profile: launch.profile,
            signedIn: {
              via: 'portal',
              userName: user.userName,
              displayName: user.displayName ?? user.userName,
              account,
            },
          }),
        );
      case 'no-profile':
        return sendPage(
          reply,
          403,
          studioAccessDeniedPage({
            domainId: launch.domainId,
            applicationName: launch.applicationName,
            account,
          }),
        );
      default:
        request.log.info({ domainId, userId: user.userId, reason: launch.reason }, 'studio launch refused');
        return sendPage(reply, 403, forbiddenApplicationPage(account));
    }
  });
};
