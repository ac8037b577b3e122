import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ERROR_STATUS, errorReply, type ErrorCode } from './error-codes';
import { EventStoreError } from '@tally/event-store';
import { databaseUnavailability, type DatabaseUnavailability, type Logger } from '@tally/infra';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';

// Fastify's own refusals, raised before a controller runs.
const FASTIFY_CODES: Record<string, { code: ErrorCode; field?: string; reason: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', reason: 'the body is over 64 KiB' },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'validation_failed',
    field: 'body',
    reason: 'is not valid JSON',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'validation_failed', field: 'body', reason: 'is empty' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'validation_failed',
    field: 'body',
    reason: 'must be application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'validation_failed',
    field: 'body',
    reason: 'content-length does not match',
  },
  FST_ERR_CTP_INVALID_TYPE: {
    code: 'validation_failed',
    field: 'content-type',
    reason: 'is invalid',
  },
};

// What each way of being unavailable tells the caller; every one answers 503 `unavailable`.
const UNAVAILABLE_MESSAGES: Record<DatabaseUnavailability, string> = {
  unreachable: 'the event store is unavailable; retry later',
  read_only: 'the event store accepts no writes right now (read-only); retry later',
  exhausted: 'the event store is out of resources (disk, memory or connections); retry later',
  timeout: 'the event store did not answer in time; retry later',
};

// Fastify's failure reading a body whose client hung up: the client's socket, not the store's.
const REQUEST_SOCKET_CODES = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE']);

function isRequestAborted(error: unknown): boolean {
  const { statusCode, code, message } = (error ?? {}) as {
    statusCode?: unknown;
    code?: unknown;
    message?: unknown;
  };
  if (typeof statusCode !== 'number') return false;
  return (typeof code === 'string' && REQUEST_SOCKET_CODES.has(code)) || message === 'aborted';
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
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private toReply(exception: unknown, log: FastifyBaseLogger): { status: number; body: object } {
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      if (isContractBody(response)) return { status: exception.getStatus(), body: response };
      const status = exception.getStatus();
      if (status === 404) return errorReply('not_found', 'no such route');
      if (status === 413) return errorReply('payload_too_large', 'the body is over 64 KiB');
      if (status < 500) {
        return errorReply('validation_failed', exception.message, {
          details: [{ field: 'request', reason: exception.message }],
        });
      }
    }
    const fastifyCode = (exception as { code?: unknown } | null)?.code;
    if (typeof fastifyCode === 'string' && fastifyCode in FASTIFY_CODES) {
      const known = FASTIFY_CODES[fastifyCode]!;
      const details = known.field ? [{ field: known.field, reason: known.reason }] : undefined;
      return errorReply(known.code, known.reason, details ? { details } : {});
    }
    if (exception instanceof EventStoreError) {
      return errorReply('validation_failed', exception.message, {
        details: [{ field: 'body', reason: exception.message }],
      });
    }
    if (isRequestAborted(exception)) {
      // Nobody reads this answer; the log says what happened without blaming the store.
      log.debug({ err: exception }, 'client closed the request before its body arrived');
      return errorReply('validation_failed', 'the request body was cut off', {
        details: [{ field: 'body', reason: 'the client closed the connection mid-body' }],
      });
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
