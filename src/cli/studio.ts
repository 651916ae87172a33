import type { Command } from 'commander';
import type { SsoProfileResponse } from '../web/admin/studio.routes.js';
import type { AdminClient } from './admin-client.js';

/**
 * `studio-sso studio …`: SageMaker Studio as the console does it. `add-profile` creates the user
 * profile of an IAM Identity Center user and, when the user is not yet allowed to use the domain's
 * application, assigns the user to it first: both or neither.
 */
export const registerStudio = (program: Command, client: () => AdminClient): void => {
  const studio = program.command('studio').description('SageMaker Studio domains and user profiles');
  studio
    .command('add-profile')
    .description('create the user profile of an SSO user, assigning the user to the domain if needed')
    .requiredOption('--domain <domainId>', 'the SSO domain (d-…)')
    .requiredOption('--user <userName>', "the IAM Identity Center user's user name")
    .option('--profile-name <name>', 'the user profile name (default: from the user name)')
    .option('--json', 'print JSON')
    .action(async (options: { domain: string; user: string; profileName?: string; json?: boolean }) => {
      const created = await client().post<SsoProfileResponse>(
        `/studio/domains/${encodeURIComponent(options.domain)}/sso-profiles`,
        {
          user: options.user,
          ...(options.profileName !== undefined ? { profileName: options.profileName } : {}),
        },
      );
      process.stdout.write(
        options.json
          ? `${JSON.stringify(created, null, 2)}\n`
          : `${created.assigned ? `Assigned ${created.userName} to the domain's application (before: ${created.accessBefore}).\n` : ''}` +
              `Created user profile ${created.userProfileName} for ${created.userName} in ${created.domainId}: ${created.userProfileArn}\n`,
      );
    });
};
