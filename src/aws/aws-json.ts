import { AppError, isAppError, ValidationError } from '../core/errors.js';
import { INTERNAL_ERROR_MESSAGE, toWireError } from './aws-errors.js';
import type { AwsService, AwsServiceName, OperationHandler } from './aws-service.js';
import type { IncomingSignedRequest, SigV4Verifier } from './sigv4.js';
import {
  compileInputValidator,
  formatValidationMessage,
  type InputValidator,
} from './validation/compile-validator.js';

export interface ProtocolResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ProtocolLogger {
  error(details: object, message: string): void;
}

interface RoutedOperation {
  service: AwsService;
  operation: string;
  validate: InputValidator;
  handler: OperationHandler<never, unknown>;
}

/** What the request log line wants to know about an AWS call. */
export interface AwsCallInfo {
  service?: AwsServiceName;
  operation?: string;
  accountId?: string;
  errorType?: string;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const ACCEPTED_CONTENT_TYPES = new Set([CONTENT_TYPE, 'application/x-amz-json-1.0', 'application/json']);

/** The signing names of the credential scope, when they differ from the service's own name. */
const SIGNING_NAMES: Partial<Record<AwsServiceName, string>> = { 'sso-admin': 'sso' };

const protocolError = (code: string, message: string): AppError => new AppError('Validation', code, message);

/**
 * The output as awsJson wants it: timestamps as epoch seconds (milliseconds as a fraction), never
 * ISO strings, and absent members left out. A walk before the native JSON.stringify costs half
 * what a replacer function does.
 */
const toWireJson = (value: unknown): unknown => {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWireJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key in value) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = toWireJson(member);
    }
    return out;
  }
  return value;
};

/** The reason Organizations' InvalidInputException carries, from the first broken constraint. */
const organizationsReason = (constraint: string): string => {
  if (constraint.includes('must not be null')) return 'INPUT_REQUIRED';
  if (constraint.includes('length less than')) return 'MAX_LENGTH_EXCEEDED';
  if (constraint.includes('length greater than')) return 'MIN_LENGTH_EXCEEDED';
  if (constraint.includes('value less than')) return 'MAX_VALUE_EXCEEDED';
  if (constraint.includes('value greater than')) return 'MIN_VALUE_EXCEEDED';
  if (constraint.includes('enum')) return 'INVALID_ENUM';
  return 'INVALID_PATTERN';
};

/**
 * The awsJson1_1 protocol: route on X-Amz-Target, verify SigV4 and its scope, parse and validate
 * the body against the model, call the operation, and answer in AWS's envelope. Knows nothing of
 * business rules and nothing of the HTTP framework around it.
 */
export class AwsJsonProtocol {
  private readonly routes = new Map<string, RoutedOperation>();

  constructor(
    services: AwsService[],
    private readonly verifier: SigV4Verifier,
    private readonly logger: ProtocolLogger,
  ) {
    for (const service of services) {
      const prefix = service.model.metadata.targetPrefix;
      for (const [operation, handler] of Object.entries(service.handlers)) {
        this.routes.set(`${prefix}.${operation}`, {
          service,
          operation,
          validate: compileInputValidator(service.model, operation),
          handler,
        });
      }
    }
  }

  async handle(
    request: IncomingSignedRequest,
    requestId: string,
    info: AwsCallInfo,
  ): Promise<ProtocolResponse> {
    const target = headerString(request.headers['x-amz-target']);
    const route = target === undefined ? undefined : this.routes.get(target);
    info.service = route?.service.name;
    info.operation = route?.operation ?? target;
    try {
      if (route === undefined) {
        // Authenticated first, so an unsigned caller learns nothing about what exists.
        info.accountId = (await this.verifier.verify(request)).credential.accountId;
        throw protocolError(
          'UNKNOWN_OPERATION',
          target === undefined ? 'Missing X-Amz-Target header.' : `Unknown operation ${target}.`,
        );
      }
      const scope = await this.verifier.verifyScopedTo(
        request,
        SIGNING_NAMES[route.service.name] ?? route.service.model.metadata.signingName ?? route.service.name,
      );
      info.accountId = scope.accountId;
      const input = parseBody(request);
      const validation = route.validate(input);
      if (!validation.ok) {
        if (validation.kind === 'serialization') throw protocolError('SERIALIZATION', validation.message);
        const first = validation.issues[0];
        throw new ValidationError(formatValidationMessage(validation.issues), 'MODEL_VALIDATION', {
          reason:
            route.service.name === 'organizations' && first
              ? organizationsReason(first.constraint)
              : undefined,
        });
      }
      const output = await route.handler(input as never, { scope, requestId });
      return {
        status: 200,
        headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId },
        body: JSON.stringify(toWireJson(output ?? {})),
      };
    } catch (error) {
      return this.errorResponse(route?.service.name, error, requestId, info);
    }
  }

  /** An error raised before a request reaches the protocol (body too large, unreadable). */
  errorResponse(
    service: AwsServiceName | undefined,
    error: unknown,
    requestId: string,
    info: AwsCallInfo,
  ): ProtocolResponse {
    let appError: AppError;
    if (isAppError(error)) {
      appError = error;
    } else {
      this.logger.error({ err: error, requestId }, 'unexpected error in AWS operation');
      appError = new AppError('Internal', 'INTERNAL', INTERNAL_ERROR_MESSAGE);
    }
    const wire = toWireError(service, appError);
    info.errorType = wire.type;
    const body: Record<string, string> = { __type: wire.type, message: appError.message, ...wire.members };
    if (service === 'identitystore' && wire.status !== 500) body.RequestId = requestId;
    return {
      status: wire.status,
      headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId, 'x-amzn-errortype': wire.type },
      body: JSON.stringify(body),
    };
  }
}

const headerString = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

const parseBody = (request: IncomingSignedRequest): unknown => {
  const contentType = headerString(request.headers['content-type'])?.split(';')[0]?.trim().toLowerCase();
  if (contentType === undefined || !ACCEPTED_CONTENT_TYPES.has(contentType)) {
    throw protocolError(
      'SERIALIZATION',
      `Unsupported Content-Type '${contentType ?? ''}': AWS JSON requests must be sent as ${CONTENT_TYPE}.`,
    );
  }
  if (request.body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body.toString('utf8'));
  } catch (error) {
    throw protocolError('SERIALIZATION', `The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw protocolError('SERIALIZATION', 'The request body must be a JSON object.');
  }
  return parsed;
};
