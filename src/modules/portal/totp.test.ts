import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, matchTotp, otpauthUri, type TotpAlgorithm, totp } from './totp.js';

// RFC 6238 Appendix B: the seeds are the ASCII digits 1234567890 repeated to the HMAC's key size.
const SEEDS: Record<TotpAlgorithm, Buffer> = {
  sha1: Buffer.from('12345678901234567890', 'ascii'),
  sha256: Buffer.from('12345678901234567890123456789012', 'ascii'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234', 'ascii'),
};

const RFC_6238_VECTORS: [number, string, TotpAlgorithm][] = [
  [59, '94287082', 'sha1'],
  [59, '46119246', 'sha256'],
  [59, '90693936', 'sha512'],
  [1111111109, '07081804', 'sha1'],
  [1111111109, '68084774', 'sha256'],
  [1111111109, '25091201', 'sha512'],
  [1111111111, '14050471', 'sha1'],
  [1111111111, '67062674', 'sha256'],
  [1111111111, '99943326', 'sha512'],
  [1234567890, '89005924', 'sha1'],
  [1234567890, '91819424', 'sha256'],
  [1234567890, '93441116', 'sha512'],
  [2000000000, '69279037', 'sha1'],
  [2000000000, '90698825', 'sha256'],
  [2000000000, '38618901', 'sha512'],
  [20000000000, '65353130', 'sha1'],
  [20000000000, '77737706', 'sha256'],
  [20000000000, '47863826', 'sha512'],
];

// RFC 4226 Appendix D: HOTP of the SHA-1 seed for counters 0–9.
const RFC_4226_VECTORS = [
  '755224',
  '287082',
  '359152',
  '969429',
  '338314',
  '254676',
  '287922',
  '162583',
  '399871',
  '520489',
];

describe('TOTP (RFC 6238)', () => {
  it.each(RFC_6238_VECTORS)('at %i s gives %s with %s', (seconds, code, algorithm) => {
    expect(totp(SEEDS[algorithm], seconds * 1000, { algorithm, digits: 8, period: 30 })).toBe(code);
  });

  it('is HOTP (RFC 4226) of the time step', () => {
    expect(RFC_4226_VECTORS.map((_, counter) => hotp(SEEDS.sha1, counter))).toEqual(RFC_4226_VECTORS);
  });

  it('with the defaults (SHA-1, 6 digits, 30 s) gives the last 6 digits of the vectors', () => {
    expect(totp(SEEDS.sha1, 59_000)).toBe('287082');
    expect(totp(SEEDS.sha1, 1111111109_000)).toBe('081804');
    expect(totp(SEEDS.sha1, 2000000000_000)).toBe('279037');
  });

  it('matches a code within one step either side, and names the step', () => {
    const at = 1111111111_000; // step 37037037
    const step = Math.floor(at / 30_000);
    expect(matchTotp(SEEDS.sha1, totp(SEEDS.sha1, at), at)).toBe(step);
    expect(matchTotp(SEEDS.sha1, totp(SEEDS.sha1, at - 30_000), at)).toBe(step - 1);
    expect(matchTotp(SEEDS.sha1, totp(SEEDS.sha1, at + 30_000), at)).toBe(step + 1);
    expect(matchTotp(SEEDS.sha1, totp(SEEDS.sha1, at - 60_000), at)).toBeUndefined();
    expect(matchTotp(SEEDS.sha1, '12345', at)).toBeUndefined();
    expect(matchTotp(SEEDS.sha1, 'abcdef', at)).toBeUndefined();
  });
});

describe('base32 (RFC 4648 §10 vectors)', () => {
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ];
  it.each(vectors)('%j ⇄ %s', (plain, encoded) => {
    expect(base32Encode(Buffer.from(plain))).toBe(encoded);
    expect(base32Decode(encoded)?.toString()).toBe(plain);
    expect(base32Decode(`${encoded.toLowerCase()}====`)?.toString()).toBe(plain);
  });

  it('refuses what is not base32', () => {
    expect(base32Decode('MZ1W')).toBeUndefined();
  });
});

describe('otpauth URIs', () => {
  it('carry issuer, account and the base32 secret', () => {
    expect(otpauthUri({ issuer: 'studio-sso', account: 'alice@example.com', secret: SEEDS.sha1 })).toBe(
      'otpauth://totp/studio-sso:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=studio-sso&algorithm=SHA1&digits=6&period=30',
    );
  });
});
