import type { StackOutput, StackResource } from './cloudformation.types.js';
import type { ProviderRegistry } from './resource-providers.js';
import { isObject, type ResourceDeclaration, readTemplate, scalarText, type Template } from './template.js';
import { planResources, type ResourcePlan } from './template-analysis.js';
import { TemplateError, templateError } from './template-errors.js';
import {
  type EvaluationContext,
  evaluate,
  evaluateConditions,
  intrinsicName,
  NO_VALUE,
  type PseudoParameters,
  type ResourceValues,
} from './template-intrinsics.js';

/**
 * A template evaluated for one stack: its conditions under the stack's parameters, the resources
 * that exist and their order, and the means to evaluate properties and outputs against what the
 * stack's resources are at that moment. Used alike by the API (to check a template before starting
 * anything) and by the engine (to create each resource with its dependencies' real values).
 */

const templates = new Map<string, Template>();

/** Parsed templates by body: a stack operation reads its template at every step. */
export const templateOf = (body: string): Template => {
  let template = templates.get(body);
  if (template === undefined) {
    template = readTemplate(body);
    if (templates.size >= 64) templates.clear();
    templates.set(body, template);
  }
  return template;
};

export interface StackIdentity {
  accountId: string;
  region: string;
  stackName: string;
  stackId: string;
  notificationArns: string[];
}

export const pseudoParameters = (identity: StackIdentity): PseudoParameters => ({
  accountId: identity.accountId,
  region: identity.region,
  stackName: identity.stackName,
  stackId: identity.stackId,
  notificationArns: identity.notificationArns,
});

export interface EvaluatedTemplate {
  template: Template;
  conditions: Map<string, boolean>;
  plan: ResourcePlan;
  base: Omit<EvaluationContext, 'section' | 'resources' | 'importValue'>;
}

export const evaluateTemplate = (
  template: Template,
  parameterValues: Record<string, string | string[]>,
  identity: StackIdentity,
): EvaluatedTemplate => {
  const parameters = new Map(Object.entries(parameterValues));
  const common = {
    parameters,
    pseudo: pseudoParameters(identity),
    mappings: template.mappings,
    resourceIds: new Set(template.resources.map((r) => r.logicalId)),
  };
  const conditions = evaluateConditions(template.conditions, common);
  const condition = (name: string): boolean => {
    const value = conditions.get(name);
    if (value === undefined) throw templateError(`unresolved condition dependency ${name} in Fn::If`);
    return value;
  };
  return { template, conditions, plan: planResources(template, conditions), base: { ...common, condition } };
};

/**
 * The export names the stack's Fn::ImportValues ask for (in the Fn::If branches its conditions
 * take), so that they can be read beforehand and recorded as the stack's imports.
 */
export const importNames = (evaluated: EvaluatedTemplate): string[] => {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!isObject(value)) return;
    const fn = intrinsicName(value);
    if (fn === 'Fn::If') {
      const args = value[fn];
      if (Array.isArray(args) && typeof args[0] === 'string') {
        visit(evaluated.conditions.get(args[0]) === true ? args[1] : args[2]);
        return;
      }
    }
    if (fn === 'Fn::ImportValue') {
      try {
        const name = scalarText(
          evaluate(value['Fn::ImportValue'], { ...evaluated.base, section: 'ImportValue' }),
        );
        if (name !== undefined) names.add(name);
      } catch {
        // A name that cannot be evaluated is reported when (and if) the value is evaluated for real.
      }
      return;
    }
    for (const member of Object.values(value)) visit(member);
  };
  for (const resource of evaluated.plan.resources) visit(resource.properties);
  for (const output of evaluated.template.outputs) {
    if (output.condition === undefined || evaluated.conditions.get(output.condition) === true)
      visit(output.value);
  }
  return [...names];
};

/** Fn::ImportValue over exports read beforehand. */
export const importLookup =
  (exports: ReadonlyMap<string, string>) =>
  (name: string): string => {
    const value = exports.get(name);
    if (value === undefined) throw new TemplateError(`No export named ${name} found.`);
    return value;
  };

/** Ref and Fn::GetAtt of the stack's resources, from what the stack records of them. */
export const resourceValues = (
  resources: ReadonlyMap<string, StackResource>,
  registry: ProviderRegistry,
  declared: ReadonlyMap<string, ResourceDeclaration>,
): ResourceValues => ({
  ref: (logicalId) => {
    const resource = resources.get(logicalId);
    if (resource?.physicalId === undefined) {
      throw templateError(`resource ${logicalId} has not been created, so Ref ${logicalId} has no value yet`);
    }
    return resource.physicalId;
  },
  attribute: (logicalId, attribute) => {
    const resource = resources.get(logicalId);
    const type = resource?.type ?? declared.get(logicalId)?.type ?? 'resource';
    if (resource?.physicalId === undefined) {
      throw templateError(`resource ${logicalId} has not been created, so its ${attribute} has no value yet`);
    }
    const provider = registry.get(type);
    if (provider !== undefined && !provider.attributes.includes(attribute)) {
      throw templateError(`resource ${logicalId} does not support attribute type ${attribute} in Fn::GetAtt`);
    }
    const value = resource.attributes[attribute];
    if (value === undefined || value === null) {
      throw templateError(
        `Unable to retrieve ${attribute} attribute for ${type} ${logicalId}: the resource has no such value (for example, a Domain whose AuthMode is IAM has no SingleSignOnApplicationArn)`,
      );
    }
    return value;
  },
});

export interface StackValues {
  resources: ResourceValues;
  importValue: (name: string) => string;
}

export const evaluateProperties = (
  evaluated: EvaluatedTemplate,
  resource: ResourceDeclaration,
  values: StackValues,
): Record<string, unknown> => {
  const result = evaluate(resource.properties, {
    ...evaluated.base,
    section: 'Resources',
    resources: values.resources,
    importValue: values.importValue,
  });
  return result === NO_VALUE || !isObject(result) ? {} : result;
};

const POLICIES = new Set(['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot']);

/** DeletionPolicy or UpdateReplacePolicy, evaluated (it may Ref a parameter or use Fn::If). */
export const evaluatePolicy = (
  evaluated: EvaluatedTemplate,
  resource: ResourceDeclaration,
  which: 'deletionPolicy' | 'updateReplacePolicy',
): string | undefined => {
  const raw = resource[which];
  if (raw === undefined) return undefined;
  const value = scalarText(evaluate(raw, { ...evaluated.base, section: 'Resources' }));
  const name = which === 'deletionPolicy' ? 'DeletionPolicy' : 'UpdateReplacePolicy';
  if (value === undefined || !POLICIES.has(value)) {
    throw templateError(
      `${name} of resource ${resource.logicalId} must be one of Delete, Retain, RetainExceptOnCreate or Snapshot`,
    );
  }
  if (value === 'Snapshot') {
    throw templateError(
      `${name} Snapshot is not supported by resource ${resource.logicalId} of type ${resource.type}`,
    );
  }
  return value;
};

/** The Export names, which may use parameters but no resources. */
export const evaluateExportNames = (evaluated: EvaluatedTemplate): Map<string, string> => {
  const names = new Map<string, string>();
  for (const output of evaluated.template.outputs) {
    if (output.exportName === undefined) continue;
    if (output.condition !== undefined && evaluated.conditions.get(output.condition) !== true) continue;
    const name = scalarText(evaluate(output.exportName, { ...evaluated.base, section: 'Export' }));
    if (name === undefined || name === '')
      throw templateError(`The Export Name of output ${output.key} must be a non-empty string`);
    for (const [key, other] of names) {
      if (other === name)
        throw templateError(
          `Outputs ${key} and ${output.key} export the same name ${name}: export names must be unique`,
        );
    }
    names.set(output.key, name);
  }
  return names;
};

export const evaluateOutputs = (evaluated: EvaluatedTemplate, values: StackValues): StackOutput[] => {
  const exportNames = evaluateExportNames(evaluated);
  const outputs: StackOutput[] = [];
  for (const output of evaluated.template.outputs) {
    if (output.condition !== undefined && evaluated.conditions.get(output.condition) !== true) continue;
    const ctx: EvaluationContext = {
      ...evaluated.base,
      section: 'Outputs',
      resources: values.resources,
      importValue: values.importValue,
    };
    const value = evaluate(output.value, ctx);
    const text = Array.isArray(value) ? undefined : scalarText(value);
    if (text === undefined) {
      throw templateError(
        `The Value of output ${output.key} must evaluate to a String, not ${Array.isArray(value) ? 'a List' : 'an object'}`,
      );
    }
    const description =
      output.description === undefined ? undefined : scalarText(evaluate(output.description, ctx));
    const exportName = exportNames.get(output.key);
    outputs.push({
      key: output.key,
      value: text,
      ...(description !== undefined ? { description } : {}),
      ...(exportName !== undefined ? { exportName } : {}),
    });
  }
  return outputs;
};
