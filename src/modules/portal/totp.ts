import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Time-based one-time passwords (RFC 6238) over HOTP (RFC 4226), as authenticator apps compute
 * them: HMAC-SHA-1, 6 digits, 30-second steps from the Unix epoch. Pure functions, no clock: the
 * caller passes the time. Secrets travel as RFC 4648 base32 without padding, as `otpauth://` URIs
 * carry them.
 */

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpParameters {
  algorithm: TotpAlgorithm;
  digits: number;
  /** Seconds per step (X in RFC 6238). */
  period: number;
}

/** What every authenticator app supports; the only parameters this server issues. */
export const TOTP_DEFAULTS: TotpParameters = { algorithm: 'sha1', digits: 6, period: 30 };

/** 160 bits: the HMAC-SHA-1 block RFC 4226 §4 recommends as the shared secret's length. */
export const TOTP_SECRET_BYTES = 20;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export const base32Encode = (bytes: Uint8Array): string => {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
};

/** Decodes base32 in any case, ignoring spaces, dashes and padding; undefined when it is not base32. */
export const base32Decode = (text: string): Buffer | undefined => {
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = BASE32.indexOf(char);
    if (value < 0) return undefined;
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bytes.push((buffer >>> (bits - 8)) & 255);
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  }
  return Buffer.from(bytes);
};

export const newTotpSecret = (): Buffer => randomBytes(TOTP_SECRET_BYTES);

/** HOTP (RFC 4226 §5.3): HMAC of the 8-byte counter, dynamic truncation, `digits` decimal digits. */
export const hotp = (secret: Uint8Array, counter: number, digits = 6, algorithm: TotpAlgorithm = 'sha1') => {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, secret).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return (binary % 10 ** digits).toString().padStart(digits, '0');
};

/** The time step (T in RFC 6238 §4.2) of a moment given in milliseconds since the epoch. */
export const timeStep = (epochMs: number, period = TOTP_DEFAULTS.period): number =>
  Math.floor(epochMs / 1000 / period);

export const totp = (
  secret: Uint8Array,
  epochMs: number,
  parameters: TotpParameters = TOTP_DEFAULTS,
): string => hotp(secret, timeStep(epochMs, parameters.period), parameters.digits, parameters.algorithm);

/**
 * The time step whose code `code` is, looking `drift` steps either side of now (clocks of phones
 * drift, and a code typed at the end of its 30 seconds arrives in the next); undefined when none.
 * Every candidate is compared in constant time, so the answer's timing says nothing about the code.
 */
export const matchTotp = (
  secret: Uint8Array,
  code: string,
  epochMs: number,
  drift = 1,
  parameters: TotpParameters = TOTP_DEFAULTS,
): number | undefined => {
  if (!new RegExp(`^\\d{${parameters.digits}}$`).test(code)) return undefined;
  const now = timeStep(epochMs, parameters.period);
  const given = Buffer.from(code);
  let matched: number | undefined;
  for (let step = now - drift; step <= now + drift; step++) {
    const expected = Buffer.from(hotp(secret, step, parameters.digits, parameters.algorithm));
    if (timingSafeEqual(expected, given) && matched === undefined) matched = step;
  }
  return matched;
};

/**
 * The `otpauth://totp/…` URI an authenticator app scans (Google Authenticator's Key Uri Format):
 * label `Issuer:account`, the secret in base32, and the issuer again as a parameter.
 */
export const otpauthUri = (options: { issuer: string; account: string; secret: Uint8Array }): string => {
  const label = `${encodeURIComponent(options.issuer)}:${encodeURIComponent(options.account)}`;
  const query = new URLSearchParams({
    secret: base32Encode(options.secret),
    issuer: options.issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DEFAULTS.digits),
    period: String(TOTP_DEFAULTS.period),
  });
  return `otpauth://totp/${label}?${query.toString()}`;
};
