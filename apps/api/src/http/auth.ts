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

/** The Tokens the API runs with (the admin one generated when unset), for routes that ask. */
export const AUTH_TOKENS = Symbol('AUTH_TOKENS');

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

/** GET and HEAD only: a query string is for reads (EventSource, links), never for commands. */
const QUERY_TOKEN_METHODS = new Set(['GET', 'HEAD']);

/**
 * The token a request presents: its Authorization header, else (on a read) its
 * `access_token` query parameter (RFC 6750 §2.3). A repeated parameter is no token.
 */
function presentedToken(request: FastifyRequest): string | undefined {
  const header = bearer(request);
  if (header !== undefined || !QUERY_TOKEN_METHODS.has(request.method)) return header;
  const value = (request.query as Record<string, unknown> | undefined)?.access_token;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** What the presented token is worth: `none` when none was sent, `invalid` when it matches neither. */
export type TokenRole = 'admin' | 'api' | 'invalid' | 'none';

export function tokenRole(request: FastifyRequest, tokens: Tokens): TokenRole {
  const token = presentedToken(request);
  if (token === undefined) return 'none';
  if (same(token, tokens.admin)) return 'admin';
  if (tokens.api !== undefined && same(token, tokens.api)) return 'api';
  return 'invalid';
}

/** A token in the query string of a command is not taken: say so rather than "no token". */
function queryTokenRefused(request: FastifyRequest): boolean {
  if (QUERY_TOKEN_METHODS.has(request.method)) return false;
  return (request.query as Record<string, unknown> | undefined)?.access_token !== undefined;
}

/** Why `request` may not use a route of this access, or undefined when it may. */
function refusal(access: Access, tokens: Tokens, request: FastifyRequest): ApiError | undefined {
  if (access === 'public') return undefined;
  const role = tokenRole(request, tokens);
  if (role === 'admin') return undefined;
  if (access === 'api' && (tokens.api === undefined || role === 'api')) return undefined;
  if (access === 'admin' && role === 'api')
    return new ApiError('forbidden', 'the API token may not use admin routes');
  if (role === 'none' && queryTokenRefused(request))
    return new ApiError(
      'unauthorized',
      'access_token is taken on GET only; send Authorization: Bearer',
    );
  if (access === 'admin')
    return new ApiError('unauthorized', 'this route needs the admin bearer token');
  if (role === 'none') return new ApiError('unauthorized', 'a bearer token is required');
  return new ApiError('unauthorized', 'the bearer token is not valid');
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
