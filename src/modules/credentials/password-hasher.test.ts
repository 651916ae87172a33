import { describe, expect, it } from 'vitest';
import { Argon2PasswordHasher } from './password-hasher.js';
import {
  hashToken,
  keyedDigest,
  newNumericCode,
  newOneTimePassword,
  newToken,
  sameDigest,
  TOKEN_PATTERN,
} from './tokens.js';

describe('argon2id password hashes', () => {
  const hasher = new Argon2PasswordHasher();

  it('are PHC strings with OWASP parameters, and verify only the right password', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(await hasher.verify(hash, 'correct horse battery staple')).toEqual({
      ok: true,
      needsRehash: false,
    });
    expect((await hasher.verify(hash, 'correct horse battery stapl')).ok).toBe(false);
    expect((await hasher.verify('not a hash', 'anything')).ok).toBe(false);
  });

  it('never truncate: passwords that differ after 72 bytes (bcrypt’s limit) are different', async () => {
    const long = 'x'.repeat(100);
    const hash = await hasher.hash(`${long}A`);
    expect((await hasher.verify(hash, `${long}A`)).ok).toBe(true);
    expect((await hasher.verify(hash, `${long}B`)).ok).toBe(false);
  });

  it('ask for a re-hash when the parameters changed', async () => {
    const old = await new Argon2PasswordHasher({ timeCost: 1, memoryCost: 8192 }).hash('correct horse');
    expect(await hasher.verify(old, 'correct horse')).toEqual({ ok: true, needsRehash: true });
  });

  it('are computed off the event loop', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await Promise.all([1, 2, 3, 4].map((i) => hasher.hash(`password number ${i}`)));
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(2);
  });
});

describe('tokens and codes', () => {
  it('have at least 128 random bits and are stored as SHA-256 hashes', () => {
    const token = newToken();
    expect(token).toMatch(TOKEN_PATTERN);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(newToken()).not.toBe(token);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).not.toContain(token);
  });

  it('compare in constant time, and only equal digests match', () => {
    const digest = hashToken('a');
    expect(sameDigest(digest, hashToken('a'))).toBe(true);
    expect(sameDigest(digest, hashToken('b'))).toBe(false);
    expect(sameDigest(digest, digest.slice(0, 10))).toBe(false);
    expect(sameDigest('', '')).toBe(false);
  });

  it('make one-time passwords of 139 bits and six-digit codes', () => {
    const otp = newOneTimePassword();
    expect(otp).toMatch(/^[A-HJ-NP-Za-km-z2-9]{6}(-[A-HJ-NP-Za-km-z2-9]{6}){3}$/);
    expect(24 * Math.log2(56)).toBeGreaterThan(128);
    expect(newNumericCode()).toMatch(/^\d{6}$/);
    const key = Buffer.alloc(32, 7);
    expect(keyedDigest(key, 'challenge', '123456')).not.toBe(
      keyedDigest(Buffer.alloc(32, 8), 'challenge', '123456'),
    );
  });
});
