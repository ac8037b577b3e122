import { timingSafeEqual } from 'node:crypto';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import { ApiError } from './api-error';

/** Who may call a route: the admin token, the API token (when one is set), or anyone. */
export type Access = 'admin' | 'api' | 'public';

interface AccessConfig {
  access?: Access;
}

function configOf(handler: object): AccessConfig {
  return (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as AccessConfig) ?? {};
}

/**
 * Stored as the route's Fastify config, so the route's own onRequest hook knows its access
 * from startup. On a class, every route method without its own decorator takes it.
 */
function accessDecorator(access: Access): MethodDecorator & ClassDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const methods: unknown[] = descriptor
      ? [descriptor.value]
      : Object.getOwnPropertyNames((target as { prototype: object }).prototype)
          .filter((name) => name !== 'constructor')
          .map((name) => (target as { prototype: Record<string, unknown> }).prototype[name]);
    for (const method of methods) {
      if (typeof method !== 'function') continue;
      const config = configOf(method);
      if (!descriptor && config.access) continue;
      Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...config, access }, method);
    }
  };
}

/** Needs TALLY_ADMIN_TOKEN. */
export const Admin = (): MethodDecorator & ClassDecorator => accessDecorator('admin');
/** Open even when TALLY_API_TOKEN is set (probes). */
export const Public = (): MethodDecorator & ClassDecorator => accessDecorator('public');

export interface Tokens {
  admin: string;
  api: string | undefined;
}

function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Why `request` may not use a route of this access, or undefined when it may. */
function refusal(access: Access, tokens: Tokens, request: FastifyRequest): ApiError | undefined {
  if (access === 'public') return undefined;
  const token = bearer(request);
  const isAdmin = token !== undefined && same(token, tokens.admin);
  if (access === 'admin') {
    if (isAdmin) return undefined;
    if (token !== undefined && tokens.api !== undefined && same(token, tokens.api)) {
      return new ApiError('forbidden', 'the API token may not use admin routes');
    }
    return new ApiError('unauthorized', 'this route needs the admin bearer token');
  }
  if (tokens.api === undefined || isAdmin) return undefined;
  if (token === undefined) return new ApiError('unauthorized', 'a bearer token is required');
  if (!same(token, tokens.api))
    return new ApiError('unauthorized', 'the bearer token is not valid');
  return undefined;
}

/** A Fastify route's access, as its auth hook enforces it (and the OpenAPI document says). */
export function routeAccess(route: { url: string; config?: unknown }): Access {
  const config = (route.config ?? {}) as AccessConfig;
  return config.access ?? (route.url.startsWith('/docs') ? 'public' : 'api');
}

/**
 * Authentication as a Fastify hook on each route, resolved when the route is registered:
 * it runs before the body is read, and costs an open route nothing per request. Routes
 * that do not say are API routes; the OpenAPI pages (registered outside Nest) are open.
 */
export function installAuth(fastify: FastifyInstance, tokens: Tokens): void {
  fastify.addHook('onRoute', (route) => {
    const access = routeAccess(route);
    if (access === 'public' || (access === 'api' && tokens.api === undefined)) return;
    const hook: onRequestHookHandler = (request, _reply, done) =>
      done(refusal(access, tokens, request));
    const existing = route.onRequest;
    route.onRequest = existing === undefined ? [hook] : [...[existing].flat(), hook];
  });
}
