import type { Command } from 'commander';
import type { EmailVerificationResponse } from '../web/admin/organization.routes.js';
import type { AdminClient } from './admin-client.js';

/** `studio-sso organization`: whether the management account's e-mail address is verified. */
export const registerOrganization = (program: Command, client: () => AdminClient): void => {
  program
    .command('organization')
    .description("the organization's management e-mail address and its verification")
    .option('--resend-verification', 'send a new verification link (the previous one stops working)')
    .option('--json', 'print JSON')
    .action(async (options: { resendVerification?: boolean; json?: boolean }) => {
      const view = options.resendVerification
        ? await client().post<EmailVerificationResponse>('/organization/email-verification', {})
        : await client().get<EmailVerificationResponse>('/organization/email-verification');
      if (options.json) {
        process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
        return;
      }
      const link = view.latestLink;
      process.stdout.write(
        [
          `Organization ${view.organizationId}, management account ${view.accountId}`,
          `  e-mail:   ${view.email}`,
          `  verified: ${view.verified ? `yes, ${view.verifiedAt}` : 'no'}`,
          ...(link === undefined
            ? []
            : [
                `  link:     ${link.state}, sent ${link.sentAt}, valid until ${link.expiresAt}${
                  link.delivery === undefined ? '' : `; mail ${link.delivery.state}`
                }`,
              ]),
          '',
        ].join('\n'),
      );
    });
};
