import { createHash, createHmac } from 'node:crypto';

/**
 * The parts of AWS Signature Version 4 that signing and verifying share: the canonical request,
 * the string to sign and the signing key. One implementation, so what we sign (CLI commands) and
 * what we verify (every AWS call) can never drift apart.
 */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
export const hmacSha256 = (key: string | Buffer, data: string): Buffer =>
  createHmac('sha256', key).update(data).digest();

export const deriveSigningKey = (secret: string, day: string, region: string, service: string): Buffer =>
  hmacSha256(hmacSha256(hmacSha256(hmacSha256(`AWS4${secret}`, day), region), service), 'aws4_request');

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters, upper-case hex. */
const encodeRfc3986 = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const safeDecode = (value: string): string => {
  try {
    return decodeURIComponent(value.replace(/\+/g, '%20'));
  } catch {
    return value;
  }
};

/**
 * Non-S3 services sign the path encoded twice: once by the client on the wire, once more in the
 * canonical request. Encoding the raw (already encoded) path once here gives exactly that.
 */
const canonicalUri = (rawPath: string): string =>
  rawPath === ''
    ? '/'
    : rawPath
        .split('/')
        .map((segment) => encodeRfc3986(segment))
        .join('/');

const canonicalQuery = (rawQuery: string): string =>
  rawQuery === ''
    ? ''
    : rawQuery
        .split('&')
        .filter((pair) => pair !== '')
        .map((pair) => {
          const eq = pair.indexOf('=');
          const key = eq === -1 ? pair : pair.slice(0, eq);
          const value = eq === -1 ? '' : pair.slice(eq + 1);
          return [encodeRfc3986(safeDecode(key)), encodeRfc3986(safeDecode(value))] as const;
        })
        .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
        .map(([key, value]) => `${key}=${value}`)
        .join('&');

export const headerValue = (value: string | string[] | undefined): string | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value.join(',') : value;

const INNER_WHITESPACE_RUN = /\s{2,}|[\t\n\r\f\v]/;

/** Trimmed, with inner runs of whitespace as one space; most values need no replacing at all. */
const normalizeHeaderValue = (value: string): string => {
  const trimmed = value.trim();
  return INNER_WHITESPACE_RUN.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed;
};

export const parseAmzDate = (value: string): Date | undefined => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  return Number.isNaN(date.getTime()) ? undefined : date;
};

/** `20261204T101500Z` from `2026-12-04T10:15:00.000Z`, by position rather than by regex. */
export const formatAmzDate = (date: Date): string => {
  const iso = date.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
};

export interface StringToSignInput {
  method: string;
  /** Path and query string exactly as sent (percent-encoded). */
  url: string;
  headerValue: (lowerCaseName: string) => string | undefined;
  signedHeaders: readonly string[];
  body: Buffer | string;
  amzDate: string;
  scope: string;
}

/** The string to sign, or undefined when a signed header is absent from the request. */
export const buildStringToSign = (input: StringToSignInput): string | undefined => {
  let canonicalHeaders = '';
  for (const name of input.signedHeaders) {
    const value = input.headerValue(name);
    if (value === undefined) return undefined;
    canonicalHeaders += `${name}:${normalizeHeaderValue(value)}\n`;
  }
  const queryStart = input.url.indexOf('?');
  const rawPath = queryStart === -1 ? input.url : input.url.slice(0, queryStart);
  const rawQuery = queryStart === -1 ? '' : input.url.slice(queryStart + 1);
  const canonicalRequest = [
    input.method.toUpperCase(),
    canonicalUri(rawPath),
    canonicalQuery(rawQuery),
    canonicalHeaders,
    input.signedHeaders.join(';'),
    sha256Hex(input.body),
  ].join('\n');
  return [SIGV4_ALGORITHM, input.amzDate, input.scope, sha256Hex(canonicalRequest)].join('\n');
};

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface RequestToSign {
  method: string;
  url: URL;
  /** Lower-case names; host and x-amz-date are added. */
  headers: Record<string, string>;
  body: string;
}

/** Signs an outgoing request (Authorization header form); returns the headers to send. */
export const signRequest = (
  request: RequestToSign,
  credentials: SigningCredentials,
  region: string,
  service: string,
  now: Date = new Date(),
): Record<string, string> => {
  const amzDate = formatAmzDate(now);
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    ...request.headers,
    host: request.url.host,
    'x-amz-date': amzDate,
  };
  const signedHeaders = Object.keys(headers)
    .map((name) => name.toLowerCase())
    .sort();
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = buildStringToSign({
    method: request.method,
    url: `${request.url.pathname}${request.url.search}`,
    headerValue: (name) => headers[name],
    signedHeaders,
    body: request.body,
    amzDate,
    scope,
  });
  const signature = hmacSha256(
    deriveSigningKey(credentials.secretAccessKey, day, region, service),
    stringToSign ?? '',
  ).toString('hex');
  headers.authorization = `${SIGV4_ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return headers;
};
