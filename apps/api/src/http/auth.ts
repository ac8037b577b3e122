import { Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ApiError } from './api-error';

const ACCESS = 'tally:access';
type Access = 'admin' | 'public';

/** Needs TALLY_ADMIN_TOKEN. */
export const Admin = (): MethodDecorator & ClassDecorator => SetMetadata(ACCESS, 'admin');
/** Open even when TALLY_API_TOKEN is set (probes, docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(ACCESS, 'public');

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

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: Tokens,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (access === 'public') return true;
    const token = bearer(context.switchToHttp().getRequest<FastifyRequest>());
    const isAdmin = token !== undefined && same(token, this.tokens.admin);
    if (access === 'admin') {
      if (isAdmin) return true;
      if (token !== undefined && this.tokens.api !== undefined && same(token, this.tokens.api)) {
        throw new ApiError('forbidden', 'the API token may not use admin routes');
      }
      throw new ApiError('unauthorized', 'this route needs the admin bearer token');
    }
    if (this.tokens.api === undefined || isAdmin) return true;
    if (token === undefined) throw new ApiError('unauthorized', 'a bearer token is required');
    if (!same(token, this.tokens.api))
      throw new ApiError('unauthorized', 'the bearer token is not valid');
    return true;
  }
}
