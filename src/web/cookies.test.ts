import { describe, expect, it } from 'vitest';
import { cookieName, parseCookies, serializeCookie } from './cookies.js';
import { CsrfProtection } from './csrf.js';
import { fieldValues, parseForm } from './forms.js';

describe('cookies', () => {
  it('are HttpOnly and SameSite=Lax always, Secure with the __Host- prefix over TLS', () => {
    expect(
      serializeCookie(cookieName('studio-sso-session', false), 'abc', { secure: false, maxAge: 60 }),
    ).toBe('studio-sso-session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=60');
    expect(serializeCookie(cookieName('studio-sso-session', true), 'abc', { secure: true })).toBe(
      '__Host-studio-sso-session=abc; Path=/; HttpOnly; SameSite=Lax; Secure',
    );
  });

  it('parse the Cookie header, first value of a name winning', () => {
    expect(parseCookies('a=1; b="two"; a=3; c=%20x; bad; =empty')).toEqual({ a: '1', b: 'two', c: ' x' });
    expect(parseCookies(undefined)).toEqual({});
  });
});

describe('CSRF tokens', () => {
  const csrf = new CsrfProtection(Buffer.alloc(32, 1));

  it('match only their cookie and their session', () => {
    const token = csrf.tokenFor('cookie-value', 'session-1');
    expect(csrf.verify('cookie-value', 'session-1', token)).toBe(true);
    expect(csrf.verify('other-cookie', 'session-1', token)).toBe(false);
    expect(csrf.verify('cookie-value', 'session-2', token)).toBe(false);
    expect(csrf.verify('cookie-value', undefined, token)).toBe(false);
    expect(csrf.verify(undefined, 'session-1', token)).toBe(false);
    expect(csrf.verify('cookie-value', 'session-1', undefined)).toBe(false);
    expect(new CsrfProtection(Buffer.alloc(32, 2)).verify('cookie-value', 'session-1', token)).toBe(false);
  });
});

describe('form bodies', () => {
  it('parse as UTF-8, keep values exactly, first value winning', () => {
    const fields = parseForm(Buffer.from('a=1&b=+sp%C3%A4ce+&a=2&c=%F0%9F%A6%8A'));
    expect({ ...fields }).toEqual({ a: '1', b: ' späce ', c: '🦊' });
    expect(fieldValues(fields, 'a')).toEqual(['1', '2']);
    expect(fieldValues(fields, 'missing')).toEqual([]);
  });
});
