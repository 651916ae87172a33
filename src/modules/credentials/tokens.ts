import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * Secrets handed to people (links, session IDs, codes) and how they are kept: random, and stored
 * only as a SHA-256 hash. A database reader learns nothing usable; a lookup by hash needs the secret.
 */

/** 256 random bits, base64url (43 characters): invitation, verification and reset links, sessions. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** What a token looks like; anything else is refused before it reaches the database. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Constant-time equality of two hex digests. */
export const sameDigest = (a: string, b: string): boolean => {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
};

/**
 * A keyed hash for short secrets (6-digit codes), whose plain SHA-256 could be reversed by trying
 * all million values: without the installation's key a database reader cannot.
 */
export const keyedDigest = (key: Buffer, ...parts: string[]): string =>
  createHmac('sha256', key).update(parts.join('\u0000'), 'utf8').digest('hex');

/** A code to type from an e-mail: `digits` decimal digits, uniformly random. */
export const newNumericCode = (digits = 6): string =>
  randomInt(0, 10 ** digits)
    .toString()
    .padStart(digits, '0');

/** Letters and digits that cannot be mistaken for one another when read aloud or copied by hand. */
const OTP_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/**
 * A one-time password for an admin to hand over: 24 characters of a 56-character alphabet
 * (139 random bits) in four groups of six; the dashes are part of it.
 */
export const newOneTimePassword = (): string => {
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let group = '';
    for (let i = 0; i < 6; i++) group += OTP_ALPHABET[randomInt(OTP_ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
};

/** A random identifier that is not a secret by itself (a challenge the code must go with). */
export const newOpaqueId = (): string => randomBytes(16).toString('base64url');
