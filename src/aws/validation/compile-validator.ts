import type { ServiceModel, Shape, ShapeType } from '../models/load-model.js';
import {
  enumConstraint,
  INVALID_BASE64,
  maxLength,
  maxValue,
  minLength,
  minValue,
  NOT_NULL,
  patternConstraint,
  typeMismatchMessage,
  UNION_ONE_MEMBER,
  unparsableTimestampMessage,
} from './messages.js';
import { compileModelPattern } from './regex.js';

export { formatValidationMessage } from './messages.js';
export { unsupportedPatterns } from './regex.js';

export interface ValidationIssue {
  path: string;
  value: unknown;
  constraint: string;
}

export type ValidationResult =
  | { ok: true }
  | { ok: false; kind: 'serialization'; message: string }
  | { ok: false; kind: 'constraint'; issues: ValidationIssue[] };

export type InputValidator = (input: unknown) => ValidationResult;

/** AWS lists at most this many violations in one ValidationException. */
export const MAX_ISSUES = 10;

/** Validates `value` found at `path`, pushing violations onto `issues`; throws on a wrong JSON type. */
type Check = (value: unknown, path: string, issues: ValidationIssue[]) => void;

// Thrown through the closure tree: a wrong JSON type aborts the whole request the way Coral's
// deserializer does, before (and instead of) any constraint violations.
class SerializationFailure {
  constructor(readonly message: string) {}
}

const OK: ValidationResult = Object.freeze({ ok: true });
const acceptAny: Check = () => {};
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

// Shapes are shared by many operations; compiling each shape once per model keeps memory flat.
const compiledModels = new WeakMap<ServiceModel, Map<string, Check>>();

/**
 * Builds the validator for one operation's input once, as a tree of closures: nothing is looked up
 * by name and no regex is built per request. Semantics follow AWS (Coral): unknown members are
 * ignored, null counts as absent, every violation is collected (up to MAX_ISSUES), and member paths
 * are lowerCamel with list items as `list.<n>.member`.
 */
export function compileInputValidator(model: ServiceModel, operationName: string): InputValidator {
  const operation = model.operations[operationName];
  if (!operation) throw new Error(`${model.metadata.serviceId}: unknown operation ${operationName}`);
  if (operation.input === undefined) return () => OK;
  const check = shapeCheck(model, operation.input);
  return (input) => {
    const issues: ValidationIssue[] = [];
    try {
      // An empty awsJson body means "no members", like `{}`.
      check(input ?? {}, '', issues);
    } catch (error) {
      if (error instanceof SerializationFailure)
        return { ok: false, kind: 'serialization', message: error.message };
      throw error;
    }
    return issues.length === 0 ? OK : { ok: false, kind: 'constraint', issues };
  };
}

function shapeCheck(model: ServiceModel, name: string): Check {
  let checks = compiledModels.get(model);
  if (!checks) {
    checks = new Map();
    compiledModels.set(model, checks);
  }
  const existing = checks.get(name);
  if (existing) return existing;
  const shape = model.shapes[name];
  if (!shape) throw new Error(`${model.metadata.serviceId}: shape ${name} is not in the model`);
  // Recursive shapes reach themselves while compiling; they get this forwarder until the real check exists.
  let compiled: Check | undefined;
  checks.set(name, (value, path, issues) => (compiled as Check)(value, path, issues));
  compiled = buildCheck(model, name, shape);
  checks.set(name, compiled);
  return compiled;
}

function buildCheck(model: ServiceModel, name: string, shape: Shape): Check {
  switch (shape.type) {
    case 'structure':
      return shape.document ? acceptAny : structureCheck(model, shape);
    case 'list':
      return listCheck(model, name, shape);
    case 'map':
      return mapCheck(model, name, shape);
    case 'string':
      return stringCheck(shape);
    case 'integer':
    case 'long':
      return numberCheck(shape, true);
    case 'float':
    case 'double':
      return numberCheck(shape, false);
    case 'boolean':
      return (value) => {
        if (typeof value !== 'boolean') mismatch('boolean', value);
      };
    case 'timestamp':
      return timestampCheck;
    case 'blob':
      return blobCheck(shape);
    default:
      throw new Error(`shape ${name} has unsupported type ${String(shape.type)}`);
  }
}

interface MemberCheck {
  name: string;
  segment: string;
  required: boolean;
  check: Check;
}

function structureCheck(model: ServiceModel, shape: Shape): Check {
  const required = new Set(shape.required ?? []);
  const members: MemberCheck[] = Object.entries(shape.members ?? {}).map(([name, ref]) => ({
    name,
    // Coral names members by their Java field: `IdentityStoreId` is reported as `identityStoreId`.
    segment: name.charAt(0).toLowerCase() + name.slice(1),
    required: required.has(name),
    check: shapeCheck(model, ref.shape),
  }));
  const union = shape.union === true;
  return (value, path, issues) => {
    if (!isObject(value)) mismatch('structure', value);
    const prefix = path === '' ? '' : `${path}.`;
    if (union && countSet(value, members) !== 1) addIssue(issues, path, value, UNION_ONE_MEMBER);
    for (const member of members) {
      const memberValue = value[member.name];
      if (memberValue === undefined || memberValue === null) {
        if (member.required) addIssue(issues, prefix + member.segment, null, NOT_NULL);
        continue;
      }
      member.check(memberValue, prefix + member.segment, issues);
    }
  };
}

function countSet(value: Record<string, unknown>, members: MemberCheck[]): number {
  let set = 0;
  for (const member of members) if (value[member.name] !== undefined && value[member.name] !== null) set++;
  return set;
}

function listCheck(model: ServiceModel, name: string, shape: Shape): Check {
  if (!shape.member) throw new Error(`list shape ${name} has no member`);
  const item = shapeCheck(model, shape.member.shape);
  const lengthCheck = countCheck(shape);
  return (value, path, issues) => {
    if (!Array.isArray(value)) mismatch('list', value);
    lengthCheck(value.length, value, path, issues);
    for (let i = 0; i < value.length; i++) {
      const itemPath = `${path}.${i + 1}.member`;
      const itemValue: unknown = value[i];
      if (itemValue === null || itemValue === undefined) addIssue(issues, itemPath, null, NOT_NULL);
      else item(itemValue, itemPath, issues);
    }
  };
}

function mapCheck(model: ServiceModel, name: string, shape: Shape): Check {
  if (!shape.key || !shape.value) throw new Error(`map shape ${name} has no key or value`);
  const key = shapeCheck(model, shape.key.shape);
  const entry = shapeCheck(model, shape.value.shape);
  const lengthCheck = countCheck(shape);
  return (value, path, issues) => {
    if (!isObject(value)) mismatch('map', value);
    const keys = Object.keys(value);
    lengthCheck(keys.length, value, path, issues);
    for (const k of keys) {
      key(k, `${path}.${k}.key`, issues);
      const entryValue = value[k];
      if (entryValue === null || entryValue === undefined)
        addIssue(issues, `${path}.${k}.value`, null, NOT_NULL);
      else entry(entryValue, `${path}.${k}.value`, issues);
    }
  };
}

type CountCheck = (count: number, value: unknown, path: string, issues: ValidationIssue[]) => void;

function countCheck(shape: Shape): CountCheck {
  const { min, max } = shape;
  const minMessage = min === undefined ? '' : minLength(min);
  const maxMessage = max === undefined ? '' : maxLength(max);
  return (count, value, path, issues) => {
    if (min !== undefined && count < min) addIssue(issues, path, value, minMessage);
    if (max !== undefined && count > max) addIssue(issues, path, value, maxMessage);
  };
}

function stringCheck(shape: Shape): Check {
  const { max, pattern } = shape;
  const regex = pattern === undefined ? undefined : compileModelPattern(pattern);
  const patternMessage = pattern === undefined ? '' : patternConstraint(pattern);
  const allowed = shape.enum ? new Set(shape.enum) : undefined;
  const enumMessage = shape.enum ? enumConstraint(shape.enum) : '';
  const lengthCheck = countCheck(shape);
  return (value, path, issues) => {
    if (typeof value !== 'string') mismatch('string', value);
    // Java counts UTF-16 code units, as does `.length`. A string past `max` skips the regex: it is
    // already rejected, and this bounds the regex work any request can cause.
    if (regex && (max === undefined || value.length <= max) && !regex.test(value)) {
      addIssue(issues, path, value, patternMessage);
    }
    lengthCheck(value.length, value, path, issues);
    if (allowed && !allowed.has(value)) addIssue(issues, path, value, enumMessage);
  };
}

function numberCheck(shape: Shape, integral: boolean): Check {
  const { min, max } = shape;
  const type = shape.type;
  const minMessage = min === undefined ? '' : minValue(min);
  const maxMessage = max === undefined ? '' : maxValue(max);
  return (value, path, issues) => {
    if (typeof value !== 'number' || (integral && !Number.isInteger(value))) mismatch(type, value);
    if (min !== undefined && value < min) addIssue(issues, path, value, minMessage);
    if (max !== undefined && value > max) addIssue(issues, path, value, maxMessage);
  };
}

// awsJson sends epoch seconds; ISO-8601 strings are accepted too, as Coral does.
const timestampCheck: Check = (value) => {
  if (typeof value === 'number') return;
  if (typeof value !== 'string') mismatch('timestamp', value);
  if (!ISO_TIMESTAMP.test(value) || Number.isNaN(Date.parse(value))) {
    throw new SerializationFailure(unparsableTimestampMessage(value));
  }
};

function blobCheck(shape: Shape): Check {
  const lengthCheck = countCheck(shape);
  return (value, path, issues) => {
    if (typeof value !== 'string') mismatch('blob', value);
    if (value.length % 4 !== 0 || !BASE64.test(value)) throw new SerializationFailure(INVALID_BASE64);
    // Blob limits are on the decoded bytes, not on the base64 text.
    const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
    lengthCheck((value.length / 4) * 3 - padding, value, path, issues);
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mismatch(expected: ShapeType, value: unknown): never {
  throw new SerializationFailure(typeMismatchMessage(expected, value));
}

function addIssue(issues: ValidationIssue[], path: string, value: unknown, constraint: string): void {
  // Past the cap the walk still runs, so a wrong JSON type deeper in the input is still reported.
  if (issues.length < MAX_ISSUES) issues.push({ path, value, constraint });
}
