import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { TestCredentials } from './test-server.js';

export interface RawCall {
  url: string;
  credentials: TestCredentials;
  region?: string;
  /** Credential-scope service name (identitystore, sso, organizations, …). */
  service?: string;
  target?: string;
  body?: string;
  contentType?: string;
  signingDate?: Date;
  headers?: Record<string, string>;
  /** Change the request after signing: tamper tests. */
  afterSigning?: (request: { headers: Record<string, string>; body: string }) => void;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

/** The headers the SDK's own SigV4 signer puts on this call (host included). */
export const signedHeaders = async (call: RawCall): Promise<Record<string, string>> => {
  const url = new URL(call.url);
  const body = call.body ?? '{}';
  const request = {
    method: 'POST',
    protocol: url.protocol,
    query: {},
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: {
      host: url.host,
      'content-type': call.contentType ?? 'application/x-amz-json-1.1',
      ...(call.target !== undefined ? { 'x-amz-target': call.target } : {}),
      ...call.headers,
    },
    body,
  };
  const signer = new SignatureV4({
    credentials: call.credentials,
    region: call.region ?? 'us-east-1',
    service: call.service ?? 'identitystore',
    sha256: Sha256,
  });
  const signed = await signer.sign(request, { signingDate: call.signingDate ?? new Date() });
  return { ...(signed.headers as Record<string, string>) };
};

/** Signs with the SDK's own SigV4 signer and sends with fetch: the wire exactly as a client makes it. */
export const signedFetch = async (call: RawCall): Promise<RawResponse> => {
  const body = call.body ?? '{}';
  const sent = { headers: await signedHeaders(call), body };
  call.afterSigning?.(sent);
  delete sent.headers.host;
  return rawFetch(call.url, sent.headers, sent.body);
};

export const rawFetch = async (
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<RawResponse> => {
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { raw: text };
  }
  return { status: response.status, headers: response.headers, json };
};
