import { ValidationError } from '../../core/errors.js';
import { isListParameterType, type ParameterDeclaration } from './template.js';

/**
 * Parameter values for a stack: the caller's, the previous stack's (UsePreviousValue) or the
 * defaults, checked against their declarations (type, AllowedValues, AllowedPattern, lengths,
 * bounds, AWS-specific ID formats) with CloudFormation's messages.
 */

export interface GivenParameter {
  key: string;
  value?: string;
  usePreviousValue?: boolean;
}

/** A parameter as the stack keeps it: the text given (lists comma-joined) and, for SSM types, the resolved value. */
export interface StackParameter {
  key: string;
  value: string;
  resolvedValue?: string;
}

export interface ResolvedParameters {
  /** What Ref returns for each parameter: a string, or a list of strings for list types. */
  values: Map<string, string | string[]>;
  /** In declaration order, for DescribeStacks. */
  parameters: StackParameter[];
}

export type SsmParameterLookup = (name: string) => Promise<string | undefined>;

/** AWS-specific parameter types: the format their values must have (no EC2 stands behind them). */
const ID_FORMATS: Record<string, { pattern: RegExp; what: string }> = {
  'AWS::EC2::AvailabilityZone::Name': {
    pattern: /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/,
    what: 'an Availability Zone name',
  },
  'AWS::EC2::Image::Id': { pattern: /^ami-[0-9a-zA-Z]+$/, what: 'an AMI ID (ami-…)' },
  'AWS::EC2::Instance::Id': { pattern: /^i-[0-9a-zA-Z]+$/, what: 'an instance ID (i-…)' },
  'AWS::EC2::KeyPair::KeyName': { pattern: /^.+$/, what: 'a key pair name' },
  'AWS::EC2::SecurityGroup::GroupName': { pattern: /^.+$/, what: 'a security group name' },
  'AWS::EC2::SecurityGroup::Id': { pattern: /^sg-[0-9a-zA-Z]+$/, what: 'a security group ID (sg-…)' },
  'AWS::EC2::Subnet::Id': { pattern: /^subnet-[0-9a-zA-Z]+$/, what: 'a subnet ID (subnet-…)' },
  'AWS::EC2::Volume::Id': { pattern: /^vol-[0-9a-zA-Z]+$/, what: 'a volume ID (vol-…)' },
  'AWS::EC2::VPC::Id': { pattern: /^vpc-[0-9a-zA-Z]+$/, what: 'a VPC ID (vpc-…)' },
  'AWS::Route53::HostedZone::Id': { pattern: /^[A-Z0-9]+$/, what: 'a hosted zone ID' },
};

const SSM_VALUE = /^AWS::SSM::Parameter::Value<(.*)>$/;

const constraintError = (declaration: ParameterDeclaration, message: string): ValidationError =>
  new ValidationError(
    declaration.constraintDescription !== undefined
      ? `Parameter '${declaration.key}' failed to satisfy constraint: ${declaration.constraintDescription}`
      : message,
    'PARAMETER_INVALID',
  );

const checkItem = (declaration: ParameterDeclaration, itemType: string, value: string): void => {
  const { key } = declaration;
  if (declaration.allowedValues !== undefined && !declaration.allowedValues.includes(value)) {
    throw constraintError(declaration, `Parameter '${key}' must be one of AllowedValues`);
  }
  if (
    declaration.allowedPattern !== undefined &&
    !new RegExp(`^(?:${declaration.allowedPattern})$`).test(value)
  ) {
    throw constraintError(declaration, `Parameter '${key}' must match pattern ${declaration.allowedPattern}`);
  }
  if (declaration.minLength !== undefined && value.length < declaration.minLength) {
    throw constraintError(
      declaration,
      `Parameter '${key}' must contain at least ${declaration.minLength} characters`,
    );
  }
  if (declaration.maxLength !== undefined && value.length > declaration.maxLength) {
    throw constraintError(
      declaration,
      `Parameter '${key}' must contain at most ${declaration.maxLength} characters`,
    );
  }
  if (itemType === 'Number') {
    const n = Number(value);
    if (value.trim() === '' || Number.isNaN(n))
      throw constraintError(declaration, `Parameter '${key}' must be a number`);
    if (declaration.minValue !== undefined && n < declaration.minValue) {
      throw constraintError(
        declaration,
        `Parameter '${key}' must be a number not less than ${declaration.minValue}`,
      );
    }
    if (declaration.maxValue !== undefined && n > declaration.maxValue) {
      throw constraintError(
        declaration,
        `Parameter '${key}' must be a number not greater than ${declaration.maxValue}`,
      );
    }
  }
  const format = ID_FORMATS[itemType];
  if (format !== undefined && !format.pattern.test(value)) {
    throw new ValidationError(
      `Parameter validation failed: parameter value '${value}' for parameter name ${key} is not ${format.what}.`,
      'PARAMETER_INVALID',
    );
  }
};

/** The value's items and their type: `List<X>` and CommaDelimitedList split at commas. */
const typedValue = (type: string, value: string): { items: string[]; itemType: string; list: boolean } => {
  const listOf = /^List<(.*)>$/.exec(type)?.[1];
  if (listOf !== undefined)
    return { items: value.split(',').map((v) => v.trim()), itemType: listOf, list: true };
  if (type === 'CommaDelimitedList')
    return { items: value.split(',').map((v) => v.trim()), itemType: 'String', list: true };
  return { items: [value], itemType: type, list: false };
};

export const resolveParameters = async (
  declarations: readonly ParameterDeclaration[],
  given: readonly GivenParameter[],
  options: { previous?: ReadonlyMap<string, string>; ssm?: SsmParameterLookup } = {},
): Promise<ResolvedParameters> => {
  const declared = new Set(declarations.map((d) => d.key));
  const unknown = given.filter((g) => !declared.has(g.key)).map((g) => g.key);
  if (unknown.length > 0) {
    throw new ValidationError(
      `Parameters: [${unknown.join(', ')}] do not exist in the template`,
      'PARAMETER_UNKNOWN',
    );
  }
  const byKey = new Map(given.map((g) => [g.key, g]));
  const missing: string[] = [];
  const values = new Map<string, string | string[]>();
  const parameters: StackParameter[] = [];
  for (const declaration of declarations) {
    const supplied = byKey.get(declaration.key);
    let text: string | undefined;
    if (supplied?.usePreviousValue === true) {
      text = options.previous?.get(declaration.key);
      if (text === undefined) {
        throw new ValidationError(
          `Invalid input for parameter key ${declaration.key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`,
          'PARAMETER_INVALID',
        );
      }
    } else {
      text = supplied?.value ?? declaration.default;
    }
    if (text === undefined) {
      missing.push(declaration.key);
      continue;
    }
    const ssmType = SSM_VALUE.exec(declaration.type)?.[1];
    let effective = text;
    let resolvedValue: string | undefined;
    if (ssmType !== undefined) {
      resolvedValue = await options.ssm?.(text);
      if (resolvedValue === undefined) {
        throw new ValidationError(
          `Unable to fetch parameters [${text}] from parameter store for this account.`,
          'PARAMETER_INVALID',
        );
      }
      effective = resolvedValue;
    }
    const { items, itemType, list } = typedValue(ssmType ?? declaration.type, effective);
    // An empty list parameter is allowed (CommaDelimitedList defaults of ''); its one item is ''.
    const checked = list && effective === '' ? [] : items;
    for (const item of checked) checkItem(declaration, itemType, item);
    values.set(declaration.key, isListParameterType(ssmType ?? declaration.type) ? items : effective);
    parameters.push(
      resolvedValue === undefined
        ? { key: declaration.key, value: text }
        : { key: declaration.key, value: text, resolvedValue },
    );
  }
  if (missing.length > 0) {
    throw new ValidationError(`Parameters: [${missing.join(', ')}] must have values`, 'PARAMETER_MISSING');
  }
  return { values, parameters };
};
