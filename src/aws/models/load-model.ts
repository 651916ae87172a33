import { existsSync, readFileSync } from 'node:fs';

export type ServiceName = 'identitystore' | 'sso-admin' | 'organizations' | 'sagemaker' | 'cloudformation';

export const serviceNames: readonly ServiceName[] = [
  'identitystore',
  'sso-admin',
  'organizations',
  'sagemaker',
  'cloudformation',
];

export type ShapeType =
  | 'structure'
  | 'list'
  | 'map'
  | 'string'
  | 'integer'
  | 'long'
  | 'float'
  | 'double'
  | 'boolean'
  | 'timestamp'
  | 'blob';

export interface ShapeRef {
  shape: string;
  box?: boolean;
  deprecated?: boolean;
  idempotencyToken?: boolean;
  jsonvalue?: boolean;
  locationName?: string;
  flattened?: boolean;
}

export interface ErrorTrait {
  code?: string;
  httpStatusCode?: number;
  senderFault?: boolean;
}

export interface Shape {
  type: ShapeType;
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  union?: boolean;
  document?: boolean;
  sensitive?: boolean;
  box?: boolean;
  exception?: boolean;
  fault?: boolean;
  error?: ErrorTrait;
  retryable?: { throttling: boolean };
  timestampFormat?: string;
  flattened?: boolean;
}

export interface OperationModel {
  name: string;
  input?: string;
  output?: string;
  /** awsQuery only: the `<Op>Result` element that wraps the output in XML. */
  resultWrapper?: string;
  errors: string[];
  idempotent?: boolean;
  readonly?: boolean;
  deprecated?: boolean;
}

export interface Paginator {
  input_token?: string | string[];
  output_token?: string | string[];
  limit_key?: string;
  result_key?: string | string[];
  more_results?: string;
  non_aggregate_keys?: string[];
}

export interface ServiceMetadata {
  apiVersion: string;
  endpointPrefix: string;
  protocol: string;
  protocols?: string[];
  serviceId: string;
  serviceFullName?: string;
  serviceAbbreviation?: string;
  signatureVersion?: string;
  signingName?: string;
  targetPrefix?: string;
  jsonVersion?: string;
  xmlNamespace?: string;
  globalEndpoint?: string;
  uid?: string;
  auth?: string[];
}

export interface ServiceModel {
  '//'?: string;
  metadata: ServiceMetadata;
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
  paginators: Record<string, Paginator>;
}

const cache = new Map<ServiceName, ServiceModel>();

export function loadServiceModel(name: ServiceName): ServiceModel {
  const cached = cache.get(name);
  if (cached) return cached;
  const model = JSON.parse(readFileSync(modelUrl(name), 'utf8')) as ServiceModel;
  cache.set(name, model);
  return model;
}

// tsc does not copy JSON into dist/, so the compiled loader (dist/aws/models/) reads the
// committed models from src/ instead; running from src/ (tsx, vitest) finds the sibling.
function modelUrl(name: ServiceName): URL {
  const sibling = new URL(`./${name}.json`, import.meta.url);
  if (existsSync(sibling)) return sibling;
  return new URL(`../../../src/aws/models/${name}.json`, import.meta.url);
}
