import type { ServiceModel } from '../models/load-model.js';

/**
 * A JSON value made to fit a model shape where the difference is only of representation: numbers
 * and booleans where a string is expected become their text, numeric text where a number is
 * expected becomes the number, "true"/"false" become booleans. CloudFormation passes resource
 * properties to handlers this way (a template's `8192` and `'8192'` are one value). Anything that
 * does not fit is left for the validator to report.
 */
export const coerceToShape = (model: ServiceModel, shapeName: string, value: unknown): unknown => {
  const shape = model.shapes[shapeName];
  if (shape === undefined || value === null || value === undefined) return value;
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value) || shape.document) return value;
      const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const [member, ref] of Object.entries(shape.members ?? {})) {
        if (member in out) out[member] = coerceToShape(model, ref.shape, out[member]);
      }
      return out;
    }
    case 'list':
      return Array.isArray(value) && shape.member !== undefined
        ? value.map((item) => coerceToShape(model, shape.member?.shape ?? '', item))
        : value;
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value) || shape.value === undefined) return value;
      const valueShape = shape.value.shape;
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [
          k,
          coerceToShape(model, valueShape, v),
        ]),
      );
    }
    case 'string':
      return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      return typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))
        ? Number(value)
        : value;
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    default:
      return value;
  }
};
