import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../src/aws/sigv4-canonical.js';
import { AdminApiError, AdminClient } from '../../src/cli/admin-client.js';
import { runStudioSso } from '../support/run-cli.js';
import { newTestCredentials, startTestServer, type TestServer } from '../support/test-server.js';

describe('the admin API and the studio-sso commands that use it', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('signs exactly as the AWS SDK signs', async () => {
    const credentials = newTestCredentials();
    const url = new URL('http://127.0.0.1:4500/admin/v1/groups?b=2&a=x%20y');
    const date = new Date('2026-12-04T10:00:00Z');
    const body = '{"hello":"world"}';
    const contentHash = createHash('sha256').update(body).digest('hex');
    const ours = signRequest(
      {
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json', 'x-amz-content-sha256': contentHash },
        body,
      },
      credentials,
      'eu-west-1',
      'studio-sso',
      date,
    );
    const sdk = await new SignatureV4({
      credentials,
      region: 'eu-west-1',
      service: 'studio-sso',
      sha256: Sha256,
    }).sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: 4500,
        path: '/admin/v1/groups',
        query: { b: '2', a: 'x y' },
        headers: { host: url.host, 'content-type': 'application/json' },
        body,
      },
      { signingDate: date },
    );
    const signature = (h: string | undefined) => /Signature=([0-9a-f]+)/.exec(h ?? '')?.[1];
    expect(signature(ours.authorization)).toBe(signature(sdk.headers.authorization));
  });

  it('answers whoami through the built command', async () => {
    const result = await runStudioSso(server, ['whoami', '--json']);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      accountId: server.accountId,
      region: server.region,
      principalArn: `arn:aws:iam::${server.accountId}:root`,
    });
  });

  it('refuses unsigned, badly signed and wrongly scoped requests', async () => {
    const unsigned = await fetch(`${server.url}/admin/v1/whoami`);
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error: { code: 'MISSING_AUTHENTICATION' } });

    const stranger = new AdminClient({
      endpoint: server.url,
      region: server.region,
      credentials: newTestCredentials(),
    });
    const refused = await stranger.get('/whoami').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AdminApiError);
    expect((refused as AdminApiError).code).toBe('UNRECOGNIZED_CLIENT');

    // An AWS-scoped signature is not an admin signature.
    const url = new URL(`${server.url}/admin/v1/whoami`);
    const awsHeaders = signRequest(
      { method: 'GET', url, headers: {}, body: '' },
      server.credentials,
      server.region,
      'sso',
    );
    delete awsHeaders.host;
    const awsScoped = await fetch(url, { headers: awsHeaders });
    expect(awsScoped.status).toBe(401);
    expect(await awsScoped.json()).toMatchObject({ error: { code: 'INVALID_SIGNATURE' } });
    const bad = await fetch(url, { headers: { authorization: 'AWS4-HMAC-SHA256 nonsense' } });
    expect(bad.status).toBe(401);
  });

  it('prints a clear message when the server cannot be reached or no key is set', async () => {
    const unreachable = await runStudioSso({ ...server, url: 'http://127.0.0.1:1' }, ['whoami']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('cannot reach studio-sso at http://127.0.0.1:1');
    const noKey = await runStudioSso({ ...server, credentials: { accessKeyId: '', secretAccessKey: '' } }, [
      'whoami',
    ]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
  });
});
