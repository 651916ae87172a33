import { cidrSubnets } from './cidr.js';
import { isObject, type Mappings, PSEUDO_PARAMETERS, scalarText } from './template.js';
import { formatError, templateError } from './template-errors.js';
import { splitGetAtt } from './template-parser.js';

/**
 * The intrinsic functions: Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If,
 * Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition, Fn::FindInMap, Fn::Base64, Fn::GetAZs, Fn::Cidr
 * and Fn::ImportValue, evaluated over a template value with what the stack knows at that moment.
 * `Ref AWS::NoValue` (directly or through Fn::If) removes the property or list item it stands for.
 */

/** What `Ref: AWS::NoValue` evaluates to: removed from the object or list that holds it. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

export const SUPPORTED_FUNCTIONS = [
  'Fn::Base64',
  'Fn::Cidr',
  'Fn::FindInMap',
  'Fn::GetAtt',
  'Fn::GetAZs',
  'Fn::ImportValue',
  'Fn::Join',
  'Fn::Select',
  'Fn::Split',
  'Fn::Sub',
  'Ref',
  'Fn::Equals',
  'Fn::If',
  'Fn::Not',
  'Condition',
  'Fn::And',
  'Fn::Or',
];

export interface PseudoParameters {
  accountId: string;
  region: string;
  stackName: string;
  stackId: string;
  notificationArns: string[];
}

/** Where resources are looked up while evaluating; absent where resources may not be referenced. */
export interface ResourceValues {
  /** What `Ref` of the resource returns; throws when it has none (yet). */
  ref(logicalId: string): string;
  /** What `Fn::GetAtt` returns; throws when the resource has no such attribute (yet). */
  attribute(logicalId: string, attribute: string): unknown;
}

export type Section = 'Conditions' | 'Resources' | 'Outputs' | 'Export' | 'ImportValue';

export interface EvaluationContext {
  section: Section;
  parameters: ReadonlyMap<string, string | string[]>;
  pseudo: PseudoParameters;
  mappings: Mappings;
  /** Every resource the template declares (active or not): to tell them from unknown names. */
  resourceIds: ReadonlySet<string>;
  condition(name: string): boolean;
  resources?: ResourceValues;
  importValue?(name: string): string;
}

export const partitionOf = (region: string): string =>
  region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';

export const urlSuffixOf = (region: string): string =>
  region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';

/** Three zones per Region, as a fresh account sees them (`us-east-1a`, `…b`, `…c`). */
export const availabilityZones = (region: string): string[] => ['a', 'b', 'c'].map((z) => `${region}${z}`);

/** The intrinsic function an object stands for, if it is one (a single `Ref`/`Fn::…`/`Condition` key). */
export const intrinsicName = (value: unknown): string | undefined => {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0] as string;
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::') ? key : undefined;
};

export interface SubPart {
  literal?: string;
  variable?: string;
}

/** `Fn::Sub` text into literals and `${Variable}`s; `${!Literal}` stands for the text `${Literal}`. */
export const parseSub = (text: string): SubPart[] => {
  const parts: SubPart[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('${', i);
    if (start < 0) {
      literal += text.slice(i);
      break;
    }
    literal += text.slice(i, start);
    const end = text.indexOf('}', start + 2);
    if (end < 0) {
      literal += text.slice(start);
      break;
    }
    const inner = text.slice(start + 2, end);
    if (inner.startsWith('!')) {
      literal += `\${${inner.slice(1)}}`;
    } else {
      if (literal !== '') parts.push({ literal });
      literal = '';
      parts.push({ variable: inner.trim() });
    }
    i = end + 1;
  }
  if (literal !== '') parts.push({ literal });
  return parts;
};

const unresolved = (ctx: EvaluationContext, name: string): Error => {
  if (ctx.section === 'Conditions') {
    return formatError(
      `Unresolved dependencies [${name}]. Cannot reference resources in the Conditions block of the template`,
    );
  }
  const block = ctx.section === 'Resources' ? 'Resources' : 'Outputs';
  return formatError(`Unresolved resource dependencies [${name}] in the ${block} block of the template`);
};

const pseudoValue = (ctx: EvaluationContext, name: string): string | string[] | typeof NO_VALUE => {
  const { pseudo } = ctx;
  switch (name) {
    case 'AWS::AccountId':
      return pseudo.accountId;
    case 'AWS::Region':
      return pseudo.region;
    case 'AWS::StackName':
      return pseudo.stackName;
    case 'AWS::StackId':
      return pseudo.stackId;
    case 'AWS::Partition':
      return partitionOf(pseudo.region);
    case 'AWS::URLSuffix':
      return urlSuffixOf(pseudo.region);
    case 'AWS::NotificationARNs':
      return pseudo.notificationArns;
    default:
      return NO_VALUE;
  }
};

const resolveRef = (ctx: EvaluationContext, name: unknown): unknown => {
  if (typeof name !== 'string')
    throw templateError('Ref must name a parameter, a resource or a pseudo parameter.');
  if (PSEUDO_PARAMETERS.has(name)) return pseudoValue(ctx, name);
  const parameter = ctx.parameters.get(name);
  if (parameter !== undefined) return parameter;
  if (ctx.resourceIds.has(name) && ctx.resources !== undefined) return ctx.resources.ref(name);
  if (ctx.resourceIds.has(name) && (ctx.section === 'Export' || ctx.section === 'ImportValue')) {
    throw templateError(
      `${ctx.section === 'Export' ? 'the Name of an Export' : 'Fn::ImportValue'} cannot depend on resource ${name}: it must be known before any resource is created`,
    );
  }
  throw unresolved(ctx, name);
};

const getAttArguments = (ctx: EvaluationContext, args: unknown): [string, string] => {
  const pair = typeof args === 'string' ? splitGetAtt(args) : args;
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') {
    throw templateError(
      'every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute',
    );
  }
  const attribute = typeof pair[1] === 'string' ? pair[1] : scalarText(evaluate(pair[1], ctx));
  if (attribute === undefined || attribute === '') {
    throw templateError(
      'every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute',
    );
  }
  return [pair[0], attribute];
};

const resolveGetAtt = (ctx: EvaluationContext, logicalId: string, attribute: string): unknown => {
  if (!ctx.resourceIds.has(logicalId)) {
    if (ctx.section === 'Conditions') throw unresolved(ctx, logicalId);
    throw templateError(`instance of Fn::GetAtt references undefined resource ${logicalId}`);
  }
  if (ctx.resources === undefined) throw unresolved(ctx, logicalId);
  return ctx.resources.attribute(logicalId, attribute);
};

const asString = (value: unknown, what: string): string => {
  const text = scalarText(value);
  if (text === undefined) throw templateError(`${what} must be a string.`);
  return text;
};

const asList = (value: unknown, what: string): unknown[] => {
  if (!Array.isArray(value)) throw templateError(`${what} must be a list.`);
  return value;
};

const asBoolean = (value: unknown, what: string): boolean => {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw templateError(
    `${what} must be a condition: Fn::Equals, Fn::And, Fn::Or, Fn::Not or {"Condition": name}.`,
  );
};

const evaluateSub = (ctx: EvaluationContext, args: unknown): string => {
  let text: unknown;
  let variables: Record<string, unknown> = {};
  if (Array.isArray(args)) {
    if (args.length !== 2 || !isObject(args[1])) {
      throw templateError(
        "One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string",
      );
    }
    [text, variables] = [args[0], args[1]];
  } else {
    text = args;
  }
  if (typeof text !== 'string') {
    throw templateError(
      "One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string",
    );
  }
  return parseSub(text)
    .map((part) => {
      if (part.literal !== undefined) return part.literal;
      const name = part.variable ?? '';
      if (Object.hasOwn(variables, name)) {
        return asString(evaluate(variables[name], ctx), `The value of the Fn::Sub variable ${name}`);
      }
      const dot = name.indexOf('.');
      if (dot > 0 && !PSEUDO_PARAMETERS.has(name)) {
        const value = resolveGetAtt(ctx, name.slice(0, dot), name.slice(dot + 1));
        return asString(value, `Attribute ${name} in Fn::Sub`);
      }
      const value = resolveRef(ctx, name);
      if (Array.isArray(value)) {
        throw templateError(`Fn::Sub variable ${name} is a list: use Fn::Join to make it a string first`);
      }
      return asString(value, `The value of ${name} in Fn::Sub`);
    })
    .join('');
};

const conditionArgument = (ctx: EvaluationContext, value: unknown, fn: string): boolean =>
  asBoolean(evaluate(value, ctx), `Every argument of ${fn}`);

const evaluateFunction = (ctx: EvaluationContext, fn: string, args: unknown): unknown => {
  switch (fn) {
    case 'Ref':
      return resolveRef(ctx, args);
    case 'Condition': {
      if (typeof args !== 'string') throw templateError('Condition must name a condition.');
      return ctx.condition(args);
    }
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = getAttArguments(ctx, args);
      return resolveGetAtt(ctx, logicalId, attribute);
    }
    case 'Fn::Sub':
      return evaluateSub(ctx, args);
    case 'Fn::Join': {
      if (!Array.isArray(args) || args.length !== 2) {
        throw templateError(
          'every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.',
        );
      }
      const delimiter = asString(evaluate(args[0], ctx), 'The delimiter of Fn::Join');
      const items = asList(evaluate(args[1], ctx), 'The second parameter of Fn::Join');
      return items
        .filter((item) => item !== NO_VALUE)
        .map((item) => asString(item, 'Every item Fn::Join joins'))
        .join(delimiter);
    }
    case 'Fn::Select': {
      if (!Array.isArray(args) || args.length !== 2) {
        throw templateError(
          'Fn::Select requires a list argument with two elements: an integer index and a list',
        );
      }
      const indexText = scalarText(evaluate(args[0], ctx));
      const index = indexText === undefined ? Number.NaN : Number(indexText);
      if (!Number.isInteger(index) || index < 0) throw templateError('Fn::Select requires an integer index.');
      const list = asList(evaluate(args[1], ctx), 'The second parameter of Fn::Select');
      if (index >= list.length)
        throw templateError(`Fn::Select cannot select nonexistent value at index ${index}`);
      return list[index];
    }
    case 'Fn::Split': {
      if (!Array.isArray(args) || args.length !== 2) {
        throw templateError(
          'Fn::Split requires a list argument with two elements: a delimiter and a source string',
        );
      }
      const delimiter = asString(evaluate(args[0], ctx), 'The delimiter of Fn::Split');
      const source = asString(evaluate(args[1], ctx), 'The source of Fn::Split');
      if (delimiter === '') throw templateError('The delimiter of Fn::Split must not be empty.');
      return source.split(delimiter);
    }
    case 'Fn::If': {
      if (!Array.isArray(args) || args.length !== 3 || typeof args[0] !== 'string') {
        throw templateError(
          'Fn::If requires a list argument with three elements: a condition name, the value when true and the value when false',
        );
      }
      return evaluate(ctx.condition(args[0]) ? args[1] : args[2], ctx);
    }
    case 'Fn::Equals': {
      if (!Array.isArray(args) || args.length !== 2) {
        throw templateError('Fn::Equals requires a list argument with two elements');
      }
      const [a, b] = args.map((arg) => evaluate(arg, ctx));
      const text = (v: unknown) => scalarText(v) ?? JSON.stringify(v);
      return text(a) === text(b);
    }
    case 'Fn::And':
    case 'Fn::Or': {
      if (!Array.isArray(args) || args.length < 2 || args.length > 10) {
        throw templateError(`${fn} requires a list of 2 to 10 conditions`);
      }
      const values = args.map((arg) => conditionArgument(ctx, arg, fn));
      return fn === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
    }
    case 'Fn::Not': {
      if (!Array.isArray(args) || args.length !== 1)
        throw templateError('Fn::Not requires a list with one condition');
      return !conditionArgument(ctx, args[0], fn);
    }
    case 'Fn::FindInMap': {
      if (!Array.isArray(args) || args.length < 3) {
        throw templateError(
          'Fn::FindInMap requires a list argument with three elements: the map name, the top-level key and the second-level key',
        );
      }
      const [name, top, second] = args
        .slice(0, 3)
        .map((arg, i) =>
          asString(
            evaluate(arg, ctx),
            ['The map name', 'The top-level key', 'The second-level key'][i] ?? 'The key',
          ),
        ) as [string, string, string];
      const mapping = ctx.mappings[name];
      if (mapping === undefined)
        throw templateError(`Mapping named '${name}' is not present in the 'Mappings' section of template.`);
      const value = mapping[top]?.[second];
      if (value === undefined) {
        if (args.length === 4 && isObject(args[3]) && 'DefaultValue' in args[3])
          return evaluate(args[3].DefaultValue, ctx);
        throw templateError(`Unable to get mapping for ${name}::${top}::${second}`);
      }
      return value;
    }
    case 'Fn::Base64':
      return Buffer.from(asString(evaluate(args, ctx), 'The argument of Fn::Base64'), 'utf8').toString(
        'base64',
      );
    case 'Fn::GetAZs': {
      const region = asString(evaluate(args, ctx), 'The argument of Fn::GetAZs');
      return availabilityZones(region === '' ? ctx.pseudo.region : region);
    }
    case 'Fn::Cidr': {
      if (!Array.isArray(args) || args.length !== 3) {
        throw templateError(
          'Fn::Cidr requires a list argument with three elements: an address block, a count and the subnet bits',
        );
      }
      const [block, count, bits] = args.map((arg) => scalarText(evaluate(arg, ctx)));
      return cidrSubnets(block ?? '', Number(count), Number(bits));
    }
    case 'Fn::ImportValue': {
      if (ctx.importValue === undefined) {
        throw templateError(`Fn::ImportValue can be used in the Resources and Outputs of a template only`);
      }
      const name = asString(
        evaluate(args, { ...ctx, section: 'ImportValue', resources: undefined }),
        'The name in Fn::ImportValue',
      );
      return ctx.importValue(name);
    }
    default:
      throw formatError(
        `Encountered unsupported function: ${fn} Supported functions are: [${SUPPORTED_FUNCTIONS.join(', ')}]`,
      );
  }
};

/** Evaluates every intrinsic function in a template value; NO_VALUE where it was AWS::NoValue. */
export const evaluate = (value: unknown, ctx: EvaluationContext): unknown => {
  if (Array.isArray(value)) {
    return value.map((item) => evaluate(item, ctx)).filter((item) => item !== NO_VALUE);
  }
  if (!isObject(value)) return value;
  const fn = intrinsicName(value);
  if (fn !== undefined && (fn !== 'Condition' || ctx.section === 'Conditions')) {
    return evaluateFunction(ctx, fn, value[fn]);
  }
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    const evaluated = evaluate(member, ctx);
    if (evaluated !== NO_VALUE) out[key] = evaluated;
  }
  return out;
};

/**
 * The value of every condition, each evaluated once, in any order of reference; a condition that
 * reaches itself is a Template format error.
 */
export const evaluateConditions = (
  conditions: Record<string, unknown>,
  base: Omit<EvaluationContext, 'section' | 'condition' | 'resources' | 'importValue'>,
): Map<string, boolean> => {
  const values = new Map<string, boolean>();
  const evaluating = new Set<string>();
  const condition = (name: string): boolean => {
    const known = values.get(name);
    if (known !== undefined) return known;
    if (!Object.hasOwn(conditions, name))
      throw templateError(`unresolved condition dependency ${name} in Fn::If`);
    if (evaluating.has(name)) {
      throw formatError(`Circular dependency between conditions: [${[...evaluating, name].join(', ')}]`);
    }
    evaluating.add(name);
    const value = asBoolean(evaluate(conditions[name], ctx), `Condition ${name}`);
    evaluating.delete(name);
    values.set(name, value);
    return value;
  };
  const ctx: EvaluationContext = { ...base, section: 'Conditions', condition };
  for (const name of Object.keys(conditions)) condition(name);
  return values;
};
