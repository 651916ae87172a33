import { formatError } from './template-errors.js';
import { parseTemplateBody, type TemplateFormat } from './template-parser.js';

/**
 * A template read and checked for its shape: the sections, parameters, resources and outputs as
 * declarations, every other value still raw (intrinsic functions in their long form). What depends
 * on parameter values (conditions, references through Fn::If) is checked when the template is
 * evaluated for a stack; what depends on resource types, by the provider registry.
 */

export interface ParameterDeclaration {
  key: string;
  type: string;
  default?: string;
  noEcho: boolean;
  description?: string;
  allowedValues?: string[];
  allowedPattern?: string;
  minLength?: number;
  maxLength?: number;
  minValue?: number;
  maxValue?: number;
  constraintDescription?: string;
}

export interface ResourceDeclaration {
  logicalId: string;
  type: string;
  properties: Record<string, unknown>;
  dependsOn: string[];
  condition?: string;
  deletionPolicy?: unknown;
  updateReplacePolicy?: unknown;
  metadata?: unknown;
}

export interface OutputDeclaration {
  key: string;
  value: unknown;
  description?: unknown;
  exportName?: unknown;
  condition?: string;
}

export type Mappings = Record<string, Record<string, Record<string, unknown>>>;

export interface Template {
  body: string;
  format: TemplateFormat;
  description?: string;
  metadata?: unknown;
  transforms: string[];
  parameters: ParameterDeclaration[];
  mappings: Mappings;
  conditions: Record<string, unknown>;
  resources: ResourceDeclaration[];
  outputs: OutputDeclaration[];
  document: Record<string, unknown>;
}

/** The pseudo parameters; `AWS::NoValue` is only meaningful to Ref. */
export const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

const AWS_SPECIFIC_TYPES = [
  'AWS::EC2::AvailabilityZone::Name',
  'AWS::EC2::Image::Id',
  'AWS::EC2::Instance::Id',
  'AWS::EC2::KeyPair::KeyName',
  'AWS::EC2::SecurityGroup::GroupName',
  'AWS::EC2::SecurityGroup::Id',
  'AWS::EC2::Subnet::Id',
  'AWS::EC2::Volume::Id',
  'AWS::EC2::VPC::Id',
  'AWS::Route53::HostedZone::Id',
];

const PLAIN_TYPES = ['String', 'Number', 'List<Number>', 'CommaDelimitedList', 'AWS::SSM::Parameter::Name'];
const SSM_VALUE_TYPES = ['String', 'List<String>', 'CommaDelimitedList', ...AWS_SPECIFIC_TYPES].flatMap(
  (t) => (AWS_SPECIFIC_TYPES.includes(t) ? [t, `List<${t}>`] : [t]),
);

export const PARAMETER_TYPES = new Set([
  ...PLAIN_TYPES,
  ...AWS_SPECIFIC_TYPES,
  ...AWS_SPECIFIC_TYPES.map((t) => `List<${t}>`),
  ...SSM_VALUE_TYPES.map((t) => `AWS::SSM::Parameter::Value<${t}>`),
]);

/** Whether a parameter of this type holds a list (its Ref is a list of strings). */
export const isListParameterType = (type: string): boolean => {
  const inner = /^AWS::SSM::Parameter::Value<(.*)>$/.exec(type)?.[1] ?? type;
  return inner.startsWith('List<') || inner === 'CommaDelimitedList';
};

const TOP_LEVEL = new Set([
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
  'Hooks',
]);

const RESOURCE_ATTRIBUTES = new Set([
  'Type',
  'Properties',
  'DependsOn',
  'Condition',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'Metadata',
  'CreationPolicy',
  'UpdatePolicy',
  'Description',
]);

const PARAMETER_ATTRIBUTES = new Set([
  'Type',
  'Default',
  'NoEcho',
  'Description',
  'AllowedValues',
  'AllowedPattern',
  'MinLength',
  'MaxLength',
  'MinValue',
  'MaxValue',
  'ConstraintDescription',
]);

const OUTPUT_ATTRIBUTES = new Set(['Value', 'Description', 'Export', 'Condition']);

/** The SAM transform, accepted for templates that declare it without using its resource types. */
export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

const LOGICAL_ID = /^[A-Za-z0-9]+$/;
const MAX_RESOURCES = 500;
const MAX_PARAMETERS = 200;
const MAX_OUTPUTS = 200;

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A template scalar as a string: CloudFormation treats numbers and booleans as their text. */
export const scalarText = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : undefined;

const optionalNumber = (value: unknown, what: string): number | undefined => {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (Number.isNaN(n)) throw formatError(`${what} must be a number.`);
  return n;
};

const readParameters = (section: unknown): ParameterDeclaration[] => {
  if (section === undefined || section === null) return [];
  if (!isObject(section))
    throw formatError('The Parameters section must be a map of parameter declarations.');
  const entries = Object.entries(section);
  if (entries.length > MAX_PARAMETERS) {
    throw formatError(`Parameter count ${entries.length} is greater than max allowed ${MAX_PARAMETERS}.`);
  }
  return entries.map(([key, declaration]) => {
    if (!LOGICAL_ID.test(key)) throw formatError(`Parameter name ${key} is non alphanumeric.`);
    if (!isObject(declaration)) throw formatError(`Invalid template parameter property '${key}'`);
    for (const attribute of Object.keys(declaration)) {
      if (!PARAMETER_ATTRIBUTES.has(attribute)) {
        throw formatError(`Invalid template parameter property '${attribute}' in parameter ${key}`);
      }
    }
    const type = declaration.Type;
    if (type === undefined) throw formatError(`Every Parameters object must contain a Type member. (${key})`);
    if (typeof type !== 'string' || !PARAMETER_TYPES.has(type)) {
      throw formatError(`Unrecognized parameter type: ${String(type)} (parameter ${key})`);
    }
    const defaultValue = declaration.Default;
    let defaultText: string | undefined;
    if (defaultValue !== undefined) {
      defaultText = Array.isArray(defaultValue)
        ? defaultValue.map((v) => scalarText(v) ?? '').join(',')
        : scalarText(defaultValue);
      if (defaultText === undefined) throw formatError(`Default of parameter ${key} must be a string.`);
    }
    const allowed = declaration.AllowedValues;
    if (allowed !== undefined && !Array.isArray(allowed)) {
      throw formatError(`AllowedValues of parameter ${key} must be a list.`);
    }
    const noEcho = declaration.NoEcho;
    const parameter: ParameterDeclaration = {
      key,
      type,
      noEcho: noEcho === true || (typeof noEcho === 'string' && noEcho.toLowerCase() === 'true'),
    };
    if (defaultText !== undefined) parameter.default = defaultText;
    const description = scalarText(declaration.Description);
    if (description !== undefined) parameter.description = description;
    if (allowed !== undefined)
      parameter.allowedValues = allowed.map((v) => scalarText(v) ?? JSON.stringify(v));
    const pattern = scalarText(declaration.AllowedPattern);
    if (pattern !== undefined) {
      try {
        new RegExp(pattern);
      } catch {
        throw formatError(`AllowedPattern of parameter ${key} is not a valid regular expression: ${pattern}`);
      }
      parameter.allowedPattern = pattern;
    }
    const minLength = optionalNumber(declaration.MinLength, `MinLength of parameter ${key}`);
    const maxLength = optionalNumber(declaration.MaxLength, `MaxLength of parameter ${key}`);
    const minValue = optionalNumber(declaration.MinValue, `MinValue of parameter ${key}`);
    const maxValue = optionalNumber(declaration.MaxValue, `MaxValue of parameter ${key}`);
    if (minLength !== undefined) parameter.minLength = minLength;
    if (maxLength !== undefined) parameter.maxLength = maxLength;
    if (minValue !== undefined) parameter.minValue = minValue;
    if (maxValue !== undefined) parameter.maxValue = maxValue;
    const constraint = scalarText(declaration.ConstraintDescription);
    if (constraint !== undefined) parameter.constraintDescription = constraint;
    return parameter;
  });
};

const readMappings = (section: unknown): Mappings => {
  if (section === undefined || section === null) return {};
  if (!isObject(section)) throw formatError('The Mappings section must be a map.');
  const mappings: Mappings = {};
  for (const [name, mapping] of Object.entries(section)) {
    if (!LOGICAL_ID.test(name)) throw formatError(`Mapping name ${name} is non alphanumeric.`);
    if (!isObject(mapping)) throw formatError(`Every Mappings member ${name} must be a map`);
    const levels: Record<string, Record<string, unknown>> = {};
    for (const [top, second] of Object.entries(mapping)) {
      if (!isObject(second))
        throw formatError(`Every Mappings attribute must be a String or a List. (${name}.${top})`);
      levels[top] = second;
    }
    mappings[name] = levels;
  }
  return mappings;
};

const conditionName = (value: unknown, where: string): string => {
  if (typeof value !== 'string')
    throw formatError(`The Condition of ${where} must be a string naming a condition.`);
  return value;
};

const readDependsOn = (value: unknown, logicalId: string): string[] => {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (typeof item !== 'string') {
      throw formatError(
        `DependsOn of resource ${logicalId} must be a resource name or a list of resource names.`,
      );
    }
    return item;
  });
};

const readResources = (section: unknown): ResourceDeclaration[] => {
  if (section === undefined || section === null || (isObject(section) && Object.keys(section).length === 0)) {
    throw formatError('At least one Resources member must be defined.');
  }
  if (!isObject(section)) throw formatError('The Resources section must be a map of resource declarations.');
  const entries = Object.entries(section);
  if (entries.length > MAX_RESOURCES) {
    throw formatError(
      `Number of resources, ${entries.length}, is greater than the maximum allowed, ${MAX_RESOURCES}`,
    );
  }
  return entries.map(([logicalId, declaration]) => {
    if (!LOGICAL_ID.test(logicalId)) throw formatError(`Resource name ${logicalId} is non alphanumeric.`);
    if (!isObject(declaration))
      throw formatError(`[/Resources/${logicalId}] resource definition is malformed`);
    for (const attribute of Object.keys(declaration)) {
      if (!RESOURCE_ATTRIBUTES.has(attribute)) {
        throw formatError(`Invalid template resource property '${attribute}' (resource ${logicalId})`);
      }
    }
    const type = declaration.Type;
    if (typeof type !== 'string' || type === '') {
      throw formatError(`[/Resources/${logicalId}] Every Resources object must contain a Type member.`);
    }
    const properties = declaration.Properties ?? {};
    if (!isObject(properties)) {
      throw formatError(
        `[/Resources/${logicalId}/Properties] The Properties of resource ${logicalId} must be a map.`,
      );
    }
    const resource: ResourceDeclaration = {
      logicalId,
      type,
      properties,
      dependsOn: readDependsOn(declaration.DependsOn, logicalId),
    };
    if (declaration.Condition !== undefined) {
      resource.condition = conditionName(declaration.Condition, `resource ${logicalId}`);
    }
    if (declaration.DeletionPolicy !== undefined) resource.deletionPolicy = declaration.DeletionPolicy;
    if (declaration.UpdateReplacePolicy !== undefined)
      resource.updateReplacePolicy = declaration.UpdateReplacePolicy;
    if (declaration.Metadata !== undefined) resource.metadata = declaration.Metadata;
    return resource;
  });
};

const readOutputs = (section: unknown): OutputDeclaration[] => {
  if (section === undefined || section === null) return [];
  if (!isObject(section)) throw formatError('The Outputs section must be a map of output declarations.');
  const entries = Object.entries(section);
  if (entries.length > MAX_OUTPUTS) {
    throw formatError(
      `Number of outputs, ${entries.length}, is greater than the maximum allowed, ${MAX_OUTPUTS}`,
    );
  }
  return entries.map(([key, declaration]) => {
    if (!LOGICAL_ID.test(key)) throw formatError(`Output name ${key} is non alphanumeric.`);
    if (!isObject(declaration) || declaration.Value === undefined || declaration.Value === null) {
      throw formatError(`Every Outputs member must contain a Value object (output ${key})`);
    }
    for (const attribute of Object.keys(declaration)) {
      if (!OUTPUT_ATTRIBUTES.has(attribute)) {
        throw formatError(`Invalid outputs property : [${attribute}] (output ${key})`);
      }
    }
    const output: OutputDeclaration = { key, value: declaration.Value };
    if (declaration.Description !== undefined) output.description = declaration.Description;
    if (declaration.Export !== undefined) {
      if (!isObject(declaration.Export) || declaration.Export.Name === undefined) {
        throw formatError(`Output ${key} is malformed: Export must contain a Name.`);
      }
      output.exportName = declaration.Export.Name;
    }
    if (declaration.Condition !== undefined)
      output.condition = conditionName(declaration.Condition, `output ${key}`);
    return output;
  });
};

const readTransforms = (value: unknown): string[] => {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (typeof item === 'string') return item;
    if (isObject(item) && typeof item.Name === 'string') return item.Name;
    throw formatError('Transform must be a macro name or a list of macro names.');
  });
};

/** Parses a template body and checks its shape; ValidationErrors say what is wrong and where. */
export const readTemplate = (body: string): Template => {
  const { format, document } = parseTemplateBody(body);
  const transforms = readTransforms(document.Transform);
  for (const key of Object.keys(document)) {
    // SAM's Globals section belongs to the SAM transform.
    if (!TOP_LEVEL.has(key) && !(key === 'Globals' && transforms.includes(SAM_TRANSFORM))) {
      throw formatError(`Invalid template property or properties [${key}]`);
    }
  }
  const version = document.AWSTemplateFormatVersion;
  if (version !== undefined && scalarText(version) !== '2010-09-09') {
    throw formatError(
      `Unsupported AWSTemplateFormatVersion '${String(version)}': the only version is 2010-09-09.`,
    );
  }
  const description = document.Description;
  if (description !== undefined && typeof description !== 'string') {
    throw formatError('Every Description member must be a string.');
  }
  if (typeof description === 'string' && Buffer.byteLength(description) > 1024) {
    throw formatError('The Description of the template must be at most 1024 bytes.');
  }
  const conditions = document.Conditions ?? {};
  if (!isObject(conditions))
    throw formatError('The Conditions section must be a map of condition declarations.');
  for (const name of Object.keys(conditions)) {
    if (!LOGICAL_ID.test(name)) throw formatError(`Condition name ${name} is non alphanumeric.`);
  }
  const template: Template = {
    body,
    format,
    transforms,
    parameters: readParameters(document.Parameters),
    mappings: readMappings(document.Mappings),
    conditions,
    resources: readResources(document.Resources),
    outputs: readOutputs(document.Outputs),
    document,
  };
  if (typeof description === 'string') template.description = description;
  if (document.Metadata !== undefined) template.metadata = document.Metadata;
  checkNames(template);
  return template;
};

/** Logical IDs are shared by parameters and resources; conditions referenced must exist. */
const checkNames = (template: Template): void => {
  const parameters = new Set(template.parameters.map((p) => p.key));
  const resources = new Set<string>();
  for (const resource of template.resources) {
    if (parameters.has(resource.logicalId)) {
      throw formatError(
        `Duplicate logical ID ${resource.logicalId}: a parameter and a resource have the same name.`,
      );
    }
    resources.add(resource.logicalId);
  }
  const conditions = new Set(Object.keys(template.conditions));
  for (const resource of template.resources) {
    if (resource.condition !== undefined && !conditions.has(resource.condition)) {
      throw formatError(
        `Unresolved dependencies [${resource.condition}]. Cannot find the condition of resource ${resource.logicalId} in the Conditions block of the template`,
      );
    }
    const missing = resource.dependsOn.filter((d) => !resources.has(d));
    if (missing.length > 0) {
      throw formatError(
        `Unresolved resource dependencies [${missing.join(', ')}] in the Resources block of the template`,
      );
    }
  }
  for (const output of template.outputs) {
    if (output.condition !== undefined && !conditions.has(output.condition)) {
      throw formatError(
        `Unresolved dependencies [${output.condition}]. Cannot find the condition of output ${output.key} in the Conditions block of the template`,
      );
    }
  }
};
