import type { Scope } from '../core/scope.js';
import type { ServiceModel } from './models/load-model.js';

export type AwsServiceName = 'identitystore' | 'sso-admin' | 'organizations' | 'sagemaker' | 'cloudformation';

export interface OperationContext {
  scope: Scope;
  requestId: string;
}

export type OperationHandler<I, O> = (input: I, context: OperationContext) => Promise<O>;

/** The shape of a generated `<Service>Operations` map: operation name → input and output types. */
export type OperationTypes = Record<string, { input: unknown; output: unknown }>;

export type OperationHandlers<Ops extends OperationTypes> = {
  [K in keyof Ops]: OperationHandler<Ops[K]['input'], Ops[K]['output']>;
};

/**
 * One AWS service as the wire sees it: its model (the source of every shape and constraint) and
 * one handler per served operation. Each operation is declared exactly once, in the module's
 * `.aws.ts`; routing and validation derive from the model by the operation's name.
 */
export interface AwsService {
  name: AwsServiceName;
  model: ServiceModel;
  handlers: Record<string, OperationHandler<never, unknown>>;
}

export const defineAwsService = <Ops extends OperationTypes>(
  name: AwsServiceName,
  model: ServiceModel,
  handlers: Partial<OperationHandlers<Ops>>,
): AwsService => {
  for (const operation of Object.keys(handlers)) {
    if (model.operations[operation] === undefined) {
      throw new Error(`${name}: ${operation} is not an operation of the trimmed model`);
    }
  }
  return { name, model, handlers: handlers as AwsService['handlers'] };
};
