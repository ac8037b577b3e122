/**
 * Why the database cannot serve right now, as opposed to a wrong request or a bug:
 * - `unreachable`: down, restarting, shutting down, refusing or dropping connections;
 * - `read_only`: it refuses writes (a read-only transaction default, a standby);
 * - `exhausted`: out of disk, memory, connections or I/O;
 * - `timeout`: no connection or no answer within the configured time.
 * Each of them passes without a change to the request: the caller answers 503 or retries.
 */
export type DatabaseUnavailability = 'unreachable' | 'read_only' | 'exhausted' | 'timeout';

// SQLSTATE: class 08 connection exception; 57P01 admin shutdown (also a backend ended by a
// postmaster that died), 57P02 crash shutdown, 57P03 cannot connect now (starting up, shutting
// down, in recovery), 57P05 idle session timeout.
const UNREACHABLE_STATE = /^(08...|57P0[1235])$/;
const READ_ONLY_STATE = '25006';
// Class 53 insufficient resources (53100 disk full, 53200 out of memory, 53300 too many
// connections), 58030 I/O error.
const EXHAUSTED_STATE = /^(53...|58030)$/;
// 57014 query canceled: statement_timeout (TALLY_PG_STATEMENT_TIMEOUT_MS) ran out.
const TIMEOUT_STATE = '57014';

// A socket to the database that could not open or broke.
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
]);

// What `pg` and `pg-pool` say, without a code, about a connection they lost or never got.
const MESSAGES: readonly (readonly [RegExp, DatabaseUnavailability])[] = [
  // "Connection terminated unexpectedly", "… due to connection timeout".
  [/Connection terminated due to connection timeout/, 'timeout'],
  [/Connection terminated/, 'unreachable'],
  // "Client has encountered a connection error and is not queryable" (a pooled client whose
  // connection a restart killed), "Client was closed and is not queryable".
  [/is not queryable/, 'unreachable'],
  [/timeout exceeded when trying to connect/, 'timeout'],
  [/Query read timeout/, 'timeout'],
  // The pool is closing: this process is shutting down.
  [/Cannot use a pool after calling end/, 'unreachable'],
];

const MAX_DEPTH = 4;

// A request socket failing: what Node and Fastify say when an HTTP client hangs up.
const REQUEST_SOCKET_CODES = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE']);

/**
 * An HTTP client that hung up mid-request, never the database: Node ends the request stream
 * with `aborted` (ECONNRESET, no syscall, unlike a socket of the driver), and Fastify marks
 * a body cut short with an HTTP status.
 */
export function isRequestAbort(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { statusCode, code, message } = error as {
    statusCode?: unknown;
    code?: unknown;
    message?: unknown;
  };
  const socketCode = typeof code === 'string' && REQUEST_SOCKET_CODES.has(code);
  if (typeof statusCode === 'number') return socketCode || message === 'aborted';
  return code === 'ECONNRESET' && message === 'aborted';
}

/**
 * The one classifier of database failures, shared by the API (503 `unavailable`), the
 * projectors and the relay (wait and retry quietly instead of treating the event as bad).
 * An error that carries an HTTP status, or a client's hang-up (`isRequestAbort`), is about
 * the request's socket, not the database.
 */
export function databaseUnavailability(error: unknown): DatabaseUnavailability | undefined {
  return classify(error, 0);
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return databaseUnavailability(error) !== undefined;
}

function classify(error: unknown, depth: number): DatabaseUnavailability | undefined {
  if (typeof error !== 'object' || error === null || depth > MAX_DEPTH) return undefined;
  const { code, statusCode, errors, cause } = error as {
    code?: unknown;
    statusCode?: unknown;
    errors?: unknown;
    cause?: unknown;
  };
  if (typeof statusCode === 'number' || isRequestAbort(error)) return undefined;
  // kafkajs reports a broker's refused socket with the same codes: not the database.
  if (error instanceof Error && error.name.startsWith('KafkaJS')) return undefined;
  if (typeof code === 'string') {
    if (UNREACHABLE_STATE.test(code) || SOCKET_CODES.has(code)) return 'unreachable';
    if (code === READ_ONLY_STATE) return 'read_only';
    if (EXHAUSTED_STATE.test(code)) return 'exhausted';
    if (code === TIMEOUT_STATE) return 'timeout';
  }
  // Connecting to every address of a host name fails as one AggregateError.
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const found = classify(inner, depth + 1);
      if (found) return found;
    }
  }
  const message = error instanceof Error ? error.message : '';
  for (const [pattern, reason] of MESSAGES) if (pattern.test(message)) return reason;
  return classify(cause, depth + 1);
}
