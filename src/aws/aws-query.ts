import { AppError, isAppError, ValidationError } from '../core/errors.js';
import { INTERNAL_ERROR_MESSAGE, toQueryWireError } from './aws-errors.js';
import type { AwsCallInfo, ProtocolLogger, ProtocolResponse } from './aws-json.js';
import type { AwsService, OperationHandler } from './aws-service.js';
import type { OperationModel } from './models/load-model.js';
import { decodeQueryInput, encodeQueryOutput, QueryDecodingError } from './query-shapes.js';
import type { IncomingSignedRequest, SigV4Verifier } from './sigv4.js';
import {
  compileInputValidator,
  formatValidationMessage,
  type InputValidator,
} from './validation/compile-validator.js';
import { element, rootElement, textElement } from './xml-writer.js';

interface QueryRoute {
  operation: string;
  model: OperationModel;
  validate: InputValidator;
  handler: OperationHandler<never, unknown>;
}

const CONTENT_TYPE = 'text/xml';

const protocolError = (code: string, message: string): AppError => new AppError('Validation', code, message);

const headerString = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/** Is this request meant for the Query protocol: form-encoded, without an X-Amz-Target? */
export const isQueryRequest = (headers: IncomingSignedRequest['headers']): boolean =>
  headerString(headers['x-amz-target']) === undefined &&
  headerString(headers['content-type'])?.split(';')[0]?.trim().toLowerCase() ===
    'application/x-www-form-urlencoded';

/**
 * The awsQuery protocol (CloudFormation): form-encoded `Action=…&Version=…` requests, XML answers
 * wrapped in `<Op>Response><Op>Result>` with `<member>` lists and ISO timestamps, and errors as
 * `<ErrorResponse>`. The sibling of AwsJsonProtocol: it verifies SigV4 and its scope, turns the form
 * into the JSON-typed input the model's validator and the handlers expect, and knows no business.
 */
export class AwsQueryProtocol {
  private readonly routes = new Map<string, QueryRoute>();
  private readonly namespace: string;

  constructor(
    private readonly service: AwsService,
    private readonly verifier: SigV4Verifier,
    private readonly logger: ProtocolLogger,
  ) {
    this.namespace = service.model.metadata.xmlNamespace ?? '';
    for (const [operation, handler] of Object.entries(service.handlers)) {
      const model = service.model.operations[operation];
      if (model === undefined) throw new Error(`${service.name}: ${operation} is not in the model`);
      this.routes.set(operation, {
        operation,
        model,
        validate: compileInputValidator(service.model, operation),
        handler,
      });
    }
  }

  async handle(
    request: IncomingSignedRequest,
    requestId: string,
    info: AwsCallInfo,
  ): Promise<ProtocolResponse> {
    info.service = this.service.name;
    const params = new URLSearchParams(request.body.toString('utf8'));
    const action = params.get('Action') ?? undefined;
    info.operation = action;
    try {
      const scope = await this.verifier.verifyScopedTo(
        request,
        this.service.model.metadata.signingName ?? this.service.model.metadata.endpointPrefix,
      );
      info.accountId = scope.accountId;
      if (action === undefined || action === '') {
        throw protocolError('MISSING_ACTION', 'Missing Action parameter.');
      }
      const route = this.routes.get(action);
      if (route === undefined) {
        throw protocolError(
          'UNKNOWN_OPERATION',
          `Could not find operation ${action} for version ${params.get('Version') ?? this.service.model.metadata.apiVersion}`,
        );
      }
      const fields = new Map<string, string>();
      for (const [name, value] of params) {
        if (name !== 'Action' && name !== 'Version' && !fields.has(name)) fields.set(name, value);
      }
      let input: Record<string, unknown> = {};
      if (route.model.input !== undefined) {
        try {
          input = decodeQueryInput(this.service.model, route.model.input, fields);
        } catch (error) {
          if (error instanceof QueryDecodingError)
            throw new ValidationError(error.message, 'MODEL_VALIDATION');
          throw error;
        }
      }
      const validation = route.validate(input);
      if (!validation.ok) {
        throw new ValidationError(
          validation.kind === 'serialization'
            ? validation.message
            : formatValidationMessage(validation.issues),
          'MODEL_VALIDATION',
        );
      }
      const output = await route.handler(input as never, { scope, requestId });
      const result =
        route.model.output === undefined
          ? ''
          : element(
              route.model.resultWrapper ?? `${action}Result`,
              encodeQueryOutput(this.service.model, route.model.output, output),
            );
      const metadata = element('ResponseMetadata', textElement('RequestId', requestId));
      return {
        status: 200,
        headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId },
        body: rootElement(`${action}Response`, this.namespace, result + metadata),
      };
    } catch (error) {
      return this.errorResponse(error, requestId, info);
    }
  }

  /** An error as `<ErrorResponse>`, also for failures before a request reaches the protocol. */
  errorResponse(error: unknown, requestId: string, info: AwsCallInfo): ProtocolResponse {
    let appError: AppError;
    if (isAppError(error)) {
      appError = error;
    } else {
      this.logger.error({ err: error, requestId }, 'unexpected error in AWS operation');
      appError = new AppError('Internal', 'INTERNAL', INTERNAL_ERROR_MESSAGE);
    }
    const wire = toQueryWireError(appError);
    info.service ??= this.service.name;
    info.errorType = wire.code;
    const body = rootElement(
      'ErrorResponse',
      this.namespace,
      element(
        'Error',
        textElement('Type', wire.type) +
          textElement('Code', wire.code) +
          textElement('Message', appError.message),
      ) + textElement('RequestId', requestId),
    );
    return {
      status: wire.status,
      headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId },
      body,
    };
  }
}
