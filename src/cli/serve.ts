import { type ConfigOverrides, loadConfig } from '../config.js';
import { startServer } from '../main.js';

/** `studio-sso serve`: runs the server until SIGTERM or SIGINT, then shuts down gracefully. */
export const serve = async (overrides: ConfigOverrides): Promise<void> => {
  const config = loadConfig(undefined, overrides);
  const server = await startServer(config);
  const { account, rootKey, rootKeyPinned } = server.app.bootstrap;
  const storage =
    config.databaseUrl !== undefined ? 'PostgreSQL (DATABASE_URL)' : `SQLite in ${config.dataDir}`;
  const secret = rootKeyPinned ? '(from STUDIO_SSO_ROOT_SECRET_ACCESS_KEY)' : rootKey.secretAccessKey;
  const lines = [
    `studio-sso listening on ${server.url}`,
    `  storage:     ${storage}`,
    `  account:     ${account.accountId}   region: ${config.region}`,
    `  access key:  ${rootKey.accessKeyId}`,
    `  secret:      ${secret}`,
    '',
    `  export AWS_ENDPOINT_URL=${server.url}`,
    `  export AWS_ACCESS_KEY_ID=${rootKey.accessKeyId}`,
    ...(rootKeyPinned ? [] : [`  export AWS_SECRET_ACCESS_KEY=${rootKey.secretAccessKey}`]),
    `  export AWS_DEFAULT_REGION=${config.region}`,
  ];
  const consoleAdmin = server.app.services.consoleAdmin;
  if (!(await consoleAdmin.hasPassword())) {
    const setup = await consoleAdmin.issueSetupLink();
    lines.push(
      '',
      `  console:     ${server.url}/console   (root e-mail: ${consoleAdmin.rootEmail()})`,
      `  set the root password (link works once, until ${setup.expiresAt.toISOString()}):`,
      `  ${setup.url}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  const shutdown = (signal: string) => {
    server.app.http.log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.http.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
};
