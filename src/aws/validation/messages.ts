import type { ShapeType } from '../models/load-model.js';
import type { ValidationIssue } from './compile-validator.js';

const MAX_RENDERED_VALUE = 256;

export const NOT_NULL = 'Member must not be null';
export const UNION_ONE_MEMBER = 'Member must have exactly one member set';

export const minLength = (n: number): string => `Member must have length greater than or equal to ${n}`;
export const maxLength = (n: number): string => `Member must have length less than or equal to ${n}`;
export const minValue = (n: number): string => `Member must have value greater than or equal to ${n}`;
export const maxValue = (n: number): string => `Member must have value less than or equal to ${n}`;
export const patternConstraint = (pattern: string): string =>
  `Member must satisfy regular expression pattern: ${pattern}`;
export const enumConstraint = (values: readonly string[]): string =>
  `Member must satisfy enum value set: [${values.join(', ')}]`;

/**
 * AWS (Coral) style: `2 validation errors detected: Value 'x' at 'userName' failed to satisfy
 * constraint: …; Value null at 'identityStoreId' failed to satisfy constraint: …`.
 */
export function formatValidationMessage(issues: readonly ValidationIssue[]): string {
  const n = issues.length;
  const parts = issues.map(
    (issue) =>
      `Value ${renderValue(issue.value)} at '${issue.path}' failed to satisfy constraint: ${issue.constraint}`,
  );
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${parts.join('; ')}`;
}

// Coral prints a missing member as a bare `null` and every other value quoted.
function renderValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `'${text.length > MAX_RENDERED_VALUE ? `${text.slice(0, MAX_RENDERED_VALUE)}...` : text}'`;
}

const TYPE_NAMES: Record<ShapeType, string> = {
  structure: 'a Structure',
  list: 'a List',
  map: 'a Map',
  string: 'a String',
  integer: 'an Integer',
  long: 'a Long',
  float: 'a Float',
  double: 'a Double',
  boolean: 'a Boolean',
  timestamp: 'a Timestamp',
  blob: 'a Blob',
};

/** Worded like Coral's JSON deserializer, which fails before any constraint is looked at. */
export function typeMismatchMessage(expected: ShapeType, value: unknown): string {
  if (Array.isArray(value)) return 'Start of list found where not expected';
  if (typeof value === 'object' && value !== null)
    return 'Start of structure or map found where not expected.';
  const token =
    typeof value === 'string' ? 'STRING_VALUE' : typeof value === 'number' ? 'NUMBER_VALUE' : 'BOOLEAN_VALUE';
  return `${token} can not be converted to ${TYPE_NAMES[expected]}`;
}

export function unparsableTimestampMessage(value: string): string {
  return `Unable to parse date value '${value.slice(0, MAX_RENDERED_VALUE)}'`;
}

export const INVALID_BASE64 = 'Blob value is not valid base64';
