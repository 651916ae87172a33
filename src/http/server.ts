import { randomUUID } from 'node:crypto';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { AwsCallInfo, AwsJsonProtocol, ProtocolResponse } from '../aws/aws-json.js';
import { type AwsQueryProtocol, isQueryRequest } from '../aws/aws-query.js';
import type { SigV4Verifier } from '../aws/sigv4.js';
import type { Config } from '../config.js';
import { AppError } from '../core/errors.js';
import type { Database } from '../storage/database.js';
import { ADMIN_API_PREFIX, type AdminRoute, registerAdminApi } from '../web/admin/admin-api.js';
import { isFormContentType, parseForm } from '../web/forms.js';
import { redactTokens } from '../web/links.js';

export type HttpServer = FastifyInstance;

export interface HttpServerOptions {
  config: Config;
  logger: Logger;
  awsJson: AwsJsonProtocol;
  /** The Query protocol (CloudFormation): form-encoded `POST /` without X-Amz-Target. */
  awsQuery?: AwsQueryProtocol;
  database: Database;
  verifier: SigV4Verifier;
  adminRoutes: AdminRoute[];
  /** The server-rendered pages (portal, console). */
  webPages?: (app: FastifyInstance) => void;
}

declare module 'fastify' {
  interface FastifyRequest {
    awsCall: AwsCallInfo | undefined;
    /** The request body exactly as received, for signature verification. */
    rawBody: Buffer | undefined;
  }
}

/** One log line per request, when it completes: its ID and, for AWS calls, what was called by whom. */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const call = request.awsCall;
    request.log[error ? 'error' : 'info'](
      {
        method: request.method,
        url: redactTokens(request.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        ...(call !== undefined
          ? {
              service: call.service,
              operation: call.operation,
              account: call.accountId,
              error: call.errorType,
            }
          : {}),
        ...(error ? { err: error } : {}),
      },
      'request',
    );
  }
}

/**
 * The HTTP adapter: one fastify server for every way in. AWS calls all arrive as `POST /` and are
 * told apart by X-Amz-Target (JSON protocols) or by a form-encoded Action (Query protocol).
 * Bodies are kept as raw bytes, because SigV4 signs exactly those bytes.
 */
export const buildHttpServer = ({
  config,
  logger,
  awsJson,
  awsQuery,
  database,
  verifier,
  adminRoutes,
  webPages,
}: HttpServerOptions): HttpServer => {
  const app = Fastify({
    // pino's own Logger type is wider than fastify's view of it; the instance is the same.
    loggerInstance: logger as FastifyBaseLogger,
    logController: new OneLinePerRequest(),
    bodyLimit: config.bodyLimitBytes,
    // Request IDs are ours to issue: a client-supplied one must not show up in our logs as ours.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
    // Behind a TLS proxy: X-Forwarded-Proto makes request.protocol https (Secure, __Host- cookies)
    // and X-Forwarded-For gives request.ip; never believed unless configured.
    trustProxy: config.trustProxy,
    // HTTPS served directly; fastify's instance type is the same either way for what we use.
    ...(config.tls !== undefined ? { https: { cert: config.tls.cert, key: config.tls.key } } : {}),
  }) as unknown as FastifyInstance;
  app.decorateRequest('awsCall', undefined);
  app.decorateRequest('rawBody', undefined);

  // While shutting down, answers close their connection, so a keep-alive client cannot hold the
  // process open until its idle timeout once the requests in flight are done.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  app.removeAllContentTypeParsers();
  // Every body is read as bytes first and kept: SigV4 signs exactly those bytes. AWS calls get the
  // bytes; the admin API gets them parsed as JSON.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    request.rawBody = bytes;
    // HTML forms post to the pages; `POST /` stays raw even when form-encoded (the Query protocol).
    const path = request.url.split('?')[0];
    if (
      path !== '/' &&
      !request.url.startsWith(ADMIN_API_PREFIX) &&
      isFormContentType(request.headers['content-type'])
    ) {
      return done(null, parseForm(bytes));
    }
    if (!request.url.startsWith(ADMIN_API_PREFIX)) return done(null, bytes);
    if (bytes.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(bytes.toString('utf8')));
    } catch {
      done(Object.assign(new Error('The request body is not valid JSON.'), { statusCode: 400 }), undefined);
    }
  });

  const send = (reply: FastifyReply, response: ProtocolResponse) =>
    // A Buffer keeps fastify from appending `; charset=utf-8` to AWS's content type.
    reply.code(response.status).headers(response.headers).send(Buffer.from(response.body));

  app.post('/', async (request, reply) => {
    const info: AwsCallInfo = {};
    request.awsCall = info;
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const signed = { method: request.method, url: request.url, headers: request.headers, body };
    const response =
      awsQuery !== undefined && isQueryRequest(request.headers)
        ? await awsQuery.handle(signed, request.id, info)
        : await awsJson.handle(signed, request.id, info);
    return send(reply, response);
  });

  registerAdminApi(app, adminRoutes, verifier);
  webPages?.(app);

  app.get('/health', async (_request, reply) => {
    await sql`select 1`.execute(database.db);
    return reply.send({ status: 'ok', database: database.dialect });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ message: `No route for ${request.method} ${request.url.split('?')[0]}` }),
  );

  app.setErrorHandler((error: { code?: string; statusCode?: number; message: string }, request, reply) => {
    const info: AwsCallInfo = request.awsCall ?? {};
    request.awsCall = info;
    if (awsQuery !== undefined && request.url.split('?')[0] === '/' && isQueryRequest(request.headers)) {
      const appError =
        error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? new AppError(
              'Validation',
              'PAYLOAD_TOO_LARGE',
              `Request body is larger than ${config.bodyLimitBytes} bytes.`,
            )
          : error.statusCode !== undefined && error.statusCode < 500
            ? new AppError('Validation', 'SERIALIZATION', error.message)
            : error;
      return send(reply, awsQuery.errorResponse(appError, request.id, info));
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return send(
        reply,
        awsJson.errorResponse(
          undefined,
          new AppError(
            'Validation',
            'PAYLOAD_TOO_LARGE',
            `Request body is larger than ${config.bodyLimitBytes} bytes.`,
          ),
          request.id,
          info,
        ),
      );
    }
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return send(
        reply,
        awsJson.errorResponse(
          undefined,
          new AppError('Validation', 'SERIALIZATION', error.message),
          request.id,
          info,
        ),
      );
    }
    return send(reply, awsJson.errorResponse(undefined, error, request.id, info));
  });

  return app;
};
