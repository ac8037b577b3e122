import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorReply } from './error-codes';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's X-Request-Id when sane, else a fresh one; echoed on the response. */
export function requestIdFor(header: string | string[] | undefined): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * The request id travels on the request itself (Fastify's `request.id`, its child logger
 * `request.log`), not in an AsyncLocalStorage: on Node 20 one store switches on promise hooks
 * for every promise of the process, the pipeline's and the driver's included.
 */
export function installRequestIds(app: NestFastifyApplication, accessLog: boolean): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    if (accessLog) logWhenClosed(request, reply);
    done();
  });
}

/**
 * The access log's line for one request, written when its response closes, not in
 * onResponse: a live stream or a request the client gave up on is never "sent" through
 * Fastify, and still gets its line. The path only, as a query string may carry a token.
 */
function logWhenClosed(request: FastifyRequest, reply: FastifyReply): void {
  reply.raw.once('close', () =>
    request.log.info(
      {
        method: request.method,
        path: request.url.split('?', 1)[0],
        status: reply.statusCode,
        ms: reply.elapsedTime,
        ...(reply.raw.writableFinished ? {} : { unfinished: true }),
      },
      'request',
    ),
  );
}

/**
 * Fastify's answer to a URL it cannot decode (`%ZZ`), before any hook or Nest: the contract's
 * 400, with the request id and the access log's line like every other request.
 */
export function answerUndecodableUrl(accessLog: boolean) {
  return (error: Error, request: FastifyRequest, reply: FastifyReply): void => {
    const { status, body } = errorReply('validation_failed', error.message, {
      details: [{ field: 'url', reason: error.message }],
    });
    if (accessLog) logWhenClosed(request, reply);
    void reply.header('x-request-id', request.id).status(status).send(body);
  };
}
