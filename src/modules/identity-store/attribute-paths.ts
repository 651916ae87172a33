import { loadServiceModel, type ServiceModel } from '../../aws/models/load-model.js';
import { invalidAttribute } from './identity-store.errors.js';
import { type AttributeOperation, ENTERPRISE_EXTENSION } from './identity-store.types.js';

/**
 * UpdateUser/UpdateGroup attribute paths. Paths are lowerCamel, dotted (`displayName`,
 * `name.givenName`, `emails`), and document values use lowerCamel keys as SCIM does
 * (`[{"value":"a@b.c","type":"work","primary":true}]`); extension paths start with the
 * extension's name (`aws:identitystore:enterprise`, `aws:identitystore:enterprise.department`).
 * A missing or null value removes the attribute.
 *
 * Paths and keys are resolved against the create operation's input shape in the model, so every
 * attribute CreateUser takes can be updated and nothing else can. The result is in the wire shape
 * and is checked against the model's constraints by the caller (user-attributes.ts).
 */

type Json = Record<string, unknown>;

export interface PatchTarget {
  /** The create operation's input shape: its members are the updatable attributes. */
  shape: 'CreateUserRequest' | 'CreateGroupRequest';
  /** What the object is called in messages. */
  noun: 'user' | 'group';
  /** Members no path reaches: the store ID, and Extensions, which have paths of their own. */
  excluded: ReadonlySet<string>;
  extensions: boolean;
}

export const USER_TARGET: PatchTarget = {
  shape: 'CreateUserRequest',
  noun: 'user',
  excluded: new Set(['IdentityStoreId', 'Extensions']),
  extensions: true,
};

export const GROUP_TARGET: PatchTarget = {
  shape: 'CreateGroupRequest',
  noun: 'group',
  excluded: new Set(['IdentityStoreId']),
  extensions: false,
};

const lowerCamel = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isAbsent = (value: unknown): boolean => value === undefined || value === null;

/** The member of a structure shape that a lowerCamel (or, leniently, PascalCase) segment names. */
const memberOf = (
  model: ServiceModel,
  shapeName: string,
  segment: string,
  excluded?: ReadonlySet<string>,
) => {
  const members = model.shapes[shapeName]?.members ?? {};
  for (const [name, ref] of Object.entries(members)) {
    if (excluded?.has(name)) continue;
    if (lowerCamel(name) === segment || name === segment) return { name, shape: ref.shape };
  }
  return undefined;
};

/**
 * Turns a lowerCamel JSON document into the wire shape of `shapeName`, refusing keys the shape
 * does not have. Scalars pass through untouched: the model validator reports wrong types and
 * broken constraints afterwards, in AWS's words.
 */
const toWire = (model: ServiceModel, shapeName: string, value: unknown, path: string): unknown => {
  const shape = model.shapes[shapeName];
  if (shape === undefined) return value;
  if (shape.type === 'structure' && shape.document !== true) {
    if (!isObject(value)) throw invalidAttribute(`The value of ${path} must be an object.`);
    const out: Json = {};
    for (const [key, item] of Object.entries(value)) {
      const member = memberOf(model, shapeName, key);
      if (member === undefined) throw invalidAttribute(`${path}.${key} is not a valid attribute.`);
      if (!isAbsent(item)) out[member.name] = toWire(model, member.shape, item, `${path}.${key}`);
    }
    return out;
  }
  if (shape.type === 'list') {
    if (!Array.isArray(value)) throw invalidAttribute(`The value of ${path} must be a list.`);
    const itemShape = shape.member?.shape;
    return itemShape === undefined
      ? value
      : value.map((item) => (isAbsent(item) ? item : toWire(model, itemShape, item, path)));
  }
  return value;
};

/** Sets or removes `value` at `keys` inside `root`, creating objects on the way and pruning emptied ones. */
const setIn = (root: Json, keys: string[], value: unknown): void => {
  const [key, ...rest] = keys;
  if (key === undefined) return;
  if (rest.length === 0) {
    if (isAbsent(value)) delete root[key];
    else root[key] = value;
    return;
  }
  const existing = root[key];
  if (existing !== undefined && !isObject(existing)) {
    if (isAbsent(value)) return;
    throw invalidAttribute(`${keys.join('.')} cannot be set: its parent is not an object.`);
  }
  const child: Json = existing ?? {};
  setIn(child, rest, value);
  if (Object.keys(child).length === 0) delete root[key];
  else root[key] = child;
};

const applyExtensionOperation = (wire: Json, operation: AttributeOperation): void => {
  const [extension = '', ...keys] = operation.path.split('.');
  if (extension !== ENTERPRISE_EXTENSION) {
    throw invalidAttribute(
      `${operation.path} is not a valid attribute path: ${ENTERPRISE_EXTENSION} is the only supported extension.`,
    );
  }
  const extensions: Json = isObject(wire.Extensions) ? wire.Extensions : {};
  setIn(extensions, [extension, ...keys], operation.value);
  if (Object.keys(extensions).length === 0) delete wire.Extensions;
  else wire.Extensions = extensions;
};

const applyOperation = (
  model: ServiceModel,
  target: PatchTarget,
  wire: Json,
  operation: AttributeOperation,
): void => {
  const { path, value } = operation;
  if (target.extensions && path.includes(':')) {
    applyExtensionOperation(wire, operation);
    return;
  }
  const invalidPath = () => invalidAttribute(`${path} is not a valid attribute path for a ${target.noun}.`);
  const [first = '', ...rest] = path.split('.');
  const member = memberOf(model, target.shape, first, target.excluded);
  // PascalCase is for the wire's top level only; paths are lowerCamel, as AWS documents them.
  if (member === undefined || member.name === first) throw invalidPath();
  if (rest.length === 0) {
    if (isAbsent(value)) delete wire[member.name];
    else wire[member.name] = toWire(model, member.shape, value, path);
    return;
  }
  // A sub-attribute: only of a structure (name.givenName), never into a list (emails.value).
  const parentShape = model.shapes[member.shape];
  const [second = '', ...deeper] = rest;
  const child = parentShape?.type === 'structure' ? memberOf(model, member.shape, second) : undefined;
  if (child === undefined || child.name === second || deeper.length > 0) throw invalidPath();
  const converted = isAbsent(value) ? undefined : toWire(model, child.shape, value, path);
  setIn(wire, [member.name, child.name], converted);
};

/**
 * Applies the operations in order to a copy of the wire-shaped attributes and returns the copy;
 * the input is left alone, so a refused update changes nothing.
 */
export const applyAttributeOperations = (
  target: PatchTarget,
  current: Json,
  operations: readonly AttributeOperation[],
): Json => {
  const model = loadServiceModel('identitystore');
  const wire = structuredClone(current);
  for (const key of Object.keys(wire)) if (wire[key] === undefined) delete wire[key];
  for (const operation of operations) applyOperation(model, target, wire, operation);
  return wire;
};
