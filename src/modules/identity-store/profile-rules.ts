import { loadServiceModel } from '../../aws/models/load-model.js';
import { compileModelPattern } from '../../aws/validation/regex.js';
import { ValidationError } from '../../core/errors.js';
import { invalidAttribute } from './identity-store.errors.js';
import {
  ENTERPRISE_EXTENSION,
  type GroupProfile,
  type User,
  type UserExtensions,
  type UserProfile,
} from './identity-store.types.js';

/**
 * The business rules on user and group attributes that the model does not state: IAM Identity
 * Center requires more than CreateUser's model marks required, reserves two names, and supports one
 * extension. The model's own constraints are checked at the edge (and for updates, in
 * user-attributes.ts).
 */

/** Identity Center keeps these names for itself, in any case, for users and groups alike. */
const RESERVED_NAMES = new Set(['administrator', 'awsadministrators']);

const requiredMessage = (missing: string[]): string =>
  missing.map((attribute) => `${attribute}: The attribute ${attribute} is required`).join(', ');

const checkNotReserved = (name: string, attribute: string): void => {
  if (RESERVED_NAMES.has(name.toLowerCase())) {
    throw new ValidationError(
      `${attribute}: ${name} is a reserved name and cannot be used.`,
      'RESERVED_NAME',
    );
  }
};

/**
 * A complete user profile, or ValidationError naming every missing attribute. Identity Center
 * requires UserName, DisplayName, Name.GivenName and Name.FamilyName (Terraform's schema agrees),
 * although the model marks them optional.
 */
export const checkUserProfile = (draft: Partial<UserProfile>): UserProfile => {
  const missing: string[] = [];
  if (draft.userName === undefined) missing.push('userName');
  if (draft.displayName === undefined) missing.push('displayName');
  if (draft.name?.givenName === undefined) missing.push('name.givenName');
  if (draft.name?.familyName === undefined) missing.push('name.familyName');
  if (draft.userName === undefined || missing.length > 0) {
    throw new ValidationError(requiredMessage(missing), 'MISSING_ATTRIBUTE');
  }
  checkNotReserved(draft.userName, 'userName');
  const { extensions, ...rest } = draft;
  const checked = checkExtensions(extensions);
  return { ...rest, userName: draft.userName, ...(checked === undefined ? {} : { extensions: checked }) };
};

export const checkGroupProfile = (draft: Partial<GroupProfile>): GroupProfile => {
  if (draft.displayName === undefined)
    throw new ValidationError(requiredMessage(['displayName']), 'MISSING_ATTRIBUTE');
  checkNotReserved(draft.displayName, 'displayName');
  return {
    displayName: draft.displayName,
    ...(draft.description === undefined ? {} : { description: draft.description }),
  };
};

// SCIM's enterprise user (RFC 7643 §4.3): five strings and a manager reference.
const ENTERPRISE_STRINGS = new Set([
  'employeeNumber',
  'costCenter',
  'organization',
  'division',
  'department',
]);
const MAX_EXTENSION_STRING = 1024;

let sensitiveString: RegExp | undefined;
/** Extension strings follow the model's rule for every other user string (SensitiveStringType). */
const checkExtensionString = (path: string, value: unknown): string => {
  const pattern = loadServiceModel('identitystore').shapes.SensitiveStringType?.pattern;
  sensitiveString ??= pattern === undefined ? /^[\s\S]*$/u : (compileModelPattern(pattern) ?? /^[\s\S]*$/u);
  if (
    typeof value !== 'string' ||
    value.length < 1 ||
    value.length > MAX_EXTENSION_STRING ||
    !sensitiveString.test(value)
  ) {
    throw invalidAttribute(`${path} must be a string of 1 to ${MAX_EXTENSION_STRING} printable characters.`);
  }
  return value;
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const unsupportedExtension = (name: string): ValidationError =>
  invalidAttribute(
    `Extension ${name} is not supported: ${ENTERPRISE_EXTENSION} is the only supported extension.`,
  );

/**
 * Checks extension documents and returns them normalized (null members and empty extensions
 * dropped), or undefined when nothing is left.
 */
export const checkExtensions = (extensions: UserExtensions | undefined): UserExtensions | undefined => {
  if (extensions === undefined) return undefined;
  const out: UserExtensions = {};
  for (const [name, value] of Object.entries(extensions)) {
    if (name !== ENTERPRISE_EXTENSION) throw unsupportedExtension(name);
    if (value === null || value === undefined) continue;
    if (!isObject(value)) throw invalidAttribute(`The value of extension ${name} must be an object.`);
    const checked: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === null || item === undefined) continue;
      const path = `${name}.${key}`;
      if (ENTERPRISE_STRINGS.has(key)) {
        checked[key] = checkExtensionString(path, item);
      } else if (key === 'manager') {
        if (!isObject(item))
          throw invalidAttribute(`${path} must be an object like {"value": "<manager's user ID>"}.`);
        for (const managerKey of Object.keys(item)) {
          if (managerKey !== 'value')
            throw invalidAttribute(`${path}.${managerKey} is not a valid attribute.`);
        }
        if (item.value !== null && item.value !== undefined) {
          checked.manager = { value: checkExtensionString(`${path}.value`, item.value) };
        }
      } else {
        throw invalidAttribute(`${path} is not an attribute of the ${ENTERPRISE_EXTENSION} extension.`);
      }
    }
    if (Object.keys(checked).length > 0) out[name] = checked;
  }
  return Object.keys(out).length > 0 ? out : undefined;
};

/** The extension names DescribeUser/ListUsers may ask for. */
export const checkExtensionNames = (names: readonly string[] | undefined): readonly string[] => {
  for (const name of names ?? []) if (name !== ENTERPRISE_EXTENSION) throw unsupportedExtension(name);
  return names ?? [];
};

/** AWS returns a user's extensions only when asked for by name, and only those asked for. */
export const withRequestedExtensions = (user: User, requested: readonly string[]): User => {
  const { extensions, ...rest } = user;
  if (extensions === undefined || requested.length === 0) return rest;
  const picked: UserExtensions = {};
  for (const name of requested) if (extensions[name] !== undefined) picked[name] = extensions[name];
  return Object.keys(picked).length > 0 ? { ...rest, extensions: picked } : rest;
};
