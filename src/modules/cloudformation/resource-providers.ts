import type { Clock } from '../../core/clock.js';
import { AppError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';

/**
 * A resource type as CloudFormation drives it: its properties (which of them force a replacement
 * when they change), the attributes Fn::GetAtt reads, and create/update/delete handlers that call a
 * studio-sso service — never the HTTP API. Each capability module declares its types in its own
 * `.cfn.ts`; the composition root hands the registry to the stack engine.
 */

/** A resource as a stack knows it: what Ref returns, the properties applied, what GetAtt reads. */
export interface ResourceState {
  physicalId: string;
  properties: Record<string, unknown>;
  attributes: Record<string, unknown>;
}

export interface ProviderContext<Services> {
  scope: Scope;
  stackId: string;
  stackName: string;
  logicalId: string;
  /** The services, bound to the transaction that also records the outcome in the stack. */
  services: Services;
  /** Resources recorded by other stacks, for the names that must be unique. */
  records: RecordedResourceLookup;
  clock: Clock;
}

export interface RecordedResourceLookup {
  /**
   * The stack that holds a live resource of this type and physical ID in the account (and Region,
   * unless the type is global), other than the resource being worked on.
   */
  holder(type: string, physicalId: string, options: { regional: boolean }): Promise<string | undefined>;
}

export interface CreatedResource {
  physicalId: string;
  attributes: Record<string, unknown>;
}

export type Capability = 'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM';

export interface PropertySpec {
  required?: boolean;
  /** A change to this property replaces the resource (AWS-API.md §2.5.1's R). */
  replace?: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds providers of every service set
export type AnyResourceProvider = ResourceProvider<any>;

export interface ResourceProvider<Services> {
  type: string;
  /** The properties the type has; any other is refused ("Encountered unsupported property"). */
  properties: Readonly<Record<string, PropertySpec>>;
  attributes: readonly string[];
  /**
   * Properties that name the resource: a replacement while they stay the same would need two
   * resources of one name, which CloudFormation refuses rather than attempt.
   */
  identity?: readonly string[];
  /** Recorded resources are kept by the stack only: no service stands behind them. */
  recorded?: boolean;
  /** What creating it needs acknowledged, from the template's (unevaluated) properties. */
  capability?(properties: Record<string, unknown>): Capability | undefined;
  create(ctx: ProviderContext<Services>, properties: Record<string, unknown>): Promise<CreatedResource>;
  /** Updates in place; only called when no `replace` property changed. Absent: every change replaces. */
  update?(
    ctx: ProviderContext<Services>,
    current: ResourceState,
    properties: Record<string, unknown>,
  ): Promise<Record<string, unknown>>;
  /** Deletes; a resource that is already gone counts as deleted. */
  delete(ctx: ProviderContext<Services>, current: ResourceState): Promise<void>;
  /** After delete: whether the resource is gone for good (polled; services with a Deleting phase). */
  isDeleted?(ctx: ProviderContext<Services>, current: ResourceState): Promise<boolean>;
}

export type ProviderRegistry = ReadonlyMap<string, AnyResourceProvider>;

export const providerRegistry = (providers: readonly AnyResourceProvider[]): ProviderRegistry =>
  new Map(providers.map((p) => [p.type, p]));

/**
 * A failure of the resource's own making, reported as is (CloudFormation's words, not a service's):
 * "Encountered unsupported property", "Properties validation failed for resource …".
 */
export class ResourceFailure extends AppError {
  constructor(message: string) {
    super('Validation', 'RESOURCE_FAILURE', message);
  }
}

export const propertiesValidationFailed = (logicalId: string, message: string): ResourceFailure =>
  new ResourceFailure(`Properties validation failed for resource ${logicalId} with message: ${message}`);

/** A property value read as a string (CloudFormation passes numbers and booleans as their text). */
export const stringProperty = (properties: Record<string, unknown>, name: string): string | undefined => {
  const value = properties[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
};

export const isDeepEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') {
    // Numbers and their text are the same value to CloudFormation.
    return (
      (typeof a === 'number' || typeof a === 'string' || typeof a === 'boolean') &&
      (typeof b === 'number' || typeof b === 'string' || typeof b === 'boolean') &&
      String(a) === String(b)
    );
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => isDeepEqual(item, b[i]));
  }
  const ak = Object.keys(a as object);
  const bk = Object.keys(b as object);
  return (
    ak.length === bk.length &&
    ak.every((k) => isDeepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
};

/** The properties whose values differ between two property sets. */
export const changedProperties = (
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): string[] => {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => !isDeepEqual(before[name], after[name]));
};

/** Whether changing these properties replaces the resource. */
export const requiresReplacement = (provider: AnyResourceProvider, changed: readonly string[]): boolean =>
  provider.update === undefined || changed.some((name) => provider.properties[name]?.replace === true);
