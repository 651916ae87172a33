import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import type { Scope } from '../core/scope.js';
import {
  buildStringToSign,
  deriveSigningKey,
  formatAmzDate,
  headerValue,
  hmacSha256,
  parseAmzDate,
  SIGV4_ALGORITHM,
} from './sigv4-canonical.js';

/** A request as it arrived, before any parsing that could change its bytes. */
export interface IncomingSignedRequest {
  method: string;
  /** The raw request target: path plus query string, still percent-encoded. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface SigningCredential {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  principalArn: string;
}

export interface VerifiedCaller {
  credential: SigningCredential;
  region: string;
  /** The signing name of the credential scope: identitystore, sso, organizations, … */
  service: string;
}

export type CredentialLookup = (accessKeyId: string) => Promise<SigningCredential | undefined>;

const ALGORITHM = SIGV4_ALGORITHM;
const MAX_SKEW_MS = 15 * 60 * 1000;
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

const authError = (code: string, message: string): AppError => new AppError('Unauthenticated', code, message);

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const parseAuthorization = (authorization: string): ParsedAuthorization => {
  if (!authorization.startsWith(`${ALGORITHM} `)) {
    throw authError('INCOMPLETE_SIGNATURE', `Unsupported authorization type; only ${ALGORITHM} is accepted.`);
  }
  const fields = new Map<string, string>();
  for (const part of authorization.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  const missing = [
    credential === undefined ? 'Credential' : undefined,
    signedHeaders === undefined ? 'SignedHeaders' : undefined,
    signature === undefined ? 'Signature' : undefined,
  ].filter((name) => name !== undefined);
  if (credential === undefined || signedHeaders === undefined || signature === undefined) {
    throw authError(
      'INCOMPLETE_SIGNATURE',
      `Authorization header requires ${missing.map((m) => `'${m}'`).join(', ')} parameter(s). Authorization=${authorization}`,
    );
  }
  const scope = credential.split('/');
  const [accessKeyId, date, region, service, terminator] = scope;
  if (
    scope.length !== 5 ||
    !accessKeyId ||
    !date ||
    !region ||
    !service ||
    terminator !== 'aws4_request' ||
    !/^\d{8}$/.test(date)
  ) {
    throw authError(
      'INCOMPLETE_SIGNATURE',
      `Credential should be scoped to a valid region, service and date, and end with 'aws4_request'. Credential=${credential}`,
    );
  }
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
};

/**
 * Verifies AWS Signature Version 4 on an incoming request (Authorization header form), the way
 * AWS's front ends do: known key, credential scope, ±15 minutes of clock skew, every signed header
 * present, the body hashed by us (never trusting x-amz-content-sha256), constant-time comparison.
 */
export class SigV4Verifier {
  /** Derived signing keys, by secret/day/region/service: HMAC chains are the costly part. */
  private readonly signingKeys = new Map<string, Buffer>();

  constructor(
    private readonly lookup: CredentialLookup,
    private readonly clock: Clock,
  ) {}

  async verify(request: IncomingSignedRequest): Promise<VerifiedCaller> {
    const authorization = headerValue(request.headers.authorization);
    if (authorization === undefined || authorization === '') {
      throw authError('MISSING_AUTHENTICATION', 'Missing Authentication Token');
    }
    const auth = parseAuthorization(authorization);

    const amzDate = headerValue(request.headers['x-amz-date']);
    const signedDateHeader = amzDate !== undefined ? 'x-amz-date' : 'date';
    const requestDate =
      amzDate !== undefined ? parseAmzDate(amzDate) : parseHttpDate(headerValue(request.headers.date));
    if (requestDate === undefined) {
      throw authError(
        'INCOMPLETE_SIGNATURE',
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
      );
    }
    for (const required of ['host', signedDateHeader]) {
      if (!auth.signedHeaders.includes(required)) {
        throw authError(
          'INVALID_SIGNATURE',
          `'${required}' must be a 'SignedHeader' in the AWS Authorization.`,
        );
      }
    }
    this.checkSkew(requestDate);
    // X-Amz-Date has already been checked to be in the basic format, so its text is what was signed.
    const amzDateText = amzDate ?? formatAmzDate(requestDate);
    const requestDay = amzDateText.slice(0, 8);
    if (auth.date !== requestDay) {
      throw authError(
        'INVALID_SIGNATURE',
        `Credential should be scoped to a valid date: '${requestDay}', not '${auth.date}'.`,
      );
    }

    const credential = await this.lookup(auth.accessKeyId);
    if (credential === undefined) {
      throw authError('UNRECOGNIZED_CLIENT', 'The security token included in the request is invalid.');
    }

    const stringToSign = buildStringToSign({
      method: request.method,
      url: request.url,
      headerValue: (name) => headerValue(request.headers[name]),
      signedHeaders: auth.signedHeaders,
      body: request.body,
      amzDate: amzDateText,
      scope: `${auth.date}/${auth.region}/${auth.service}/aws4_request`,
    });
    if (stringToSign === undefined) throw authError('INVALID_SIGNATURE', SIGNATURE_MISMATCH);
    const expected = hmacSha256(this.signingKey(credential.secretAccessKey, auth), stringToSign);
    const given = Buffer.from(auth.signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw authError('INVALID_SIGNATURE', SIGNATURE_MISMATCH);
    }
    return { credential, region: auth.region, service: auth.service };
  }

  /**
   * Verifies the request and that its credential scope names `signingName`: a signature made for
   * one service is no key to another. Answers with the caller's scope for the services.
   */
  async verifyScopedTo(request: IncomingSignedRequest, signingName: string): Promise<Scope> {
    const caller = await this.verify(request);
    if (caller.service !== signingName) {
      throw authError(
        'INVALID_SIGNATURE',
        `Credential should be scoped to correct service: '${signingName}'. `,
      );
    }
    return {
      accountId: caller.credential.accountId,
      region: caller.region,
      principalArn: caller.credential.principalArn,
    };
  }

  private checkSkew(requestDate: Date): void {
    const now = this.clock.now();
    const skew = requestDate.getTime() - now.getTime();
    if (skew < -MAX_SKEW_MS) {
      throw authError(
        'SIGNATURE_EXPIRED',
        `Signature expired: ${formatAmzDate(requestDate)} is now earlier than ${formatAmzDate(new Date(now.getTime() - MAX_SKEW_MS))} (${formatAmzDate(now)} - 15 min.)`,
      );
    }
    if (skew > MAX_SKEW_MS) {
      throw authError(
        'SIGNATURE_EXPIRED',
        `Signature not yet current: ${formatAmzDate(requestDate)} is still later than ${formatAmzDate(new Date(now.getTime() + MAX_SKEW_MS))} (${formatAmzDate(now)} + 15 min.)`,
      );
    }
  }

  private signingKey(secret: string, auth: ParsedAuthorization): Buffer {
    const cacheKey = `${secret}\u0000${auth.date}\u0000${auth.region}\u0000${auth.service}`;
    let key = this.signingKeys.get(cacheKey);
    if (key === undefined) {
      key = deriveSigningKey(secret, auth.date, auth.region, auth.service);
      // Keys change daily; a small bound keeps a flood of scopes from growing memory.
      if (this.signingKeys.size >= 1024) this.signingKeys.clear();
      this.signingKeys.set(cacheKey, key);
    }
    return key;
  }
}

const parseHttpDate = (value: string | undefined): Date | undefined => {
  if (value === undefined) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
};
