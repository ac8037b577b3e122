/** Every error code of the HTTP contract with its status: the one place they are defined. */
export const ERROR_STATUS = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  poll_not_found: 404,
  option_not_found: 404,
  thread_not_found: 404,
  item_not_found: 404,
  user_not_found: 404,
  projection_not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  rebuild_in_progress: 409,
  out_of_stock: 409,
  username_taken: 409,
  item_exists: 409,
  poll_exists: 409,
  thread_exists: 409,
  poll_closed: 409,
  concurrency_conflict: 409,
  revision_mismatch: 412,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  range_not_satisfiable: 416,
  idempotency_key_reused: 422,
  headers_too_large: 431,
  projection_behind: 503,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: ErrorCode;
  message: string;
  [extra: string]: unknown;
}

/** A command's or a route's HTTP answer: also what an Idempotency-Key stores. */
export interface HttpReply {
  status: number;
  body: Record<string, unknown>;
}

export function errorReply(
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): HttpReply & { body: ErrorBody } {
  return { status: ERROR_STATUS[code], body: { error: code, message, ...extra } };
}
