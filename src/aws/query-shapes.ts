import type { ServiceModel, Shape } from './models/load-model.js';
import { element, textElement } from './xml-writer.js';

/**
 * The awsQuery protocol's two translations, both driven by the operation's shapes in the model:
 * form parameters (`Parameters.member.1.ParameterKey=…`) into the JSON-typed input the validator
 * and the handlers expect, and a handler's output into XML (`<member>` lists, ISO timestamps).
 */

/** A value a query parameter cannot become (`TimeoutInMinutes=abc`); reported as a ValidationError. */
export class QueryDecodingError extends Error {}

type Params = ReadonlyMap<string, string>;

const shapeOf = (model: ServiceModel, name: string): Shape => {
  const shape = model.shapes[name];
  if (shape === undefined) throw new Error(`${model.metadata.serviceId}: shape ${name} is not in the model`);
  return shape;
};

/** Whether any parameter lies at `key` or below it. */
const present = (params: Params, keys: readonly string[], key: string): boolean => {
  if (params.has(key)) return true;
  const prefix = `${key}.`;
  return keys.some((k) => k.startsWith(prefix));
};

/** The item indexes found under `prefix` (`prefix1`, `prefix2.X`, …), in numeric order. */
const indexesUnder = (keys: readonly string[], prefix: string): number[] => {
  const found = new Set<number>();
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    const match = /^(\d+)(?:\.|$)/.exec(key.slice(prefix.length));
    if (match?.[1] !== undefined) found.add(Number(match[1]));
  }
  return [...found].sort((a, b) => a - b);
};

const decodeScalar = (shape: Shape, key: string, raw: string): unknown => {
  switch (shape.type) {
    case 'integer':
    case 'long': {
      if (!/^-?\d+$/.test(raw.trim()))
        throw new QueryDecodingError(`Invalid value '${raw}' for ${key}: not an integer.`);
      return Number(raw);
    }
    case 'float':
    case 'double': {
      const value = Number(raw);
      if (raw.trim() === '' || Number.isNaN(value))
        throw new QueryDecodingError(`Invalid value '${raw}' for ${key}: not a number.`);
      return value;
    }
    case 'boolean': {
      const lower = raw.toLowerCase();
      if (lower !== 'true' && lower !== 'false')
        throw new QueryDecodingError(`Invalid value '${raw}' for ${key}: not a boolean (true or false).`);
      return lower === 'true';
    }
    default:
      return raw;
  }
};

const decodeAt = (
  model: ServiceModel,
  shapeName: string,
  key: string,
  params: Params,
  keys: string[],
): unknown => {
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [member, ref] of Object.entries(shape.members ?? {})) {
        const memberKey = `${key}.${ref.locationName ?? member}`;
        if (!present(params, keys, memberKey)) continue;
        out[member] = decodeAt(model, ref.shape, memberKey, params, keys);
      }
      return out;
    }
    case 'list': {
      if (shape.member === undefined) return [];
      const prefix = shape.flattened ? `${key}.` : `${key}.member.`;
      const indexes = indexesUnder(keys, prefix);
      // botocore sends an empty list as `Name=` with nothing below it.
      return indexes.map((i) => decodeAt(model, shape.member?.shape ?? '', `${prefix}${i}`, params, keys));
    }
    case 'map': {
      if (shape.key === undefined || shape.value === undefined) return {};
      const prefix = shape.flattened ? `${key}.` : `${key}.entry.`;
      const out: Record<string, unknown> = {};
      for (const i of indexesUnder(keys, prefix)) {
        const entryKey = params.get(`${prefix}${i}.key`);
        if (entryKey === undefined) continue;
        out[entryKey] = decodeAt(model, shape.value.shape, `${prefix}${i}.value`, params, keys);
      }
      return out;
    }
    default: {
      const raw = params.get(key);
      return raw === undefined ? undefined : decodeScalar(shape, key, raw);
    }
  }
};

/** The operation's input as JSON values, from the form parameters (Action and Version excluded). */
export const decodeQueryInput = (
  model: ServiceModel,
  inputShape: string,
  params: Params,
): Record<string, unknown> => {
  const shape = shapeOf(model, inputShape);
  const keys = [...params.keys()];
  const out: Record<string, unknown> = {};
  for (const [member, ref] of Object.entries(shape.members ?? {})) {
    const key = ref.locationName ?? member;
    if (!present(params, keys, key)) continue;
    const value = decodeAt(model, ref.shape, key, params, keys);
    if (value !== undefined) out[member] = value;
  }
  return out;
};

const encodeScalar = (shape: Shape, value: unknown): string => {
  if (shape.type === 'timestamp') {
    const date =
      value instanceof Date ? value : new Date(typeof value === 'number' ? value * 1000 : String(value));
    return date.toISOString();
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
};

/** The children of one value of `shapeName`, without the element that names it. */
const encodeValue = (model: ServiceModel, shapeName: string, value: unknown): string => {
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null) return '';
      let out = '';
      for (const [member, ref] of Object.entries(shape.members ?? {})) {
        const memberValue = (value as Record<string, unknown>)[member];
        if (memberValue === undefined || memberValue === null) continue;
        out += encodeMember(model, ref.shape, ref.locationName ?? member, memberValue);
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value) || shape.member === undefined) return '';
      const itemShape = shape.member.shape;
      const itemName = shape.member.locationName ?? 'member';
      return value.map((item) => encodeMember(model, itemShape, itemName, item)).join('');
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || shape.key === undefined || shape.value === undefined)
        return '';
      const valueShape = shape.value.shape;
      return Object.entries(value as Record<string, unknown>)
        .map(([k, v]) =>
          element('entry', textElement('key', k) + encodeMember(model, valueShape, 'value', v)),
        )
        .join('');
    }
    default:
      return encodeScalar(shape, value);
  }
};

const encodeMember = (model: ServiceModel, shapeName: string, name: string, value: unknown): string => {
  const shape = shapeOf(model, shapeName);
  if (shape.type === 'structure' || shape.type === 'list' || shape.type === 'map') {
    if (shape.type === 'list' && shape.flattened && Array.isArray(value)) {
      return value.map((item) => encodeMember(model, shape.member?.shape ?? '', name, item)).join('');
    }
    return element(name, encodeValue(model, shapeName, value));
  }
  return textElement(name, encodeValue(model, shapeName, value));
};

/** The XML children of an operation's `<Op>Result>` element. */
export const encodeQueryOutput = (model: ServiceModel, outputShape: string, output: unknown): string =>
  encodeValue(model, outputShape, output ?? {});
