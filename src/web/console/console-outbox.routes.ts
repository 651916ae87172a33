import type { ConsoleServices } from './console.routes.js';
import { type ConsoleKit, describeError, queryText } from './console-kit.js';
import { outboxPage } from './console-outbox-pages.js';
import { CONSOLE_PATHS } from './console-paths.js';

const PAGE_SIZE = 25;

/** Identity Center → Outbox: every message with its delivery state and link, newest first, paged. */
export const registerConsoleOutboxPages = (
  kit: ConsoleKit,
  services: Pick<ConsoleServices, 'outbox'>,
): void => {
  kit.adminGet(CONSOLE_PATHS.outbox, async (request, reply, admin) => {
    const to = queryText(request, 'to', 320);
    const next = queryText(request, 'next', 2048) || undefined;
    try {
      const page = await services.outbox.listMessages({ to, nextToken: next, limit: PAGE_SIZE });
      return kit.send(
        reply,
        200,
        outboxPage({ viewer: admin, to, messages: page.items, nextToken: page.nextToken }),
      );
    } catch (error) {
      // A page token of another listing (the filter changed): said in words, nothing listed.
      return kit.send(
        reply,
        400,
        outboxPage({ viewer: admin, to, messages: [], problem: describeError(error) }),
      );
    }
  });
};
