import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TallyMetrics } from '@tally/ops';

/**
 * Counts every answered request by method, route pattern (Fastify's, e.g.
 * `/polls/:pollId/votes`; `unmatched` for a 404 without a route) and status, with its
 * latency, in one onResponse hook.
 */
export function installHttpMetrics(app: NestFastifyApplication): void {
  const metrics = app.get(TallyMetrics);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (request, reply, done) => {
      metrics.http.observe(
        request.method,
        request.routeOptions.url,
        reply.statusCode,
        reply.elapsedTime / 1000,
      );
      done();
    });
}
