import type { FastifyInstance, FastifySchema } from 'fastify';
import type { SigV4Verifier } from '../../aws/sigv4.js';
import { type AppError, AppError as CoreAppError, isAppError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';

/**
 * The admin JSON API: what the `studio-sso` commands (and, later, the console) use for everything
 * that is not an AWS operation (explain-access, nested groups, invitations, the outbox, …). It
 * calls the same services as the AWS API; no business rule lives here.
 *
 * Requests are SigV4-signed like AWS calls, with the credential-scope service `studio-sso`, so the
 * root access key printed at start-up is all a command needs.
 */
export const ADMIN_API_PREFIX = '/admin/v1';
export const ADMIN_SIGNING_SERVICE = 'studio-sso';

export interface AdminContext {
  scope: Scope;
  requestId: string;
}

export interface AdminRequest<
  Body = unknown,
  Query = Record<string, string | undefined>,
  Params = Record<string, string>,
> {
  body: Body;
  query: Query;
  params: Params;
}

export interface AdminRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to /admin/v1, fastify syntax: `/groups/:groupId/members`. */
  path: string;
  /** JSON Schema for body, querystring and params: validated at the edge by fastify. */
  schema?: Pick<FastifySchema, 'body' | 'querystring' | 'params'>;
  // biome-ignore lint/suspicious/noExplicitAny: each route narrows its own request shape
  handler: (request: AdminRequest<any, any, any>, context: AdminContext) => Promise<unknown>;
  /** HTTP status of a success; 200 unless the route creates something (201) or returns nothing (204). */
  status?: number;
}

/** Declares routes with their request types checked against their handlers. */
export const adminRoute = <
  Body = unknown,
  Query = Record<string, string | undefined>,
  Params = Record<string, string>,
>(
  route: Omit<AdminRoute, 'handler'> & {
    handler: (request: AdminRequest<Body, Query, Params>, context: AdminContext) => Promise<unknown>;
  },
): AdminRoute => route;

/** The one mapping of the core's error family to the admin API's HTTP statuses. */
const STATUS_BY_KIND: Record<AppError['kind'], number> = {
  NotFound: 404,
  Conflict: 409,
  InUse: 409,
  Validation: 400,
  AccessDenied: 403,
  LimitExceeded: 429,
  Unauthenticated: 401,
  Internal: 500,
};

export interface AdminErrorBody {
  error: {
    kind: string;
    code: string;
    message: string;
    resourceType?: string;
    resourceId?: string;
    reason?: string;
  };
}

const errorBody = (error: AppError): AdminErrorBody => ({
  error: { kind: error.kind, code: error.code, message: error.message, ...error.details },
});

declare module 'fastify' {
  interface FastifyRequest {
    adminScope: Scope | undefined;
  }
}

/** Mounts the routes under /admin/v1 with SigV4 authentication and JSON errors. */
export const registerAdminApi = (
  app: FastifyInstance,
  routes: AdminRoute[],
  verifier: SigV4Verifier,
): void => {
  app.decorateRequest('adminScope', undefined);
  app.register(
    async (admin) => {
      admin.addHook('preHandler', async (request) => {
        request.adminScope = await verifier.verifyScopedTo(
          {
            method: request.method,
            url: request.url,
            headers: request.headers,
            body: request.rawBody ?? Buffer.alloc(0),
          },
          ADMIN_SIGNING_SERVICE,
        );
      });
      admin.setErrorHandler(async (error: unknown, request, reply) => {
        if (isAppError(error)) {
          return reply.code(STATUS_BY_KIND[error.kind]).send(errorBody(error));
        }
        const fastifyError = error as { statusCode?: number; message?: string; validation?: unknown };
        if (fastifyError.validation !== undefined || (fastifyError.statusCode ?? 500) < 500) {
          return reply
            .code(fastifyError.statusCode ?? 400)
            .send(
              errorBody(
                new CoreAppError('Validation', 'INVALID_REQUEST', fastifyError.message ?? 'Bad request'),
              ),
            );
        }
        request.log.error({ err: error }, 'unexpected error in admin API');
        return reply
          .code(500)
          .send(errorBody(new CoreAppError('Internal', 'INTERNAL', 'An internal error occurred.')));
      });
      for (const route of routes) {
        admin.route({
          method: route.method,
          url: route.path,
          schema: route.schema,
          handler: async (request, reply) => {
            const scope = request.adminScope;
            if (scope === undefined) throw new Error('admin route reached without authentication');
            const result = await route.handler(
              {
                body: request.body,
                query: request.query as Record<string, string>,
                params: request.params as Record<string, string>,
              },
              { scope, requestId: request.id },
            );
            reply.code(route.status ?? (result === undefined ? 204 : 200));
            return result === undefined ? reply.send() : reply.send(result);
          },
        });
      }
    },
    { prefix: ADMIN_API_PREFIX },
  );
};
