import { type Command, InvalidArgumentError } from 'commander';
import type { SettingsResponse } from '../web/admin/settings.routes.js';
import type { AdminClient } from './admin-client.js';

const whole = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('must be a whole number');
  return n;
};

const onOff = (value: string): boolean => {
  if (value === 'on' || value === 'true') return true;
  if (value === 'off' || value === 'false') return false;
  throw new InvalidArgumentError('must be on or off');
};

const show = (response: SettingsResponse): string => {
  const s = response.settings;
  return [
    `Settings of instance ${response.instanceId}:`,
    `  invitation validity:      ${s.invitationValidityDays} days (invitation links and one-time passwords)`,
    `  send e-mail OTP:          ${s.sendEmailOtp ? 'on' : 'off'} (users created through the API get a code at first sign-in)`,
    `  portal session duration:  ${s.sessionDurationHours} hours`,
    `  minimum password length:  ${s.minimumPasswordLength} characters`,
    `  MFA required:             ${s.mfaRequired ? 'on (every sign-in asks for an authenticator code)' : 'off'}`,
    '',
  ].join('\n');
};

/** `studio-sso settings [set …]`: the settings of your IAM Identity Center instance. */
export const registerSettings = (program: Command, client: () => AdminClient): void => {
  const settings = program.command('settings').description('settings of your IAM Identity Center instance');
  settings
    .command('show', { isDefault: true })
    .description('show the settings')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const response = await client().get<SettingsResponse>('/settings');
      process.stdout.write(options.json ? `${JSON.stringify(response, null, 2)}\n` : show(response));
    });
  settings
    .command('set')
    .description('change settings')
    .option(
      '--invitation-validity-days <days>',
      'how long invitations and one-time passwords stay valid (1-90)',
      whole,
    )
    .option(
      '--send-email-otp <on|off>',
      'e-mail a code at the first sign-in of users created through the API',
      onOff,
    )
    .option('--session-duration-hours <hours>', 'length of an access portal session (1-2160)', whole)
    .option('--minimum-password-length <n>', 'shortest password accepted (8-64)', whole)
    .option(
      '--mfa-required <on|off>',
      'require an authenticator app code at every sign-in (users register one at the next sign-in)',
      onOff,
    )
    .option('--json', 'print JSON')
    .action(
      async (
        options: {
          invitationValidityDays?: number;
          sendEmailOtp?: boolean;
          sessionDurationHours?: number;
          minimumPasswordLength?: number;
          mfaRequired?: boolean;
          json?: boolean;
        },
        command: Command,
      ) => {
        const { json, ...changes } = options;
        if (Object.keys(changes).length === 0)
          command.error('studio-sso: name at least one setting to change');
        const response = await client().request<SettingsResponse>('PATCH', '/settings', changes);
        process.stdout.write(json ? `${JSON.stringify(response, null, 2)}\n` : show(response));
      },
    );
};
