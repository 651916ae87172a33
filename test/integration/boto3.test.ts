import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

const SCRIPT = path.join(import.meta.dirname, 'clients', 'boto3_smoke.py');

const runPython = (env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile('python3', [SCRIPT], { env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    );
  });

describe('boto3', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('drives organizations, sso-admin and identitystore, with paginators and errors', async () => {
    const run = await runPython(server.cliEnv());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.organization).toBe(server.accountId);
    expect(result.store).toMatch(/^d-[0-9a-f]{10}$/);
    expect(result.paged_users).toEqual(Array.from({ length: 7 }, (_, i) => `py-user-${i}`));
    expect(result.user_id_by_email).toBe(true);
    expect(result.duplicate).toEqual(['ConflictException', 'Duplicate UserName']);
    expect(result.missing).toBe('ResourceNotFoundException');
  });
});
