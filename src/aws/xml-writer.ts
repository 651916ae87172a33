/**
 * The little XML the awsQuery protocol answers in: elements with text or child elements, no
 * attributes but the root's namespace. Escapes the five XML specials and drops the characters XML
 * 1.0 cannot carry at all (control characters other than tab, line feed and carriage return), so a
 * stored value can never make a response unparsable.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters XML forbids
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const SPECIALS = /[&<>"'\r]/g;
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A raw CR would be normalized to LF by the parser; the reference keeps it.
  '\r': '&#13;',
};

export const escapeXml = (text: string): string =>
  text.replace(FORBIDDEN, '').replace(SPECIALS, (c) => ENTITIES[c] ?? c);

/** `<name>text</name>`, the text escaped. */
export const textElement = (name: string, text: string): string => `<${name}>${escapeXml(text)}</${name}>`;

/** `<name>…</name>` around already-serialized children; `<name/>` when there are none. */
export const element = (name: string, children: string): string =>
  children === '' ? `<${name}/>` : `<${name}>${children}</${name}>`;

/** The document's root element, with its namespace. */
export const rootElement = (name: string, namespace: string, children: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${name} xmlns="${escapeXml(namespace)}">${children}</${name}>`;
