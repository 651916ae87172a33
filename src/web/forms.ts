/** The field name every form carries its CSRF token in. */
export const CSRF_FIELD = '_csrf';

export type FormFields = Record<string, string>;

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/** Is this an HTML form post (application/x-www-form-urlencoded, any charset parameter)? */
export const isFormContentType = (contentType: string | undefined): boolean =>
  contentType?.split(';')[0]?.trim().toLowerCase() === FORM_CONTENT_TYPE;

/**
 * An application/x-www-form-urlencoded body as UTF-8 fields; the first value of a repeated name
 * wins. Values are kept exactly (no trimming): a password may begin or end with a space.
 */
export const parseForm = (body: Buffer): FormFields => {
  const fields: FormFields = Object.create(null);
  for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
    if (!(name in fields)) fields[name] = value;
  }
  return fields;
};

/** A field's value, or '' when the form lacks it. */
export const field = (body: unknown, name: string): string => {
  if (typeof body !== 'object' || body === null) return '';
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
};
