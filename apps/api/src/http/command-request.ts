import { createHash } from 'node:crypto';
import type { Delivered } from '@tally/commands';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CommandContext } from '../shared/command-context';
import { validationFailed } from './api-error';
import type { HttpReply } from './error-codes';

export type { CommandContext };

const MAX_KEY_LENGTH = 200;

/** JSON with sorted keys, so the same body always has the same fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Metadata and idempotency of a command, from its HTTP request. */
export function commandContext(request: FastifyRequest): CommandContext {
  const requestId = request.id;
  const key = header(request, 'idempotency-key');
  if (key !== undefined && (key.length < 1 || key.length > MAX_KEY_LENGTH)) {
    throw validationFailed([
      { field: 'Idempotency-Key', reason: `must be 1-${MAX_KEY_LENGTH} characters` },
    ]);
  }
  const path = request.url.split('?')[0] ?? request.url;
  const idempotency = key
    ? {
        key,
        fingerprint: createHash('sha256')
          .update(
            `${request.method} ${path}\n${header(request, 'if-match') ?? ''}\n${canonical(request.body ?? null)}`,
          )
          .digest('hex'),
      }
    : undefined;
  return {
    metadata: {
      correlationId: header(request, 'x-correlation-id')?.slice(0, 200) ?? requestId,
      causationId: requestId,
      ...(key ? { idempotencyKey: key } : {}),
      time: new Date().toISOString(),
    },
    idempotency,
  };
}

/** Sends a command's answer (controllers take `@Res()`): its own status, and whether it is a replay. */
export async function sendReply(
  response: FastifyReply,
  delivered: Promise<Delivered<HttpReply>>,
): Promise<void> {
  const { reply, replayed } = await delivered;
  if (replayed) void response.header('Idempotency-Replayed', 'true');
  await response.status(reply.status).send(reply.body);
}
