import { execFile } from 'node:child_process';
import path from 'node:path';
import type { TestServer } from './test-server.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/studio-sso.js');

export interface StudioSsoResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `studio-sso` command (as a user would) against a test server. */
export const runStudioSso = (
  server: Pick<TestServer, 'url' | 'credentials' | 'region'>,
  args: string[],
): Promise<StudioSsoResult> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        env: {
          PATH: process.env.PATH,
          AWS_ENDPOINT_URL: server.url,
          AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
          AWS_DEFAULT_REGION: server.region,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
          stdout,
          stderr,
        }),
    );
  });
