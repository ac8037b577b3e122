import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ERROR_STATUS, errorReply, type ErrorCode } from './error-codes';
import { EventStoreError } from '@tally/event-store';
import type { Logger } from '@tally/infra';
import type { FastifyReply } from 'fastify';

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

// The store or its connection is gone: the answer is 503, not 500.
const UNAVAILABLE_PG = /^(08|53|57P0[1-3])/;
const UNAVAILABLE_NODE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (UNAVAILABLE_PG.test(code) || UNAVAILABLE_NODE.has(code)))
    return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Cannot use a pool after calling end/.test(
    message,
  );
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
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body } = this.toReply(exception);
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private toReply(exception: unknown): { status: number; body: object } {
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
    if (isUnavailable(exception)) {
      this.logger.warn({ err: exception }, 'store unavailable');
      return errorReply('unavailable', 'the event store is unavailable; retry later', {
        down: ['store'],
      });
    }
    this.logger.error({ err: exception }, 'unhandled error: this is a bug');
    return { status: 500, body: { error: 'internal', message: 'internal error' } };
  }
}
