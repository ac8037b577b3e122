import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

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
    done();
  });
  if (!accessLog) return;
  fastify.addHook('onResponse', (request, reply, done) => {
    // The path only: a query string may carry a token.
    const path = request.url.split('?', 1)[0];
    request.log.info(
      { method: request.method, path, status: reply.statusCode, ms: reply.elapsedTime },
      'request',
    );
    done();
  });
}
