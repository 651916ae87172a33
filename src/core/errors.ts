/**
 * The closed error family of the core. Services throw these; each protocol adapter maps them to
 * its own wire codes in one table (aws/aws-errors.ts), so no HTTP status or AWS code lives here.
 *
 * `code` is a stable, protocol-free name for the specific situation (for example
 * `ORGANIZATION_NOT_IN_USE`), used by adapters that need a more specific wire code than the kind
 * alone gives (Organizations has one exception per situation).
 */
export type ErrorKind =
  | 'NotFound'
  | 'Conflict'
  | 'Validation'
  | 'AccessDenied'
  | 'LimitExceeded'
  | 'InUse'
  | 'Unauthenticated'
  | 'Internal';

export interface ErrorDetails {
  /** Which kind of thing was not found or conflicted, e.g. USER, GROUP, IDENTITY_STORE. */
  resourceType?: string;
  resourceId?: string;
  /** A machine-readable reason, e.g. UNIQUENESS_CONSTRAINT_VIOLATION. */
  reason?: string;
}

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly details: ErrorDetails;

  constructor(kind: ErrorKind, code: string, message: string, details: ErrorDetails = {}) {
    // These are answers, not faults: no stack trace, whose capture cost a tenth of the CPU of a
    // request that ends in ResourceNotFound or Conflict.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.kind = kind;
    this.code = code;
    this.details = details;
    this.name = `${kind}Error`;
  }
}

export class NotFoundError extends AppError {
  constructor(code: string, message: string, details: ErrorDetails = {}) {
    super('NotFound', code, message, details);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, details: ErrorDetails = {}) {
    super('Conflict', code, message, details);
  }
}

export class ValidationError extends AppError {
  constructor(message: string, code = 'INVALID_INPUT', details: ErrorDetails = {}) {
    super('Validation', code, message, details);
  }
}

export class AccessDeniedError extends AppError {
  constructor(message: string, code = 'ACCESS_DENIED') {
    super('AccessDenied', code, message);
  }
}

export class LimitExceededError extends AppError {
  constructor(message: string, code = 'LIMIT_EXCEEDED') {
    super('LimitExceeded', code, message);
  }
}

export class InUseError extends AppError {
  constructor(message: string, code = 'RESOURCE_IN_USE') {
    super('InUse', code, message);
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
