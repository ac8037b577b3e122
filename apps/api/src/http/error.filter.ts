import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { clientErrorReply, clientStatusOf } from './client-errors';
import { ERROR_STATUS, errorReply, type ErrorCode } from './error-codes';
import { EventStoreError } from '@tally/event-store';
import {
  databaseUnavailability,
  isRequestAbort,
  type DatabaseUnavailability,
  type Logger,
} from '@tally/infra';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';

// What each way of being unavailable tells the caller; every one answers 503 `unavailable`.
const UNAVAILABLE_MESSAGES: Record<DatabaseUnavailability, string> = {
  unreachable: 'the event store is unavailable; retry later',
  read_only: 'the event store accepts no writes right now (read-only); retry later',
  exhausted: 'the event store is out of resources (disk, memory or connections); retry later',
  timeout: 'the event store did not answer in time; retry later',
};

/** The `Content-Range: bytes *\/<size>` a static file's 416 carries, and nothing else of it. */
function rangeHeaders(exception: unknown): Record<string, string> {
  const range = (exception as { headers?: Record<string, unknown> } | null)?.headers?.[
    'Content-Range'
  ];
  return typeof range === 'string' ? { 'content-range': range } : {};
}

function isContractBody(body: unknown): body is { error: ErrorCode } {
  const code = (body as { error?: unknown } | null)?.error;
  return typeof code === 'string' && code in ERROR_STATUS;
}

/** Every failure leaves as `{error, message, ...}` with a contract code; a 500 is logged as a bug. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    // The request's own logger names its request id on each line.
    const log = http.getRequest<FastifyRequest | undefined>()?.log ?? this.logger;
    const { status, body } = this.toReply(exception, log);
    // The store usually answers again within seconds (a restart); say when to try again.
    if ((body as { error?: unknown }).error === 'unavailable')
      void reply.header('retry-after', '1');
    if (status === 416) void reply.headers(rangeHeaders(exception));
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private toReply(exception: unknown, log: FastifyBaseLogger): { status: number; body: object } {
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      if (isContractBody(response)) return { status: exception.getStatus(), body: response };
      const status = exception.getStatus();
      if (status < 500) return clientErrorReply(status, exception.message);
    }
    if (exception instanceof EventStoreError) {
      return errorReply('validation_failed', exception.message, {
        details: [{ field: 'body', reason: exception.message }],
      });
    }
    if (isRequestAbort(exception)) {
      // Nobody reads this answer; the log says what happened without blaming the store.
      log.debug(
        { err: exception },
        'client aborted: it closed the request before its body arrived',
      );
      return errorReply('validation_failed', 'the request body was cut off', {
        details: [{ field: 'body', reason: 'the client closed the connection mid-body' }],
      });
    }
    // A plugin's refusal (the OpenAPI pages' static files: 403 outside the root, 416 for a
    // range past the end, 400 for a NUL in the path) is the request's fault, not a bug.
    const clientStatus = clientStatusOf(exception);
    if (clientStatus !== undefined) {
      return clientErrorReply(clientStatus, (exception as { message?: string }).message ?? '');
    }
    const unavailable = databaseUnavailability(exception);
    if (unavailable) {
      log.warn({ err: exception, reason: unavailable }, 'store unavailable');
      return errorReply('unavailable', UNAVAILABLE_MESSAGES[unavailable], { down: ['store'] });
    }
    log.error({ err: exception }, 'unhandled error: this is a bug');
    return { status: 500, body: { error: 'internal', message: 'internal error' } };
  }
}
