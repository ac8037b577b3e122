import { HttpException } from '@nestjs/common';
import { errorReply, type ErrorCode } from './error-codes';

/** Throw from guards, pipes and controllers to answer with a contract error. */
export class ApiError extends HttpException {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    const { status, body } = errorReply(code, message, extra);
    super(body, status);
  }
}

export interface FieldProblem {
  field: string;
  reason: string;
}

export const validationFailed = (details: FieldProblem[]): ApiError =>
  new ApiError('validation_failed', details.map((d) => `${d.field}: ${d.reason}`).join('; '), {
    details,
  });
