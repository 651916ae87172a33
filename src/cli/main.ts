import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadClientConfig } from '../config.js';
import { AccountMismatchError } from '../modules/accounts/accounts.service.js';
import { registerAdmin } from './admin.js';
import { AdminApiError, AdminClient } from './admin-client.js';
import { registerExplainAccess } from './explain-access.js';
import { registerGroups } from './groups.js';
import { registerOrganization } from './organization.js';
import { registerOutbox } from './outbox.js';
import { serve } from './serve.js';
import { registerSettings } from './settings.js';
import { registerStudio } from './studio.js';
import { registerUsers } from './users.js';
import { registerWhoAmI } from './whoami.js';

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number');
  return n;
};

/**
 * The `studio-sso` command. `serve` runs the server; every other command talks to a running
 * server through its signed admin API, with the key pair in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.
 */
export const runCli = async (argv: string[]): Promise<void> => {
  const program = new Command('studio-sso')
    .description('Self-hosted, AWS-compatible IAM Identity Center with SageMaker Studio onboarding')
    .option(
      '--endpoint <url>',
      'server to talk to (STUDIO_SSO_ENDPOINT or AWS_ENDPOINT_URL, default http://127.0.0.1:4500)',
    );
  program
    .command('serve', { isDefault: true })
    .description('run the server (the AWS APIs, the portal and the console)')
    .option('--port <port>', 'port to listen on (PORT, default 4500)', port)
    .option('--host <host>', 'address to listen on (HOST, default 127.0.0.1)')
    .option('--data <dir>', 'directory of the embedded database (STUDIO_SSO_DATA, default ./.studio-sso)')
    .option(
      '--tls-cert <file>',
      'serve HTTPS with this PEM certificate (STUDIO_SSO_TLS_CERT; with --tls-key)',
    )
    .option('--tls-key <file>', 'the PEM private key of --tls-cert (STUDIO_SSO_TLS_KEY)')
    .option(
      '--trust-proxy [proxies]',
      'behind a TLS proxy: trust its X-Forwarded-Proto/-For (any peer, or these addresses/CIDRs; STUDIO_SSO_TRUST_PROXY)',
    )
    .action(
      async (options: {
        port?: number;
        host?: string;
        data?: string;
        tlsCert?: string;
        tlsKey?: string;
        trustProxy?: boolean | string;
      }) => {
        await serve(options);
      },
    );

  // Built on first use, so `serve` and `--help` need no credentials.
  const client = () =>
    new AdminClient(
      loadClientConfig(undefined, { endpoint: program.opts<{ endpoint?: string }>().endpoint }),
    );
  registerWhoAmI(program, client);
  registerExplainAccess(program, client);
  registerGroups(program, client);
  registerUsers(program, client);
  registerOutbox(program, client);
  registerSettings(program, client);
  registerOrganization(program, client);
  registerStudio(program, client);
  registerAdmin(program, client);

  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof AccountMismatchError) {
      process.stderr.write(`studio-sso: ${error.message}\n`);
      process.exit(2);
    }
    if (error instanceof AdminApiError) {
      process.stderr.write(
        `studio-sso: ${error.message}${error.code === 'UNREACHABLE' ? '' : ` (${error.code})`}\n`,
      );
      process.exit(1);
    }
    throw error;
  }
};
