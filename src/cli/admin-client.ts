import { signRequest } from '../aws/sigv4-canonical.js';
import type { ClientConfig } from '../config.js';
import { ADMIN_API_PREFIX, ADMIN_SIGNING_SERVICE, type AdminErrorBody } from '../web/admin/admin-api.js';

/** An error the server answered with; the command prints its message and exits non-zero. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Talks to a running server's admin API (/admin/v1) with SigV4-signed JSON requests: what every
 * `studio-sso` command other than `serve` uses.
 */
export class AdminClient {
  constructor(private readonly config: ClientConfig) {}

  get<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
    return this.request<T>('GET', path, undefined, query);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  delete<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('DELETE', path, body);
  }

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    query: Record<string, string | undefined> = {},
  ): Promise<T> {
    const url = new URL(`${this.config.endpoint}${ADMIN_API_PREFIX}${path}`);
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) url.searchParams.set(key, value);
    const payload = body === undefined ? '' : JSON.stringify(body);
    const headers = signRequest(
      { method, url, headers: payload === '' ? {} : { 'content-type': 'application/json' }, body: payload },
      this.config.credentials,
      this.config.region,
      ADMIN_SIGNING_SERVICE,
    );
    delete headers.host;
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: payload === '' ? undefined : payload });
    } catch (error) {
      throw new AdminApiError(
        0,
        'UNREACHABLE',
        `cannot reach studio-sso at ${this.config.endpoint}: ${(error as Error).message}`,
      );
    }
    const text = await response.text();
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    if (!response.ok) {
      const error = (parsed as Partial<AdminErrorBody> | undefined)?.error;
      throw new AdminApiError(
        response.status,
        error?.code ?? String(response.status),
        error?.message ?? text,
      );
    }
    return parsed as T;
  }
}
