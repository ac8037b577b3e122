import type { FastifyInstance } from 'fastify';
import { ApiError } from './api-error';

interface RoutePattern {
  pattern: RegExp;
  methods: Set<string>;
}

/** A route URL (`/polls/:pollId/votes`, `/docs/*`) as a test for a concrete request path. */
function patternOf(url: string): RegExp {
  const source = url
    .split(/(:[A-Za-z0-9_]+|\*)/)
    .map((part) => {
      if (part === '*') return '.*';
      if (part.startsWith(':')) return '[^/]+';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * The path part of a request target as the router places it: an absolute-form target
 * (`GET http://host/polls/p`) is routed by its path, so it is matched by it here too.
 */
function routedPath(url: string): string {
  const path = url.split('?', 1)[0] ?? '';
  return path.startsWith('/') ? path : path.replace(/^https?:\/\/[^/]*/i, '');
}

/**
 * Which methods each known path answers, learned as routes are registered. A request the
 * router cannot place is `405 method_not_allowed` with `Allow` when its path is known under
 * other methods, and stays the not-found handler's 404 when no route has its path. Checked
 * only for such requests: a routed request pays one property read.
 */
export function installAllowedMethods(fastify: FastifyInstance): void {
  const routes = new Map<string, RoutePattern>();
  fastify.addHook('onRoute', (route) => {
    const known = routes.get(route.url) ?? { pattern: patternOf(route.url), methods: new Set() };
    for (const method of [route.method].flat()) known.methods.add(method.toUpperCase());
    // Fastify answers HEAD for every GET route.
    if (known.methods.has('GET')) known.methods.add('HEAD');
    routes.set(route.url, known);
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done();
    const path = routedPath(request.url);
    const allowed = new Set<string>();
    for (const { pattern, methods } of routes.values()) {
      if (pattern.test(path)) for (const method of methods) allowed.add(method);
    }
    if (allowed.size === 0) return done();
    const allow = [...allowed].sort().join(', ');
    void reply.header('allow', allow);
    done(
      new ApiError(
        'method_not_allowed',
        `${request.method} is not allowed here; allowed: ${allow}`,
        {
          allowed: [...allowed].sort(),
        },
      ),
    );
  });
}
