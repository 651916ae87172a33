import { createHash, createHmac } from 'node:crypto';

/**
 * A small, fast AWS Signature Version 4 signer for awsJson1_1 calls (`POST /`, no query string).
 * The load client signs every request for every target with it, so the client's cost is the same
 * whichever server answers. The derived signing key is cached per day, the date strings per second.
 */

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
const SIGNED_HEADERS = 'content-type;host;x-amz-date;x-amz-target';

const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export interface SignedHeaders {
  'content-type': string;
  host: string;
  'x-amz-date': string;
  'x-amz-target': string;
  authorization: string;
}

export class SigV4Signer {
  private keyDay = '';
  private key: Buffer = Buffer.alloc(0);
  private stampSecond = -1;
  private amzDate = '';
  private day = '';

  constructor(
    private readonly credentials: Credentials,
    private readonly region: string,
    /** The signing name of the credential scope: `identitystore`, `sso`, `organizations`. */
    private readonly service: string,
  ) {}

  /** Signs `POST /` with the given host (`127.0.0.1:port`), X-Amz-Target and body. */
  sign(host: string, target: string, body: string, nowMs: number = Date.now()): SignedHeaders {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.stampSecond) {
      this.stampSecond = second;
      this.amzDate = new Date(second * 1000).toISOString().replace(/[-:]/g, '').replace('.000', '');
      this.day = this.amzDate.slice(0, 8);
    }
    if (this.day !== this.keyDay) {
      this.keyDay = this.day;
      this.key = hmac(
        hmac(hmac(hmac(`AWS4${this.credentials.secretAccessKey}`, this.day), this.region), this.service),
        'aws4_request',
      );
    }
    const scope = `${this.day}/${this.region}/${this.service}/aws4_request`;
    const canonicalRequest =
      `POST\n/\n\ncontent-type:${JSON_CONTENT_TYPE}\nhost:${host}\nx-amz-date:${this.amzDate}\n` +
      `x-amz-target:${target}\n\n${SIGNED_HEADERS}\n${sha256Hex(body)}`;
    const stringToSign = `AWS4-HMAC-SHA256\n${this.amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
    const signature = createHmac('sha256', this.key).update(stringToSign).digest('hex');
    return {
      'content-type': JSON_CONTENT_TYPE,
      host,
      'x-amz-date': this.amzDate,
      'x-amz-target': target,
      authorization: `AWS4-HMAC-SHA256 Credential=${this.credentials.accessKeyId}/${scope}, SignedHeaders=${SIGNED_HEADERS}, Signature=${signature}`,
    };
  }
}
