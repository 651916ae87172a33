import type { Command } from 'commander';
import type { ConsoleSetupLinkResponse } from '../web/admin/console.routes.js';
import type { AdminClient } from './admin-client.js';

/** `studio-sso admin …`: the console's root admin. */
export const registerAdmin = (program: Command, client: () => AdminClient): void => {
  const admin = program.command('admin').description("the console's root admin");
  admin
    .command('reset-password')
    .description('print a new one-time link that sets the root password of the console')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const link = await client().post<ConsoleSetupLinkResponse>('/console/setup-link', {});
      process.stdout.write(
        options.json
          ? `${JSON.stringify(link, null, 2)}\n`
          : `Open this link to set the console password of ${link.rootEmail} (it works once, until ${link.expiresAt}):\n${link.setupUrl}\n`,
      );
    });
};
