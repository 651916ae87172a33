import type { Command } from 'commander';
import type { MfaResponse } from '../web/admin/portal.routes.js';
import type {
  AddUserResponse,
  InvitationResponse,
  UserOnboardingResponse,
} from '../web/admin/users.routes.js';
import type { AdminClient } from './admin-client.js';
import { at, print, userPath, who } from './users-format.js';
import { registerUserLifecycle } from './users-lifecycle.js';

const delivery = (invitation: InvitationResponse): string => {
  const d = invitation.delivery;
  if (d === undefined) return 'no mail';
  const attempts = `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`;
  if (d.state === 'failed') {
    return `mail failed (${attempts}${d.nextAttemptAt === undefined ? ', given up' : `, next try ${at(d.nextAttemptAt)}`}): ${d.lastError ?? ''}`;
  }
  if (d.state === 'kept') return 'mail in the outbox (no SMTP_URL): studio-sso outbox';
  if (d.state === 'sent') return `mail sent ${at(d.sentAt)}`;
  return 'mail queued';
};

const invitationLine = (invitation: InvitationResponse): string => {
  const when =
    invitation.state === 'accepted'
      ? `accepted ${at(invitation.acceptedAt)}`
      : invitation.state === 'revoked'
        ? `${invitation.revokedReason === 'replaced' ? 'replaced' : 'revoked'} ${at(invitation.revokedAt)}`
        : `${invitation.state === 'expired' ? 'expired' : 'valid until'} ${at(invitation.expiresAt)}`;
  return `  ${invitation.state.padEnd(8)} sent ${at(invitation.createdAt)}, ${when}; ${delivery(invitation)}`;
};

const STATUS_TEXT: Record<UserOnboardingResponse['status'], string> = {
  active: 'active: has chosen a password',
  invited: 'invited: the invitation is pending',
  'invitation-expired': 'invitation expired: resend it (studio-sso users resend-invitation)',
  'one-time-password': 'one-time password: must choose a password at first sign-in',
  'one-time-password-expired':
    'one-time password expired: generate a new one (studio-sso users one-time-password)',
  'no-password': 'no password: send an invitation or generate a one-time password',
};

/**
 * `studio-sso users …`: adding users with a password choice (as the console's "Add user"), their
 * onboarding state, invitations and one-time passwords; disabling, enabling, signing out and
 * deleting them are in users-lifecycle.ts.
 */
export const registerUsers = (program: Command, client: () => AdminClient): void => {
  const users = program.command('users').description('users: add with an invitation or a one-time password');

  users
    .command('add')
    .description('create a user and send an invitation e-mail or generate a one-time password')
    .requiredOption('--user-name <name>', 'the user name (cannot be changed later)')
    .requiredOption('--email <address>', 'the e-mail address')
    .requiredOption('--given-name <name>', 'first name')
    .requiredOption('--family-name <name>', 'last name')
    .requiredOption('--display-name <name>', 'display name')
    .option('--group <groups...>', 'add the user to these groups (display names or IDs)')
    .option('--send-email', 'send an invitation e-mail with a link to set a password')
    .option('--one-time-password', 'generate a one-time password to hand over (shown once)')
    .option('--identity-store-id <id>', "the identity store (default: your instance's)")
    .option('--json', 'print JSON')
    .action(
      async (
        options: {
          userName: string;
          email: string;
          givenName: string;
          familyName: string;
          displayName: string;
          group?: string[];
          sendEmail?: boolean;
          oneTimePassword?: boolean;
          identityStoreId?: string;
          json?: boolean;
        },
        command: Command,
      ) => {
        if (options.sendEmail === options.oneTimePassword) {
          command.error(
            'studio-sso: choose how the user gets a password: --send-email or --one-time-password',
          );
        }
        const added = await client().post<AddUserResponse>('/users', {
          userName: options.userName,
          email: options.email,
          givenName: options.givenName,
          familyName: options.familyName,
          displayName: options.displayName,
          groups: options.group,
          passwordSetup: options.sendEmail === true ? 'send-email' : 'one-time-password',
          identityStoreId: options.identityStoreId,
        });
        print(options.json, added, () => {
          const lines = [`Created ${who(added.user)}, user ID ${added.user.userId}`];
          if (added.groupIds.length > 0)
            lines.push(`Member of ${added.groupIds.length} group(s): ${added.groupIds.join(', ')}`);
          if (added.invitation !== undefined) {
            lines.push(
              `Invitation sent to ${added.user.email ?? 'the user'}, valid until ${at(added.invitation.expiresAt)}; ${delivery(added.invitation)}`,
            );
          }
          if (added.oneTimePassword !== undefined) {
            lines.push(
              '',
              `One-time password (shown only now): ${added.oneTimePassword.password}`,
              `Valid until ${at(added.oneTimePassword.expiresAt)}. Give the user:`,
              `  portal:    ${added.portalUrl}`,
              `  user name: ${added.user.userName}`,
              '  and this password; they choose their own at first sign-in.',
            );
          }
          return `${lines.join('\n')}\n`;
        });
      },
    );

  users
    .command('show <user>')
    .description('a user (ID or user name), where they stand with signing in, and their invitations')
    .option('--identity-store-id <id>', "the identity store (default: your instance's)")
    .option('--json', 'print JSON')
    .action(async (user: string, options: { identityStoreId?: string; json?: boolean }) => {
      const shown = await client().get<UserOnboardingResponse>(userPath(user), {
        identityStoreId: options.identityStoreId,
      });
      print(options.json, shown, () => {
        const password = shown.password;
        const lines = [
          who(shown.user),
          `  user ID:   ${shown.user.userId}`,
          `  status:    ${STATUS_TEXT[shown.status]}`,
          `  password:  ${
            !password.hasPassword
              ? 'none'
              : password.kind === 'one-time'
                ? `one-time, valid until ${at(password.expiresAt)}`
                : `set ${at(password.setAt)}`
          }`,
          `  portal:    ${shown.portalUrl}`,
        ];
        if (shown.invitations.length > 0)
          lines.push('Invitations (newest first):', ...shown.invitations.map(invitationLine));
        return `${lines.join('\n')}\n`;
      });
    });

  users
    .command('invitations <user>')
    .description("a user's invitations with their states and mail delivery")
    .option('--identity-store-id <id>', "the identity store (default: your instance's)")
    .option('--json', 'print JSON')
    .action(async (user: string, options: { identityStoreId?: string; json?: boolean }) => {
      const { invitations } = await client().get<{ invitations: InvitationResponse[] }>(
        `${userPath(user)}/invitations`,
        {
          identityStoreId: options.identityStoreId,
        },
      );
      print(options.json, invitations, () =>
        invitations.length === 0
          ? `${user} has no invitations.\n`
          : `${invitations.map(invitationLine).join('\n')}\n`,
      );
    });

  users
    .command('resend-invitation <user>')
    .description('send a new invitation (the previous link stops working)')
    .option('--identity-store-id <id>', "the identity store (default: your instance's)")
    .option('--json', 'print JSON')
    .action(async (user: string, options: { identityStoreId?: string; json?: boolean }) => {
      const invitation = await client().request<InvitationResponse>(
        'POST',
        `${userPath(user)}/invitations`,
        undefined,
        { identityStoreId: options.identityStoreId },
      );
      print(options.json, invitation, () => `New invitation for ${user}:\n${invitationLine(invitation)}\n`);
    });

  users
    .command('revoke-invitation <user>')
    .description("revoke the user's pending invitation")
    .option('--identity-store-id <id>', "the identity store (default: your instance's)")
    .action(async (user: string, options: { identityStoreId?: string }) => {
      await client().request('DELETE', `${userPath(user)}/invitations`, undefined, {
        identityStoreId: options.identityStoreId,
      });
      process.stdout.write(`The pending invitation of ${user} is revoked; its link no longer works.\n`);
    });

  users
    .command('one-time-password <user>')
    .description(
      'generate a new one-time password (shown once; pending invitations stop working and portal sessions end)',
    )
    .option('--identity-store-id <id>', "the identity store (default: your instance's)")
    .option('--json', 'print JSON')
    .action(async (user: string, options: { identityStoreId?: string; json?: boolean }) => {
      const otp = await client().request<{ password: string; expiresAt: string; portalUrl: string }>(
        'POST',
        `${userPath(user)}/one-time-password`,
        undefined,
        { identityStoreId: options.identityStoreId },
      );
      print(
        options.json,
        otp,
        () =>
          `One-time password for ${user} (shown only now): ${otp.password}\nValid until ${at(otp.expiresAt)}; the user signs in at ${otp.portalUrl} and chooses a new password.\nTheir access portal sessions have ended: whoever was signed in as ${user} must sign in again.\n`,
      );
    });

  registerUserLifecycle(users, client);

  const mfaLine = (mfa: MfaResponse): string =>
    mfa.enrolled
      ? `${mfa.userName}: authenticator app registered ${at(mfa.activatedAt)}; ${mfa.recoveryCodesLeft} recovery codes left\n`
      : `${mfa.userName}: no authenticator app registered\n`;

  users
    .command('mfa <user>')
    .description("a user's multi-factor authentication: authenticator app and recovery codes")
    .option('--identity-store-id <id>', "the identity store (default: your instance's)")
    .option('--json', 'print JSON')
    .action(async (user: string, options: { identityStoreId?: string; json?: boolean }) => {
      const mfa = await client().get<MfaResponse>(`${userPath(user)}/mfa`, {
        identityStoreId: options.identityStoreId,
      });
      print(options.json, mfa, () => mfaLine(mfa));
    });

  users
    .command('reset-mfa <user>')
    .description("remove a user's authenticator app and recovery codes (a lost device)")
    .option('--identity-store-id <id>', "the identity store (default: your instance's)")
    .option('--json', 'print JSON')
    .action(async (user: string, options: { identityStoreId?: string; json?: boolean }) => {
      const reset = await client().request<MfaResponse & { removed: boolean }>(
        'DELETE',
        `${userPath(user)}/mfa`,
        undefined,
        { identityStoreId: options.identityStoreId },
      );
      print(options.json, reset, () =>
        reset.removed
          ? `Removed the authenticator app of ${reset.userName}. If MFA is required, they register a new one at their next sign-in.\n`
          : `${reset.userName} had no authenticator app.\n`,
      );
    });
};
