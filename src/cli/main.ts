import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../config.js';
import { AccountMismatchError } from '../modules/accounts/accounts.service.js';
import { serve } from './serve.js';

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number');
  return n;
};

/** The `studio-sso` command. */
export const runCli = async (argv: string[]): Promise<void> => {
  const program = new Command('studio-sso').description(
    'Self-hosted, AWS-compatible IAM Identity Center with SageMaker Studio onboarding',
  );
  program
    .command('serve', { isDefault: true })
    .description('run the server (the AWS APIs, the portal and the console)')
    .option('--port <port>', 'port to listen on (PORT, default 4500)', port)
    .option('--host <host>', 'address to listen on (HOST, default 127.0.0.1)')
    .option('--data <dir>', 'directory of the embedded database (STUDIO_SSO_DATA, default ./.studio-sso)')
    .action(async (options: { port?: number; host?: string; data?: string }) => {
      await serve(options);
    });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof AccountMismatchError) {
      process.stderr.write(`studio-sso: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
};
