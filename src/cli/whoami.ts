import type { Command } from 'commander';
import type { AdminClient } from './admin-client.js';

interface WhoAmI {
  accountId: string;
  region: string;
  principalArn: string;
}

/** `studio-sso whoami`: which account and identity the configured key pair reaches. */
export const registerWhoAmI = (program: Command, client: () => AdminClient): void => {
  program
    .command('whoami')
    .description('show the account and identity that the AWS_* key pair signs in as')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const me = await client().get<WhoAmI>('/whoami');
      process.stdout.write(
        options.json
          ? `${JSON.stringify(me, null, 2)}\n`
          : `account ${me.accountId} (${me.region})\n${me.principalArn}\n`,
      );
    });
};
