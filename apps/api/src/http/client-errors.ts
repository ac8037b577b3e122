import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import { errorReply, type ErrorCode, type HttpReply } from './error-codes';

// The contract's code for each 4xx that Fastify, Node's HTTP parser or a plugin (the
// OpenAPI pages' static files) raises on its own; any other 4xx is answered as a 400.
const CODE_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  // A static file's ETag named by If-Match is its revision.
  412: 'revision_mismatch',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  416: 'range_not_satisfiable',
  431: 'headers_too_large',
};

const MESSAGES: Readonly<Record<number, string>> = {
  404: 'no such route',
  413: 'the body is over 64 KiB',
};

/** A 4xx that carries no contract body, answered with one; its status is kept when known. */
export function clientErrorReply(status: number, message: string): HttpReply {
  const code = CODE_BY_STATUS[status] ?? 'validation_failed';
  const text = MESSAGES[status] ?? (message || STATUS_CODES[status] || 'bad request');
  if (code !== 'validation_failed') return errorReply(code, text);
  return errorReply(code, text, { details: [{ field: 'request', reason: text }] });
}

/** The 4xx status an error of Fastify, Node or a plugin carries (`statusCode` or `status`). */
export function clientStatusOf(error: unknown): number | undefined {
  const { statusCode, status } = (error ?? {}) as { statusCode?: unknown; status?: unknown };
  const found = typeof statusCode === 'number' ? statusCode : status;
  return typeof found === 'number' && found >= 400 && found < 500 ? found : undefined;
}

// Node's parser errors: a header too large, a request that did not arrive in time.
const PARSER_STATUS: Readonly<Record<string, number>> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/**
 * A request Node's HTTP parser refuses (a CR or LF inside a header, Content-Length with
 * Transfer-Encoding, a bad request line) never reaches Fastify: it is answered here with a
 * contract body, as Fastify's own handler would with its own shape, and the socket closed.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  // The client hung up: nobody is left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = PARSER_STATUS[error.code ?? ''] ?? 400;
  const reason = status === 400 ? 'malformed HTTP request' : (STATUS_CODES[status] ?? '');
  const { body } = clientErrorReply(status, reason);
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}
