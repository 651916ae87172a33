import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { expect } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/core/clock.js';
import { type RunningServer, startServer } from '../../src/main.js';
import { dropSchema, TEST_DATABASE_URL, uniqueSchemaName } from './test-databases.js';

export interface TestServerOptions {
  database?: 'sqlite' | 'postgres';
  /** Reuse an existing PostgreSQL schema (a second process on the same data). */
  schema?: string;
  clock?: Clock;
  env?: Record<string, string>;
  /** Reuse a SQLite data directory (a restart on the same data); it is then not removed on close. */
  dataDir?: string;
  /** Where the server logs (default: nowhere, or TEST_LOG_LEVEL). */
  logger?: Logger;
}

export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface TestServer {
  url: string;
  region: string;
  accountId: string;
  credentials: TestCredentials;
  server: RunningServer;
  /** Configuration for any `@aws-sdk/client-*` constructor. */
  sdkConfig(): { endpoint: string; region: string; credentials: TestCredentials; maxAttempts: number };
  /** Environment for the `aws` CLI: this server, these keys, nothing from the machine. */
  cliEnv(): NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export const newTestCredentials = (): TestCredentials => ({
  accessKeyId: `AKIATEST${randomBytes(6).toString('hex').toUpperCase()}`,
  secretAccessKey: randomBytes(30).toString('base64'),
});

/** Starts the real server (src/main.ts) on port 0 with its own database. */
export const startTestServer = async (options: TestServerOptions = {}): Promise<TestServer> => {
  const credentials = newTestCredentials();
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'studio-sso-test-')));
  const schema = options.database === 'postgres' ? (options.schema ?? uniqueSchemaName()) : undefined;
  const region = 'us-east-1';
  const config = loadConfig({
    PORT: '0',
    STUDIO_SSO_DATA: dataDir,
    STUDIO_SSO_REGION: region,
    STUDIO_SSO_ROOT_ACCESS_KEY_ID: credentials.accessKeyId,
    STUDIO_SSO_ROOT_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(schema !== undefined ? { DATABASE_URL: TEST_DATABASE_URL, STUDIO_SSO_DATABASE_SCHEMA: schema } : {}),
    ...options.env,
  });
  const server = await startServer(config, {
    logger: options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    clock: options.clock,
  });
  const accountId = server.app.bootstrap.account.accountId;
  return {
    url: server.url,
    region,
    accountId,
    credentials,
    server,
    sdkConfig: () => ({ endpoint: server.url, region, credentials, maxAttempts: 1 }),
    cliEnv: () => cliEnvironment(server.url, credentials, region),
    close: async () => {
      await server.close();
      if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
      if (schema !== undefined && options.schema === undefined) await dropSchema(schema);
    },
  };
};

export const cliEnvironment = (
  url: string,
  credentials: TestCredentials,
  region: string,
): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_ENDPOINT_URL: url,
  AWS_ACCESS_KEY_ID: credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  AWS_DEFAULT_REGION: region,
  AWS_MAX_ATTEMPTS: '1',
  AWS_PAGER: '',
});

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON, when it is JSON. */
  json: unknown;
}

/**
 * How the `aws` CLI exits on a service error: 254 in CLI v2, 255 in CLI v1 (the `aws` on PATH
 * here is v1.45), which uses 255 for every failure.
 */
export const CLI_SERVICE_ERROR_EXIT = [254, 255];

/** Runs the real `aws` CLI with `--output json`. */
export const runAws = (env: NodeJS.ProcessEnv, args: string[]): Promise<CliResult> =>
  new Promise((resolve) => {
    execFile('aws', [...args, '--output', 'json'], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      let json: unknown;
      try {
        json = stdout.trim() === '' ? undefined : JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr, json });
    });
  });

/**
 * The `aws` CLI against a test server, for tests that read like a shell session: `ok` insists on
 * success and returns the JSON, `fails` insists on a service error with the given code.
 */
export const awsCli = (server: () => Pick<TestServer, 'cliEnv'>) => {
  const aws = (...args: string[]): Promise<CliResult> => runAws(server().cliEnv(), args);
  const ok = async (...args: string[]): Promise<Record<string, unknown>> => {
    const result = await aws(...args);
    expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
    return (result.json ?? {}) as Record<string, unknown>;
  };
  const fails = async (code: string, ...args: string[]): Promise<CliResult> => {
    const result = await aws(...args);
    expect(CLI_SERVICE_ERROR_EXIT, `${args.join(' ')}\n${result.stderr}`).toContain(result.code);
    expect(result.stderr).toContain(`(${code})`);
    return result;
  };
  return { aws, ok, fails };
};
