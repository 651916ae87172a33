import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateInstanceCommand, ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../support/server-process.js';
import { signedHeaders } from '../support/signed-fetch.js';
import { newTestCredentials } from '../support/test-server.js';

describe('the studio-sso serve process', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'studio-sso-lifecycle-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('generates a root key once, prints it, and keeps data and key across restarts', async () => {
    const first = await startServerProcess({ STUDIO_SSO_DATA: dataDir });
    const printed = /access key:\s+(AKIA[A-Z0-9]{16})\n\s+secret:\s+(\S+)/.exec(first.output());
    expect(printed).not.toBeNull();
    const credentials = { accessKeyId: printed?.[1] ?? '', secretAccessKey: printed?.[2] ?? '' };
    const client = new SSOAdminClient({
      endpoint: first.url,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });
    const { InstanceArn } = await client.send(new CreateInstanceCommand({ Name: 'kept' }));
    client.destroy();
    expect(await first.stop()).toBe(0);

    const second = await startServerProcess({ STUDIO_SSO_DATA: dataDir });
    expect(second.output()).toContain(`access key:  ${credentials.accessKeyId}`);
    const again = new SSOAdminClient({
      endpoint: second.url,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });
    const { Instances } = await again.send(new ListInstancesCommand({}));
    again.destroy();
    expect(Instances?.map((i) => i.InstanceArn)).toEqual([InstanceArn]);
    expect(await second.stop()).toBe(0);
  });

  it('finishes a request in flight when told to stop, and takes no new ones', async () => {
    const credentials = newTestCredentials();
    const server = await startServerProcess({
      STUDIO_SSO_DATA: dataDir,
      STUDIO_SSO_ROOT_ACCESS_KEY_ID: credentials.accessKeyId,
      STUDIO_SSO_ROOT_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    });
    const body = JSON.stringify({ Name: 'arrives-during-shutdown' });
    const headers = await signedHeaders({
      url: server.url,
      credentials,
      service: 'sso',
      target: 'SWBExternalService.UpdateInstance',
      body,
    });
    // Half the body now, SIGTERM, then the rest: the server must still answer this request.
    const { port } = new URL(server.url);
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      request.on('error', reject);
      request.write(body.slice(0, 10));
      setTimeout(() => {
        exit = server.stop();
        setTimeout(() => request.end(body.slice(10)), 300);
      }, 300);
    });
    let exit: Promise<number | null> | undefined;
    const answered = await response;
    // The call reached the service: the instance ARN is missing, so a well-formed AWS error.
    expect(answered.status).toBe(400);
    expect(JSON.parse(answered.text).__type).toBe('ValidationException');
    expect(await exit).toBe(0);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });

  it('refuses bad configuration with a message naming the setting', async () => {
    await expect(
      startServerProcess({ STUDIO_SSO_DATA: dataDir, STUDIO_SSO_ACCOUNT_ID: '12' }),
    ).rejects.toThrow(/STUDIO_SSO_ACCOUNT_ID must be 12 digits/);
    await expect(
      startServerProcess({ STUDIO_SSO_DATA: dataDir, STUDIO_SSO_ACCOUNT_ID: '111122223333' }),
    ).rejects.toThrow(/this database belongs to account \d{12}, but STUDIO_SSO_ACCOUNT_ID is 111122223333/);
  });
});
