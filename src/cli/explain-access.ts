import type { Command } from 'commander';
import { formatExplanation } from '../modules/access/explain-text.js';
import type { ExplainAccessResponse } from '../web/admin/access.routes.js';
import type { AdminClient } from './admin-client.js';

/** `studio-sso explain-access`: the access decision for one user and one application, and why. */
export const registerExplainAccess = (program: Command, client: () => AdminClient): void => {
  program
    .command('explain-access')
    .description('explain whether a user may open an application, and through which path')
    .requiredOption('--user <user>', 'user name or user ID')
    .requiredOption('--application <application>', 'application name or ARN')
    .option('--json', 'print the decision as JSON')
    .action(async (options: { user: string; application: string; json?: boolean }) => {
      const answer = await client().get<ExplainAccessResponse>('/access/explain', {
        user: options.user,
        application: options.application,
      });
      process.stdout.write(options.json ? `${JSON.stringify(answer, null, 2)}\n` : formatExplanation(answer));
    });
};
