/**
 * A small browser for HTTP-level page tests: a cookie jar, forms submitted with their hidden
 * fields (the CSRF token among them), and redirects followed the way a browser follows a 303.
 */
export interface WebPage {
  status: number;
  url: string;
  headers: Headers;
  html: string;
  /** The Set-Cookie headers of this response (of the first response, when a redirect was followed). */
  setCookies: string[];
  /** Where a redirect pointed, when it was not followed. */
  location?: string;
}

const unescapeHtml = (value: string): string =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The page's text without tags, whitespace collapsed: what a person reads. */
export const textOf = (html: string): string =>
  unescapeHtml(html.replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();

/** The form whose action ends with `action`, as its hidden fields. */
export const hiddenFields = (html: string, action: string): Record<string, string> => {
  const form = [...html.matchAll(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)].find((m) =>
    (m[1] ?? '').endsWith(action),
  );
  if (form === undefined) throw new Error(`no form posting to ${action} in:\n${textOf(html)}`);
  const fields: Record<string, string> = {};
  for (const input of (form[2] ?? '').matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
    if (name !== undefined) fields[name] = unescapeHtml(value);
  }
  return fields;
};

export interface WebClientOptions {
  /** Sent with every request (X-Forwarded-For and -Proto, as a proxy would add them). */
  headers?: Record<string, string>;
  /** Another transport than the global fetch (HTTPS with a test CA). */
  fetch?: typeof fetch;
}

export class WebClient {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly baseUrl: string,
    private readonly options: WebClientOptions = {},
  ) {}

  private absolute(pathOrUrl: string): string {
    return new URL(pathOrUrl, this.baseUrl).href;
  }

  private remember(setCookies: string[]): void {
    for (const cookie of setCookies) {
      const [pair = '', ...attributes] = cookie.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request(method: string, pathOrUrl: string, body?: URLSearchParams, follow = true): Promise<WebPage> {
    const url = this.absolute(pathOrUrl);
    const response = await (this.options.fetch ?? fetch)(url, {
      method,
      redirect: 'manual',
      headers: {
        ...this.options.headers,
        ...(this.cookies.size > 0 ? { cookie: this.cookieHeader() } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      body,
    });
    const setCookies = response.headers.getSetCookie();
    this.remember(setCookies);
    const location = response.headers.get('location') ?? undefined;
    if (follow && location !== undefined && [301, 302, 303, 307, 308].includes(response.status)) {
      await response.arrayBuffer();
      const next = await this.request('GET', location);
      return { ...next, setCookies };
    }
    return {
      status: response.status,
      url,
      headers: response.headers,
      html: await response.text(),
      setCookies,
      location,
    };
  }

  get(pathOrUrl: string): Promise<WebPage> {
    return this.request('GET', pathOrUrl);
  }

  /** Posts exactly these fields (no CSRF token unless given). */
  post(path: string, fields: Record<string, string>, follow = true): Promise<WebPage> {
    return this.request('POST', path, new URLSearchParams(fields), follow);
  }

  /** Submits the page's form that posts to `action`, with its hidden fields and these. */
  submit(
    page: WebPage,
    action: string,
    fields: Record<string, string> = {},
    follow = true,
  ): Promise<WebPage> {
    return this.post(action, { ...hiddenFields(page.html, action), ...fields }, follow);
  }
}
