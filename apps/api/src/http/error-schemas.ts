import { ERROR_STATUS, type ErrorCode } from './error-codes';

/** An OpenAPI 3.0 schema object, as plain JSON. */
export type OpenApiSchema = Record<string, unknown>;

const text: OpenApiSchema = { type: 'string' };
const integer: OpenApiSchema = { type: 'integer' };
const names: OpenApiSchema = { type: 'array', items: text };

interface ErrorDescription {
  /** When a route answers it. */
  meaning: string;
  /** The fields the body carries besides `error` and `message`; each is always present. */
  fields?: Record<string, OpenApiSchema>;
}

/**
 * What each contract error means and the fields its body carries: the OpenAPI document's
 * error schemas are built from this table. A Record over every code, so a new code cannot be
 * left undescribed.
 */
const ERRORS: Record<ErrorCode, ErrorDescription> = {
  validation_failed: {
    meaning: 'the request is malformed: which field, and why, in `details`',
    fields: {
      details: {
        type: 'array',
        items: {
          type: 'object',
          required: ['field', 'reason'],
          properties: { field: text, reason: text },
        },
      },
    },
  },
  unauthorized: { meaning: 'no bearer token, or not one this route accepts' },
  forbidden: { meaning: 'the API token on an admin route' },
  not_found: { meaning: 'no such route' },
  poll_not_found: { meaning: 'no poll of this id', fields: { pollId: text } },
  option_not_found: {
    meaning: 'the poll has no option of this id',
    fields: { pollId: text, optionId: text },
  },
  thread_not_found: { meaning: 'no thread of this id', fields: { threadId: text } },
  item_not_found: { meaning: 'no item of this sku', fields: { sku: text } },
  user_not_found: { meaning: 'no user of this username', fields: { username: text } },
  projection_not_found: {
    meaning: 'no projection of this name; `projections` lists the names',
    fields: { projections: names },
  },
  method_not_allowed: { meaning: 'the path exists, not with this method (see `Allow`)' },
  rebuild_in_progress: {
    meaning: 'a rebuild of this projection is already running',
    fields: { rebuildId: { type: 'string', nullable: true } },
  },
  out_of_stock: {
    meaning: 'fewer in stock than requested; `available` says how many',
    fields: { sku: text, requested: integer, available: integer },
  },
  username_taken: {
    meaning: 'the username is taken, in any letter case',
    fields: { username: text },
  },
  item_exists: { meaning: 'an item of this sku exists', fields: { sku: text } },
  poll_exists: { meaning: 'a poll of this id exists', fields: { pollId: text } },
  thread_exists: { meaning: 'a thread of this id exists', fields: { threadId: text } },
  poll_closed: { meaning: 'the poll is closed', fields: { pollId: text } },
  concurrency_conflict: {
    meaning:
      "contention outlasted the server's retries; safe to retry with the same Idempotency-Key",
  },
  revision_mismatch: {
    meaning: '`If-Match` names a revision that is no longer current',
    fields: { currentRevision: integer },
  },
  payload_too_large: { meaning: 'the body is over 64 KiB' },
  unsupported_media_type: {
    meaning: 'the body is not application/json, or comes with a content or transfer coding',
  },
  request_timeout: { meaning: 'the request did not arrive whole within the request deadline' },
  uri_too_long: { meaning: 'the request target is longer than the server accepts' },
  range_not_satisfiable: { meaning: 'the Range of a documentation file is outside it' },
  headers_too_large: { meaning: 'the request headers are larger than the server accepts' },
  idempotency_key_reused: { meaning: 'this Idempotency-Key came with a different request' },
  projection_behind: {
    meaning: 'the projection did not reach `minPosition` within 5 s',
    fields: { projection: text, position: { type: 'string', pattern: '^\\d+$' } },
  },
  unavailable: {
    meaning: 'the store (or the broker) does not answer; `down` names which; retry later',
    fields: { down: names },
  },
};

/** The component name of an error code's body schema: `poll_not_found` → `PollNotFoundError`. */
export function errorSchemaName(code: ErrorCode): string {
  const words = code.split('_').map((word) => word.charAt(0).toUpperCase() + word.slice(1));
  return `${words.join('')}Error`;
}

/** Every error body as an OpenAPI component schema, keyed by its component name. */
export function errorComponents(): Record<string, OpenApiSchema> {
  const components: Record<string, OpenApiSchema> = {};
  for (const code of Object.keys(ERRORS) as ErrorCode[]) {
    const fields = ERRORS[code].fields ?? {};
    components[errorSchemaName(code)] = {
      type: 'object',
      description: `${ERROR_STATUS[code]} \`${code}\`: ${ERRORS[code].meaning}`,
      required: ['error', 'message', ...Object.keys(fields)],
      properties: { error: { type: 'string', enum: [code] }, message: text, ...fields },
    };
  }
  return components;
}

/** The OpenAPI response of one status that answers any of `codes` (all of that status). */
export function errorResponse(codes: readonly ErrorCode[]): OpenApiSchema {
  const refs = codes.map((code) => ({ $ref: `#/components/schemas/${errorSchemaName(code)}` }));
  const schema =
    refs.length === 1
      ? refs[0]
      : {
          oneOf: refs,
          discriminator: {
            propertyName: 'error',
            mapping: Object.fromEntries(codes.map((code, i) => [code, refs[i]!.$ref])),
          },
        };
  return {
    description: codes.map((code) => `\`${code}\`: ${ERRORS[code].meaning}`).join('; '),
    content: { 'application/json': { schema } },
  };
}

/** `codes` grouped by their HTTP status, each code once. */
export function byStatus(codes: readonly ErrorCode[]): Map<number, ErrorCode[]> {
  const groups = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = ERROR_STATUS[code];
    groups.set(status, [...(groups.get(status) ?? []), code]);
  }
  return groups;
}
