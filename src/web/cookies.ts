/**
 * Cookies without a framework plugin: parsing the Cookie header and writing Set-Cookie values
 * with the attributes this server always wants (HttpOnly, SameSite=Lax, Path=/; Secure and the
 * `__Host-` prefix when the request came over TLS).
 */

/** Cookie name → value; the first of duplicate names wins (RFC 6265 §5.4 orders more specific paths first). */
export const parseCookies = (header: string | undefined): Record<string, string> => {
  const cookies: Record<string, string> = {};
  if (header === undefined) return cookies;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (name === '' || Object.hasOwn(cookies, name)) continue;
    try {
      cookies[name] = decodeURIComponent(value);
    } catch {
      cookies[name] = value;
    }
  }
  return cookies;
};

export interface CookieOptions {
  secure: boolean;
  /** Seconds; omitted for a cookie that ends with the browser session, 0 to delete. */
  maxAge?: number;
}

/**
 * A cookie name for this request: over TLS the `__Host-` prefix, which browsers accept only with
 * Secure, Path=/ and no Domain, so no subdomain or plain-HTTP page can set or shadow it.
 */
export const cookieName = (base: string, secure: boolean): string => (secure ? `__Host-${base}` : base);

export const serializeCookie = (name: string, value: string, options: CookieOptions): string => {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (options.secure) parts.push('Secure');
  if (options.maxAge !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAge))}`);
  return parts.join('; ');
};
