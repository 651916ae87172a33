import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawFetch, signedFetch } from '../support/signed-fetch.js';
import { newTestCredentials, startTestServer, type TestServer } from '../support/test-server.js';

const LIST_INSTANCES = 'SWBExternalService.ListInstances';

describe('SigV4 verification and the awsJson1_1 envelope', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  const call = (overrides: Partial<Parameters<typeof signedFetch>[0]> = {}) =>
    signedFetch({
      url: server.url,
      credentials: server.credentials,
      service: 'sso',
      target: LIST_INSTANCES,
      ...overrides,
    });

  it('accepts a correctly signed call and answers in the AWS envelope', async () => {
    const response = await call();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.json).toEqual({ Instances: [] });
  });

  it('refuses unsigned calls', async () => {
    const response = await rawFetch(
      server.url,
      { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': LIST_INSTANCES },
      '{}',
    );
    expect(response.status).toBe(403);
    expect(response.json).toMatchObject({
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
  });

  it('refuses an unknown access key', async () => {
    const response = await call({ credentials: newTestCredentials() });
    expect(response.status).toBe(403);
    expect(response.json.__type).toBe('UnrecognizedClientException');
    expect(response.json.message).toBe('The security token included in the request is invalid.');
  });

  it('refuses a wrong secret', async () => {
    const response = await call({ credentials: { ...server.credentials, secretAccessKey: 'wrong-secret' } });
    expect(response.status).toBe(403);
    expect(response.json.__type).toBe('InvalidSignatureException');
    expect(response.json.message).toMatch(/^The request signature we calculated does not match/);
  });

  it('refuses a signature older or newer than 15 minutes, and accepts 14', async () => {
    const old = await call({ signingDate: new Date(Date.now() - 16 * 60 * 1000) });
    expect(old.status).toBe(403);
    expect(old.json.__type).toBe('InvalidSignatureException');
    expect(old.json.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than/);
    const future = await call({ signingDate: new Date(Date.now() + 16 * 60 * 1000) });
    expect(future.json.message).toMatch(/^Signature not yet current/);
    expect((await call({ signingDate: new Date(Date.now() - 14 * 60 * 1000) })).status).toBe(200);
  });

  it('refuses a body changed after signing, even with the original content hash header', async () => {
    const response = await call({
      target: 'SWBExternalService.CreateInstance',
      body: '{"Name":"signed"}',
      afterSigning: (request) => {
        request.body = '{"Name":"tampered"}';
      },
    });
    expect(response.status).toBe(403);
    expect(response.json.__type).toBe('InvalidSignatureException');
    const listed = await call();
    expect(listed.json).toEqual({ Instances: [] });
  });

  it('refuses a request that lacks a header it signed, or changes a signed header', async () => {
    const missing = await call({
      headers: { 'x-custom-signed': 'yes' },
      afterSigning: (request) => {
        delete request.headers['x-custom-signed'];
      },
    });
    expect(missing.status).toBe(403);
    expect(missing.json.__type).toBe('InvalidSignatureException');
    const retargeted = await call({
      afterSigning: (request) => {
        request.headers['x-amz-target'] = 'SWBExternalService.CreateInstance';
      },
    });
    expect(retargeted.status).toBe(403);
  });

  it('refuses a credential scoped to another service', async () => {
    const response = await call({ service: 'identitystore' });
    expect(response.status).toBe(403);
    expect(response.json.message).toContain("Credential should be scoped to correct service: 'sso'");
  });

  it('answers protocol errors with AWS codes, never a 500', async () => {
    const unknown = await call({ target: 'SWBExternalService.DoSomethingElse' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.__type).toBe('UnknownOperationException');

    const noTarget = await call({ target: undefined });
    expect(noTarget.status).toBe(400);
    expect(noTarget.json.__type).toBe('UnknownOperationException');

    const malformed = await call({ body: '{"MaxResults": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.__type).toBe('SerializationException');

    const notObject = await call({ body: '[1,2]' });
    expect(notObject.json.__type).toBe('SerializationException');

    const wrongType = await call({ body: '{"MaxResults":"ten"}' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.__type).toBe('SerializationException');

    const contentType = await call({ contentType: 'text/plain' });
    expect(contentType.status).toBe(400);
    expect(contentType.json.__type).toBe('SerializationException');

    const huge = await call({ body: JSON.stringify({ Name: 'x'.repeat(2 * 1024 * 1024) }) });
    expect(huge.status).toBe(413);
    expect(huge.json.__type).toBe('RequestEntityTooLargeException');

    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
  });

  it('validates input against the model in AWS words', async () => {
    const response = await call({ body: '{"MaxResults":0,"NextToken":"!!"}' });
    expect(response.status).toBe(400);
    expect(response.json.__type).toBe('ValidationException');
    expect(response.json.message).toBe(
      "2 validation errors detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1; Value '!!' at 'nextToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [-a-zA-Z0-9+=/_]*",
    );
  });
});
