/** The field name every form carries its CSRF token in. */
export const CSRF_FIELD = '_csrf';

export type FormFields = Record<string, string>;

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/** Is this an HTML form post (application/x-www-form-urlencoded, any charset parameter)? */
export const isFormContentType = (contentType: string | undefined): boolean =>
  contentType?.split(';')[0]?.trim().toLowerCase() === FORM_CONTENT_TYPE;

/** Where a parsed form keeps every value of each name (checkbox lists repeat a name). */
const ALL_VALUES = Symbol('all form values');

/**
 * An application/x-www-form-urlencoded body as UTF-8 fields; the first value of a repeated name
 * wins (every value stays reachable through fieldValues). Values are kept exactly (no trimming):
 * a password may begin or end with a space.
 */
export const parseForm = (body: Buffer): FormFields => {
  const fields: FormFields = Object.create(null);
  const all = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
    if (!(name in fields)) fields[name] = value;
    all.set(name, [...(all.get(name) ?? []), value]);
  }
  Object.defineProperty(fields, ALL_VALUES, { value: all, enumerable: false });
  return fields;
};

/** Every value a form sent under `name`, in order (the ticked boxes of a checkbox list). */
export const fieldValues = (body: unknown, name: string): string[] => {
  if (typeof body !== 'object' || body === null) return [];
  const all = (body as { [ALL_VALUES]?: Map<string, string[]> })[ALL_VALUES];
  if (all !== undefined) return all.get(name) ?? [];
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? [value] : [];
};

/** A field's value, or '' when the form lacks it. */
export const field = (body: unknown, name: string): string => {
  if (typeof body !== 'object' || body === null) return '';
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
};
