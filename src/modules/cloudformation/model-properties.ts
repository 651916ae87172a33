import type { ServiceModel } from '../../aws/models/load-model.js';
import { coerceToShape } from '../../aws/validation/coerce.js';
import { compileInputValidator, type ValidationIssue } from '../../aws/validation/compile-validator.js';
import { propertiesValidationFailed } from './resource-providers.js';

/**
 * Checks a resource's properties, once mapped to the service operation's input, against the
 * service's own model: the same shapes, lengths, patterns and enums as the API, reported the way
 * CloudFormation reports property errors (`Properties validation failed for resource X with
 * message: #/DomainName: …`).
 */

const pointer = (path: string): string =>
  `#/${path
    .split('.')
    .filter((segment) => segment !== 'member')
    .map((segment) =>
      /^\d+$/.test(segment)
        ? String(Number(segment) - 1)
        : segment.charAt(0).toUpperCase() + segment.slice(1),
    )
    .join('/')}`;

const describe = (issue: ValidationIssue): string => `${pointer(issue.path)}: ${issue.constraint}`;

export type InputCheck = <T>(logicalId: string, input: Record<string, unknown>) => T;

/** A checker for one operation: coerces the input to its shapes, validates, returns it typed. */
export const modelInput = (model: ServiceModel, operation: string): InputCheck => {
  const validate = compileInputValidator(model, operation);
  const inputShape = model.operations[operation]?.input;
  if (inputShape === undefined) throw new Error(`${operation} has no input shape`);
  return <T>(logicalId: string, input: Record<string, unknown>): T => {
    const coerced = coerceToShape(model, inputShape, input);
    const result = validate(coerced);
    if (!result.ok) {
      throw propertiesValidationFailed(
        logicalId,
        result.kind === 'serialization' ? result.message : result.issues.map(describe).join(', '),
      );
    }
    return coerced as T;
  };
};
