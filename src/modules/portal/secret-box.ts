import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts small secrets that must be read back (TOTP secrets) with AES-256-GCM, under a key
 * derived (HKDF-SHA256) from the installation key for this one purpose. The owner's ID is bound as
 * associated data, so a stored value copied to another user's row does not decrypt.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(installationKey: Buffer, purpose: string) {
    this.key = Buffer.from(hkdfSync('sha256', installationKey, Buffer.alloc(0), `studio-sso ${purpose}`, 32));
  }

  seal(plain: Buffer, owner: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(owner, 'utf8'));
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}:${sealed.toString('base64url')}`;
  }

  /** The plain secret; undefined when the value was not sealed for this owner with this key. */
  open(sealed: string, owner: string): Buffer | undefined {
    const [version, body] = sealed.split(':');
    if (version !== VERSION || body === undefined) return undefined;
    const bytes = Buffer.from(body, 'base64url');
    if (bytes.length < IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(owner, 'utf8'));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      return undefined;
    }
  }
}
