import type { Command } from 'commander';
import type { SignOutResponse } from '../web/admin/portal.routes.js';
import type { DeletedUserResponse, UserStatusResponse } from '../web/admin/users.routes.js';
import type { AdminClient } from './admin-client.js';
import { plural, print, userPath, who } from './users-format.js';

interface UserOptions {
  user?: string;
  identityStoreId?: string;
  json?: boolean;
}

/**
 * `studio-sso users disable|enable|sign-out|delete`: a user's hold on the access portal, through
 * the services the console's buttons use (disabling ends the user's sessions in the same
 * transaction; deleting takes memberships, direct assignments, password and sessions with it).
 */
export const registerUserLifecycle = (users: Command, client: () => AdminClient): void => {
  /** A command on one user, named by `--user` or (as the older commands take it) positionally. */
  const userCommand = (
    name: string,
    description: string,
    run: (user: string, options: UserOptions) => Promise<void>,
  ): void => {
    users
      .command(`${name} [user]`)
      .description(description)
      .option('--user <user>', 'the user (user name or ID)')
      .option('--identity-store-id <id>', "the identity store (default: your instance's)")
      .option('--json', 'print JSON')
      .action(async (positional: string | undefined, options: UserOptions, command: Command) => {
        const user = options.user ?? positional;
        if (user === undefined)
          command.error(`studio-sso: name the user: studio-sso users ${name} --user <user>`);
        await run(user, options);
      });
  };

  const setStatus = async (user: string, status: 'ENABLED' | 'DISABLED', options: UserOptions) =>
    client().request<UserStatusResponse>(
      'PUT',
      `${userPath(user)}/status`,
      { status },
      { identityStoreId: options.identityStoreId },
    );

  userCommand(
    'disable',
    'disable a user: they cannot sign in, and every access portal session of theirs ends now',
    async (user, options) => {
      const changed = await setStatus(user, 'DISABLED', options);
      print(
        options.json,
        changed,
        () =>
          `${changed.user.userName} is disabled and cannot sign in; ended ${plural(changed.sessionsEnded, 'session')}.\n`,
      );
    },
  );

  userCommand('enable', 'enable a disabled user: they can sign in again', async (user, options) => {
    const changed = await setStatus(user, 'ENABLED', options);
    print(options.json, changed, () => `${changed.user.userName} is enabled and can sign in again.\n`);
  });

  userCommand(
    'sign-out',
    'end every access portal session of a user now (the user must sign in again)',
    async (user, options) => {
      const ended = await client().request<SignOutResponse>('POST', `${userPath(user)}/sign-out`, undefined, {
        identityStoreId: options.identityStoreId,
      });
      print(
        options.json,
        ended,
        () =>
          `Ended ${plural(ended.sessionsEnded, 'session')} of ${ended.userName}; they must sign in again.\n`,
      );
    },
  );

  userCommand(
    'delete',
    'delete a user with their group memberships, direct assignments, invitations, password, MFA and sessions (cannot be undone)',
    async (user, options) => {
      const deleted = await client().request<DeletedUserResponse>('DELETE', userPath(user), undefined, {
        identityStoreId: options.identityStoreId,
      });
      print(options.json, deleted, () =>
        [
          `Deleted ${who(deleted.user)}, user ID ${deleted.user.userId}.`,
          'Their group memberships, direct application assignments, invitations, password, MFA and',
          'portal sessions went with them. Their SageMaker Studio user profiles (if any) stay in their',
          'domains: remove them with `aws sagemaker delete-user-profile` if no longer needed.',
          '',
        ].join('\n'),
      );
    },
  );
};
