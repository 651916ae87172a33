import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PASSWORD_POLICY,
  normalizePassword,
  passwordProblems,
  policyWithMinimum,
} from './password-policy.js';

const codes = (password: string, userName = 'alice', minimum = 12) =>
  passwordProblems(password, { userName }, policyWithMinimum(minimum)).map((p) => p.code);

describe('the password policy (NIST SP 800-63B)', () => {
  it('asks for 12 characters by default, and says how many there are', () => {
    const [problem] = passwordProblems('tulip-river', { userName: 'alice' });
    expect(problem?.code).toBe('TOO_SHORT');
    expect(problem?.message).toContain('Use at least 12 characters; this password has 11.');
    expect(codes('tulip-rivers')).toEqual([]);
    expect(passwordProblems('', { userName: 'alice' })[0]?.message).toBe(
      'Enter a password of at least 12 characters.',
    );
  });

  it('takes the minimum from the setting, never below 8 nor above 64', () => {
    expect(codes('tulip-ri', 'alice', 8)).toEqual([]);
    expect(policyWithMinimum(4).minLength).toBe(8);
    expect(policyWithMinimum(100).minLength).toBe(64);
  });

  it('allows long passwords (64 and more) up to 256 characters, and says when one is too long', () => {
    const words = 'granite orchard lantern velvet '.repeat(9);
    expect(codes(words.slice(0, 64))).toEqual([]);
    expect(codes(words.slice(0, 256))).toEqual([]);
    const [problem] = passwordProblems(`${words}${words}`.slice(0, 257), { userName: 'alice' });
    expect(problem?.code).toBe('TOO_LONG');
    expect(problem?.message).toBe('Use at most 256 characters; this password has 257.');
    expect(DEFAULT_PASSWORD_POLICY.maxLength).toBeGreaterThanOrEqual(64);
  });

  it('has no composition rules: lower-case words alone are fine, so is any Unicode', () => {
    expect(codes('purple monkey dishwasher')).toEqual([]);
    expect(codes('ünïcödé straße 東京タワー')).toEqual([]);
    expect(codes('🦊🐻🐼🐨🐯🦁🐮🐷🐸🐵🐔🐧')).toEqual([]);
  });

  it('counts characters, not UTF-16 units, and normalizes with NFKC first', () => {
    // Twelve emoji are 24 UTF-16 units but twelve characters; eleven are too few.
    expect(codes('🦊🐻🐼🐨🐯🦁🐮🐷🐸🐵🐔')).toEqual(['TOO_SHORT']);
    const composed = 'crème brûlée au café';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(normalizePassword(decomposed)).toBe(normalizePassword(composed));
    // Full-width letters are the same password as their ASCII twins, common ones included.
    expect(normalizePassword('ｐａｓｓｗｏｒｄ１２３４')).toBe('password1234');
    expect(codes('ｐａｓｓｗｏｒｄ１２３４')).toEqual(['COMMON']);
  });

  it('refuses common and breached passwords from the offline list, also with decoration', () => {
    for (const password of [
      '1qaz2wsx3edc',
      'QWERTYUIOP12',
      'password1234',
      'Summer2024!!',
      '!!Sunshine!!2025',
    ]) {
      expect(codes(password), password).toEqual(['COMMON']);
    }
    expect(passwordProblems('password1234', { userName: 'bob' })[0]?.message).toContain(
      'list of common or breached passwords',
    );
  });

  it('refuses the user name inside the password, in any case', () => {
    expect(codes('my-ALICE-garden-gnome')).toEqual(['CONTAINS_USER_NAME']);
    expect(passwordProblems('my-alice-garden-gnome', { userName: 'Alice' })[0]?.message).toBe(
      "Don't use your user name (Alice) in your password.",
    );
    // A one- or two-letter user name would refuse too much to be useful.
    expect(codes('alabaster gnome', 'al')).toEqual([]);
  });

  it('refuses repeated and sequential patterns and the name of the service', () => {
    expect(codes('aaaaaaaaaaaa')).toEqual(['REPETITIVE']);
    expect(codes('xyzxyzxyzxyz')).toEqual(['REPETITIVE']);
    expect(codes('3456789012345')).toEqual(['REPETITIVE']);
    expect(codes('zyxwvutsrqpo')).toEqual(['REPETITIVE']);
    expect(codes('abcdefghijklm')).toEqual(['REPETITIVE']);
    expect(codes('my studio-sso password!')).toEqual(['CONTAINS_SERVICE_NAME']);
  });

  it('reports every problem at once', () => {
    expect(codes('alice-studio-sso')).toEqual(['CONTAINS_USER_NAME', 'CONTAINS_SERVICE_NAME']);
  });
});
