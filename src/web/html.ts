/**
 * HTML built only through the `html` tagged template: every interpolated value is escaped unless
 * it is itself Html (made by this template, or by `trustedHtml` for constants of our own). User
 * data never reaches a page or a mail by string concatenation.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Safe in element content and in quoted attribute values. */
export const escapeHtml = (value: string): string => value.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);

/** Values that render as nothing, so conditionals read naturally: `${signedIn && html`…`}`. */
const isEmpty = (value: unknown): boolean => value === undefined || value === null || value === false;

const render = (value: unknown): string => {
  if (isEmpty(value)) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
};

export const html = (strings: TemplateStringsArray, ...values: unknown[]): Html => {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new Html(out);
};

/** Markup that is ours (a constant), never data: the one way around escaping. */
export const trustedHtml = (markup: string): Html => new Html(markup);

/**
 * A URL for an href or action: only http(s) and same-site paths, so a stored value can never
 * become `javascript:`. Anything else renders as `#`.
 */
export const safeUrl = (url: string): string => {
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : '#';
  } catch {
    return '#';
  }
};
