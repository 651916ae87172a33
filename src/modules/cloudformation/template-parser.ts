import { type CollectionTag, parseDocument, type ScalarTag, type YAMLMap, type YAMLSeq } from 'yaml';
import { formatError } from './template-errors.js';

/**
 * Reads a template body, JSON or YAML, into plain JSON values in which every intrinsic function is
 * in its long form (`{ "Fn::Sub": … }`), whichever way it was written. YAML short tags (`!Ref`,
 * `!GetAtt A.B`, `!If [ … ]`, …) become that long form here, so nothing after parsing knows YAML.
 *
 * YAML is read with the 1.2 core schema, as CloudFormation reads it: `Version: 2012-10-17` stays a
 * string (YAML 1.1 would make it a date), and keys must be unique.
 */

export type TemplateFormat = 'JSON' | 'YAML';

export interface ParsedDocument {
  format: TemplateFormat;
  document: Record<string, unknown>;
}

/** Short tags and the functions they stand for. */
const SHORT_TAGS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  FindInMap: 'Fn::FindInMap',
  GetAtt: 'Fn::GetAtt',
  GetAZs: 'Fn::GetAZs',
  ImportValue: 'Fn::ImportValue',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  Sub: 'Fn::Sub',
  Transform: 'Fn::Transform',
  And: 'Fn::And',
  Equals: 'Fn::Equals',
  If: 'Fn::If',
  Not: 'Fn::Not',
  Or: 'Fn::Or',
  Length: 'Fn::Length',
  ToJsonString: 'Fn::ToJsonString',
};

const shortTags = (): (ScalarTag | CollectionTag)[] =>
  Object.entries(SHORT_TAGS).flatMap(([tag, fn]): (ScalarTag | CollectionTag)[] => [
    {
      tag: `!${tag}`,
      // `!GetAtt Resource.Attribute` is the one short form whose scalar is itself structured.
      resolve: (value: string) => ({ [fn]: tag === 'GetAtt' ? splitGetAtt(value) : value }),
    },
    { tag: `!${tag}`, collection: 'seq', resolve: (seq) => ({ [fn]: (seq as YAMLSeq).toJSON() }) },
    { tag: `!${tag}`, collection: 'map', resolve: (map) => ({ [fn]: (map as YAMLMap).toJSON() }) },
  ]);

/** `A.B.C` → `['A', 'B.C']`: the logical ID never contains a dot, an attribute may. */
export const splitGetAtt = (value: string): string[] | string => {
  const dot = value.indexOf('.');
  return dot < 0 ? value : [value.slice(0, dot), value.slice(dot + 1)];
};

const TAGS = shortTags();

const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch (error) {
    const detail = (error as Error).message;
    throw formatError(`JSON not well-formed. (${detail})`);
  }
};

const parseYaml = (body: string): unknown => {
  const doc = parseDocument(body, {
    customTags: TAGS,
    schema: 'core',
    prettyErrors: false,
    uniqueKeys: true,
  });
  const problem = doc.errors[0];
  if (problem !== undefined) {
    throw formatError(`YAML not well-formed. (${problem.message.split('\n')[0] ?? problem.code})`);
  }
  const unresolved = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (unresolved !== undefined) {
    const tag = /Unresolved tag: (\S+)/.exec(unresolved.message)?.[1] ?? 'unknown';
    throw formatError(
      `YAML not well-formed. Unsupported tag ${tag}: the short forms are ${Object.keys(SHORT_TAGS)
        .map((t) => `!${t}`)
        .join(', ')}.`,
    );
  }
  return doc.toJS({ maxAliasCount: 1000 });
};

/** The document of a template body; Template format errors for anything that is not a template. */
export const parseTemplateBody = (body: string): ParsedDocument => {
  const trimmed = body.trimStart();
  const format: TemplateFormat = trimmed.startsWith('{') ? 'JSON' : 'YAML';
  const document = format === 'JSON' ? parseJson(body) : parseYaml(body);
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw formatError('not a valid template: the template must be a JSON object or a YAML mapping.');
  }
  return { format, document: document as Record<string, unknown> };
};
