import type { AppError, ErrorKind } from '../core/errors.js';
import type { AwsServiceName } from './aws-service.js';

/** What an error looks like on the wire of the AWS JSON protocols. */
export interface WireError {
  status: number;
  type: string;
  /** Extra modeled members of the exception (ResourceType, Reason, …). */
  members?: Record<string, string>;
}

type KindTable = Record<ErrorKind, WireError>;

/** Errors of the protocol and of authentication: the same for every AWS service. */
const COMMON_CODES: Record<string, WireError> = {
  MISSING_AUTHENTICATION: { status: 403, type: 'MissingAuthenticationTokenException' },
  UNRECOGNIZED_CLIENT: { status: 403, type: 'UnrecognizedClientException' },
  INVALID_SIGNATURE: { status: 403, type: 'InvalidSignatureException' },
  SIGNATURE_EXPIRED: { status: 403, type: 'InvalidSignatureException' },
  INCOMPLETE_SIGNATURE: { status: 403, type: 'IncompleteSignatureException' },
  SERIALIZATION: { status: 400, type: 'SerializationException' },
  UNKNOWN_OPERATION: { status: 400, type: 'UnknownOperationException' },
  PAYLOAD_TOO_LARGE: { status: 413, type: 'RequestEntityTooLargeException' },
};

/** identitystore and sso-admin share one error family (Smithy httpError traits). */
const IDENTITY_CENTER: KindTable = {
  NotFound: { status: 404, type: 'ResourceNotFoundException' },
  Conflict: { status: 409, type: 'ConflictException' },
  InUse: { status: 409, type: 'ConflictException' },
  Validation: { status: 400, type: 'ValidationException' },
  AccessDenied: { status: 403, type: 'AccessDeniedException' },
  LimitExceeded: { status: 402, type: 'ServiceQuotaExceededException' },
  Unauthenticated: { status: 403, type: 'UnrecognizedClientException' },
  Internal: { status: 500, type: 'InternalServerException' },
};

const ORGANIZATIONS: KindTable = {
  NotFound: { status: 404, type: 'TargetNotFoundException' },
  Conflict: { status: 409, type: 'ConstraintViolationException' },
  InUse: { status: 409, type: 'ConstraintViolationException' },
  Validation: { status: 400, type: 'InvalidInputException' },
  AccessDenied: { status: 403, type: 'AccessDeniedException' },
  LimitExceeded: { status: 409, type: 'ConstraintViolationException' },
  Unauthenticated: { status: 403, type: 'UnrecognizedClientException' },
  Internal: { status: 500, type: 'ServiceException' },
};

/** Organizations names an exception per situation; these codes come from its services. */
const ORGANIZATIONS_CODES: Record<string, WireError> = {
  ORGANIZATION_NOT_IN_USE: { status: 404, type: 'AWSOrganizationsNotInUseException' },
  ALREADY_IN_ORGANIZATION: { status: 409, type: 'AlreadyInOrganizationException' },
  ACCOUNT_NOT_FOUND: { status: 404, type: 'AccountNotFoundException' },
};

/** SageMaker models no HTTP codes: everything a caller did wrong is a 400 with a short code. */
const SAGEMAKER: KindTable = {
  NotFound: { status: 400, type: 'ResourceNotFound' },
  Conflict: { status: 400, type: 'ResourceInUse' },
  InUse: { status: 400, type: 'ResourceInUse' },
  Validation: { status: 400, type: 'ValidationException' },
  AccessDenied: { status: 400, type: 'AccessDeniedException' },
  LimitExceeded: { status: 400, type: 'ResourceLimitExceeded' },
  Unauthenticated: { status: 403, type: 'UnrecognizedClientException' },
  Internal: { status: 500, type: 'InternalFailure' },
};

const BY_SERVICE: Record<AwsServiceName, { kinds: KindTable; codes?: Record<string, WireError> }> = {
  identitystore: { kinds: IDENTITY_CENTER },
  'sso-admin': { kinds: IDENTITY_CENTER },
  organizations: { kinds: ORGANIZATIONS, codes: ORGANIZATIONS_CODES },
  sagemaker: { kinds: SAGEMAKER },
  cloudformation: { kinds: { ...IDENTITY_CENTER, Validation: { status: 400, type: 'ValidationError' } } },
};

/** The one mapping from the core's error family to the AWS JSON wire, per service. */
export const toWireError = (service: AwsServiceName | undefined, error: AppError): WireError => {
  const common = COMMON_CODES[error.code];
  if (common !== undefined) return common;
  const table = BY_SERVICE[service ?? 'identitystore'];
  const base = table.codes?.[error.code] ?? table.kinds[error.kind];
  const members: Record<string, string> = {};
  const { resourceType, resourceId, reason } = error.details;
  if (service === 'identitystore' || service === 'sso-admin') {
    if (error.kind === 'NotFound') {
      if (resourceType !== undefined) members.ResourceType = resourceType;
      if (resourceId !== undefined) members.ResourceId = resourceId;
    }
    if (reason !== undefined && (error.kind === 'Conflict' || error.kind === 'Validation'))
      members.Reason = reason;
  }
  if (service === 'organizations' && reason !== undefined && error.kind === 'Validation')
    members.Reason = reason;
  return Object.keys(members).length > 0 ? { ...base, members } : base;
};

export const INTERNAL_ERROR_MESSAGE = 'An internal error occurred. Try again later.';

/** What an error looks like on the awsQuery wire (CloudFormation): `<Error><Type><Code>`. */
export interface QueryWireError {
  status: number;
  code: string;
  /** Sender for the caller's mistakes (4xx), Receiver for ours (5xx). */
  type: 'Sender' | 'Receiver';
}

const sender = (status: number, code: string): QueryWireError => ({ status, code, type: 'Sender' });

/** Protocol, authentication and situation codes of the Query protocol's services. */
const QUERY_CODES: Record<string, QueryWireError> = {
  MISSING_AUTHENTICATION: sender(403, 'MissingAuthenticationToken'),
  UNRECOGNIZED_CLIENT: sender(403, 'InvalidClientTokenId'),
  INVALID_SIGNATURE: sender(403, 'SignatureDoesNotMatch'),
  SIGNATURE_EXPIRED: sender(403, 'SignatureDoesNotMatch'),
  INCOMPLETE_SIGNATURE: sender(400, 'IncompleteSignature'),
  PAYLOAD_TOO_LARGE: sender(413, 'RequestEntityTooLarge'),
  SERIALIZATION: sender(400, 'MalformedQueryString'),
  UNKNOWN_OPERATION: sender(400, 'InvalidAction'),
  MISSING_ACTION: sender(400, 'MissingAction'),
  // CloudFormation's modeled errors, by their awsQueryError codes (not the shape names).
  ALREADY_EXISTS: sender(400, 'AlreadyExistsException'),
  INSUFFICIENT_CAPABILITIES: sender(400, 'InsufficientCapabilitiesException'),
  CHANGE_SET_NOT_FOUND: sender(404, 'ChangeSetNotFound'),
  INVALID_CHANGE_SET_STATUS: sender(400, 'InvalidChangeSetStatus'),
  TOKEN_ALREADY_EXISTS: sender(400, 'TokenAlreadyExistsException'),
  LIMIT_EXCEEDED: sender(400, 'LimitExceededException'),
};

/** CloudFormation answers every other caller mistake with the unmodeled ValidationError. */
const QUERY_KINDS: Record<ErrorKind, QueryWireError> = {
  NotFound: sender(400, 'ValidationError'),
  Conflict: sender(400, 'ValidationError'),
  InUse: sender(400, 'ValidationError'),
  Validation: sender(400, 'ValidationError'),
  AccessDenied: sender(403, 'AccessDenied'),
  LimitExceeded: sender(400, 'LimitExceededException'),
  Unauthenticated: sender(403, 'InvalidClientTokenId'),
  Internal: { status: 500, code: 'InternalFailure', type: 'Receiver' },
};

/** The one mapping from the core's error family to the awsQuery wire. */
export const toQueryWireError = (error: AppError): QueryWireError =>
  QUERY_CODES[error.code] ?? QUERY_KINDS[error.kind];
