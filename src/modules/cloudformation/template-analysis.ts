import type { Capability, ProviderRegistry } from './resource-providers.js';
import {
  isObject,
  PSEUDO_PARAMETERS,
  type ResourceDeclaration,
  SAM_TRANSFORM,
  type Template,
} from './template.js';
import { formatError, templateError } from './template-errors.js';
import { intrinsicName, parseSub, SUPPORTED_FUNCTIONS } from './template-intrinsics.js';
import { splitGetAtt } from './template-parser.js';

/**
 * What a template refers to and needs, found without evaluating it: the references between
 * resources (Ref, Fn::GetAtt, Fn::Sub, DependsOn), the capabilities it must be given, and whether
 * every name, function and resource type it uses exists. `planResources` then orders the resources
 * a stack will have once its conditions are known.
 */

export interface References {
  /** Names used by Ref or `${Name}` in Fn::Sub: parameters, resources or pseudo parameters. */
  refs: Set<string>;
  /** Resources read by Fn::GetAtt or `${Resource.Attribute}`, with the attribute. */
  getAtts: Array<[string, string]>;
  /** Conditions named by Fn::If. */
  conditions: Set<string>;
  /** Functions used that are not supported. */
  unsupported: Set<string>;
}

const emptyReferences = (): References => ({
  refs: new Set(),
  getAtts: [],
  conditions: new Set(),
  unsupported: new Set(),
});

/**
 * Every reference in a value. With `branch`, Fn::If follows only the branch its condition takes,
 * which is what a stack depends on; without it, both branches (what the template could depend on).
 */
export const collectReferences = (
  value: unknown,
  branch?: (condition: string) => boolean,
  into: References = emptyReferences(),
): References => {
  if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, branch, into);
    return into;
  }
  if (!isObject(value)) return into;
  const fn = intrinsicName(value);
  if (fn === undefined) {
    for (const member of Object.values(value)) collectReferences(member, branch, into);
    return into;
  }
  const args = value[fn];
  switch (fn) {
    case 'Ref':
      if (typeof args === 'string') into.refs.add(args);
      break;
    case 'Fn::GetAtt': {
      const pair = typeof args === 'string' ? splitGetAtt(args) : args;
      if (Array.isArray(pair) && typeof pair[0] === 'string') {
        into.getAtts.push([pair[0], typeof pair[1] === 'string' ? pair[1] : '']);
        if (typeof pair[1] !== 'string') collectReferences(pair[1], branch, into);
      }
      break;
    }
    case 'Fn::Sub': {
      const [text, variables] = Array.isArray(args) ? [args[0], args[1]] : [args, undefined];
      const local = isObject(variables) ? new Set(Object.keys(variables)) : new Set<string>();
      if (typeof text === 'string') {
        for (const part of parseSub(text)) {
          const name = part.variable;
          if (name === undefined || local.has(name)) continue;
          const dot = name.indexOf('.');
          if (dot > 0 && !PSEUDO_PARAMETERS.has(name))
            into.getAtts.push([name.slice(0, dot), name.slice(dot + 1)]);
          else into.refs.add(name);
        }
      }
      if (isObject(variables)) collectReferences(Object.values(variables), branch, into);
      break;
    }
    case 'Fn::If': {
      if (Array.isArray(args) && typeof args[0] === 'string') {
        into.conditions.add(args[0]);
        if (branch === undefined) collectReferences(args.slice(1), branch, into);
        else collectReferences(branch(args[0]) ? args[1] : args[2], branch, into);
      } else {
        collectReferences(args, branch, into);
      }
      break;
    }
    default:
      if (!SUPPORTED_FUNCTIONS.includes(fn)) into.unsupported.add(fn);
      collectReferences(args, branch, into);
  }
  return into;
};

export interface TemplateSummary {
  resourceTypes: string[];
  capabilities: Capability[];
  capabilitiesReason?: string;
  /** Transforms the template declares (only the SAM transform is accepted). */
  declaredTransforms: string[];
  needsAutoExpand: boolean;
}

/** The resource types a provider registry lacks, as CloudFormation names unknown types. */
const checkTypes = (template: Template, registry: ProviderRegistry): void => {
  const unknown: string[] = [];
  const where: string[] = [];
  for (const resource of template.resources) {
    if (!registry.has(resource.type)) {
      if (!unknown.includes(resource.type)) unknown.push(resource.type);
      where.push(`${resource.logicalId} (${resource.type})`);
    }
  }
  if (unknown.length > 0) {
    throw formatError(
      `Unrecognized resource types: [${unknown.join(', ')}]. studio-sso provides the resource types of IAM Identity Center and SageMaker Studio (and records IAM, EC2, S3, SSM and KMS resources); it cannot create resources ${where.join(', ')}.`,
    );
  }
};

/**
 * Checks what can be checked before parameters are known (ValidateTemplate's checks), and says
 * what the template needs: its resource types and the capabilities to acknowledge.
 */
export const analyzeTemplate = (template: Template, registry: ProviderRegistry): TemplateSummary => {
  for (const transform of template.transforms) {
    if (transform !== SAM_TRANSFORM) {
      throw templateError(
        `No transform named ${transform} found. studio-sso accepts only ${SAM_TRANSFORM}, for templates that use no AWS::Serverless types.`,
      );
    }
  }
  checkTypes(template, registry);
  const parameters = new Set(template.parameters.map((p) => p.key));
  const resources = new Map(template.resources.map((r) => [r.logicalId, r]));
  const conditions = new Set(Object.keys(template.conditions));
  const check = (references: References, block: 'Resources' | 'Outputs', owner: string) => {
    for (const fn of references.unsupported) {
      throw formatError(
        `Encountered unsupported function: ${fn} Supported functions are: [${SUPPORTED_FUNCTIONS.join(', ')}] (${owner})`,
      );
    }
    const unresolved = [...references.refs].filter(
      (name) => !parameters.has(name) && !resources.has(name) && !PSEUDO_PARAMETERS.has(name),
    );
    if (unresolved.length > 0) {
      throw formatError(
        `Unresolved resource dependencies [${unresolved.join(', ')}] in the ${block} block of the template`,
      );
    }
    for (const [logicalId, attribute] of references.getAtts) {
      const target = resources.get(logicalId);
      if (target === undefined)
        throw templateError(`instance of Fn::GetAtt references undefined resource ${logicalId}`);
      const provider = registry.get(target.type);
      if (attribute !== '' && provider !== undefined && !provider.attributes.includes(attribute)) {
        throw templateError(
          `resource ${logicalId} does not support attribute type ${attribute} in Fn::GetAtt (${owner})`,
        );
      }
    }
    for (const name of references.conditions) {
      if (!conditions.has(name))
        throw templateError(`unresolved condition dependency ${name} in Fn::If (${owner})`);
    }
  };
  for (const resource of template.resources) {
    const references = collectReferences(resource.properties);
    collectReferences([resource.deletionPolicy, resource.updateReplacePolicy], undefined, references);
    check(references, 'Resources', `resource ${resource.logicalId}`);
  }
  for (const output of template.outputs) {
    check(
      collectReferences([output.value, output.description, output.exportName]),
      'Outputs',
      `output ${output.key}`,
    );
  }
  for (const [name, condition] of Object.entries(template.conditions)) {
    const references = collectReferences(condition);
    const named = [...references.refs].filter((ref) => !parameters.has(ref) && !PSEUDO_PARAMETERS.has(ref));
    if (named.length > 0 || references.getAtts.length > 0) {
      const first = named[0] ?? references.getAtts[0]?.[0];
      throw formatError(
        `Unresolved dependencies [${first}]. Cannot reference resources in the Conditions block of the template (condition ${name})`,
      );
    }
  }
  const needs: Array<{ capability: Capability; type: string }> = [];
  for (const resource of template.resources) {
    const capability = registry.get(resource.type)?.capability?.(resource.properties);
    if (capability !== undefined) needs.push({ capability, type: resource.type });
  }
  const named = needs.some((n) => n.capability === 'CAPABILITY_NAMED_IAM');
  const capabilities: Capability[] =
    needs.length === 0 ? [] : named ? ['CAPABILITY_NAMED_IAM'] : ['CAPABILITY_IAM'];
  const types = [...new Set(needs.map((n) => n.type))];
  const summary: TemplateSummary = {
    resourceTypes: [...new Set(template.resources.map((r) => r.type))],
    capabilities,
    declaredTransforms: template.transforms,
    needsAutoExpand: template.transforms.length > 0,
  };
  if (capabilities.length > 0) {
    summary.capabilitiesReason = `The following resource(s) require capabilities: [${types.join(', ')}]`;
  }
  return summary;
};

export interface ResourcePlan {
  /** The resources the stack has under these conditions, in template order. */
  resources: ResourceDeclaration[];
  /** For each of them, the resources it depends on (DependsOn, Ref, Fn::GetAtt, Fn::Sub). */
  dependencies: Map<string, Set<string>>;
}

/**
 * The resources that exist under the evaluated conditions and what each depends on. Depending on a
 * resource whose condition is false is an unresolved dependency; a cycle is a format error.
 */
export const planResources = (template: Template, conditions: ReadonlyMap<string, boolean>): ResourcePlan => {
  const branch = (name: string) => conditions.get(name) === true;
  const active = template.resources.filter((r) => r.condition === undefined || branch(r.condition));
  const activeIds = new Set(active.map((r) => r.logicalId));
  const declared = new Set(template.resources.map((r) => r.logicalId));
  const dependencies = new Map<string, Set<string>>();
  for (const resource of active) {
    const references = collectReferences(resource.properties, branch);
    collectReferences([resource.deletionPolicy, resource.updateReplacePolicy], branch, references);
    const targets = new Set<string>(resource.dependsOn);
    for (const ref of references.refs) if (declared.has(ref)) targets.add(ref);
    for (const [logicalId] of references.getAtts) targets.add(logicalId);
    const inactive = [...targets].filter((t) => !activeIds.has(t));
    if (inactive.length > 0) {
      throw formatError(
        `Unresolved resource dependencies [${inactive.join(', ')}] in the Resources block of the template`,
      );
    }
    targets.delete(resource.logicalId);
    if (
      references.refs.has(resource.logicalId) ||
      references.getAtts.some(([id]) => id === resource.logicalId) ||
      resource.dependsOn.includes(resource.logicalId)
    ) {
      throw formatError(`Circular dependency between resources: [${resource.logicalId}]`);
    }
    dependencies.set(resource.logicalId, targets);
  }
  for (const output of template.outputs) {
    if (output.condition !== undefined && !branch(output.condition)) continue;
    const references = collectReferences([output.value, output.description], branch);
    const targets = [...references.refs, ...references.getAtts.map(([id]) => id)].filter(
      (t) => declared.has(t) && !activeIds.has(t),
    );
    if (targets.length > 0) {
      throw formatError(
        `Unresolved resource dependencies [${targets.join(', ')}] in the Outputs block of the template`,
      );
    }
  }
  const cycle = findCycle(dependencies);
  if (cycle !== undefined) throw formatError(`Circular dependency between resources: [${cycle.join(', ')}]`);
  return { resources: active, dependencies };
};

/** The resources of one dependency cycle, if there is one. */
const findCycle = (dependencies: ReadonlyMap<string, ReadonlySet<string>>): string[] | undefined => {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const next of dependencies.get(id) ?? []) {
      const s = state.get(next);
      if (s === 'visiting') return stack.slice(stack.indexOf(next)).sort();
      if (s === undefined) {
        const found = visit(next);
        if (found !== undefined) return found;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of dependencies.keys()) {
    if (state.get(id) === undefined) {
      const found = visit(id);
      if (found !== undefined) return found;
    }
  }
  return undefined;
};
