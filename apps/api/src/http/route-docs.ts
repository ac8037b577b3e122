import { applyDecorators, type Type } from '@nestjs/common';
import { ApiHeader, ApiQuery, ApiResponse, type ApiResponseOptions } from '@nestjs/swagger';
import type { ErrorCode } from './error-codes';
import { byStatus, errorResponse, type OpenApiSchema } from './error-schemas';
import { POSITION } from './min-position';

/**
 * What each route answers, next to its handler: the success status and body, and every
 * contract error the route itself can give. Auth refusals (401, 403) and security come from
 * the route's access (see openapi.ts), not from here.
 */

/** A JSON body of this class (or an array of it), or a body of another media type. */
export type SuccessBody = Type | [Type] | { mediaType: string; schema: OpenApiSchema };

/** What any route that reads a body can refuse: bad JSON, too large, not JSON. */
export const BODY_REFUSALS: readonly ErrorCode[] = [
  'validation_failed',
  'payload_too_large',
  'unsupported_media_type',
];

/** What every command can answer besides its decider's refusals. */
const COMMAND_REFUSALS: readonly ErrorCode[] = [
  ...BODY_REFUSALS,
  'concurrency_conflict',
  'idempotency_key_reused',
  'unavailable',
];

/** What every read with `minPosition` can answer besides its own not-found. */
const READ_REFUSALS: readonly ErrorCode[] = [
  'validation_failed',
  'projection_behind',
  'unavailable',
];

function success(status: number, body: SuccessBody, description: string): ApiResponseOptions {
  if (typeof body === 'function') return { status, description, type: body };
  if (Array.isArray(body)) return { status, description, type: body[0], isArray: true };
  return { status, description, content: { [body.mediaType]: { schema: body.schema } } };
}

/** A route's success answer and the contract errors it can give. */
export function Answers(
  status: number,
  body: SuccessBody,
  refusals: readonly ErrorCode[],
  description = 'success',
): MethodDecorator {
  const errors = [...byStatus(refusals)].map(([code, codes]) =>
    ApiResponse({ status: code, ...errorResponse(codes) }),
  );
  return applyDecorators(ApiResponse(success(status, body, description)), ...errors);
}

/** A command: its `Idempotency-Key`, success answer, and its decider's refusals. */
export function CommandAnswers(
  status: number,
  body: Type,
  ...refusals: ErrorCode[]
): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      schema: { type: 'string', minLength: 1, maxLength: 200 },
      description:
        'The same key with the same request replays the first answer (header ' +
        '`Idempotency-Replayed: true`) and appends nothing; with a different request: 422.',
    }),
    Answers(status, body, [...COMMAND_REFUSALS, ...refusals]),
  );
}

/** A read of a projection: its `minPosition` wait, success answer, and its own refusals. */
export function ReadAnswers(body: SuccessBody, ...refusals: ErrorCode[]): MethodDecorator {
  return applyDecorators(
    ApiQuery({
      name: 'minPosition',
      required: false,
      schema: { type: 'string', pattern: POSITION.source },
      description:
        'Read-your-writes: wait (up to 5 s) until the projection has processed this global ' +
        'position; past 5 s, 503 projection_behind.',
    }),
    Answers(200, body, [...READ_REFUSALS, ...refusals]),
  );
}
