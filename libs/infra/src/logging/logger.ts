import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

// `access_token=` (its key possibly percent-encoded) up to the end of its value.
const ACCESS_TOKEN = /(access(?:_|%5f)token=)[^&\s"'#\\]*/gi;

/**
 * A query-string token (`?access_token=`, taken on GET routes) must not reach a log through
 * any URL a line carries: Fastify's request serializer, an error's message, a caller's own
 * field. Every written line is scrubbed (one regular-expression scan of the line).
 */
export function redactAccessTokens(line: string): string {
  return line.replace(ACCESS_TOKEN, '$1[redacted]');
}

/** A pino logger to stdout, or to `destination` (a test reading the lines). */
export function createLogger(
  level: string,
  name = 'tally',
  destination?: pino.DestinationStream,
): Logger {
  const options = {
    name,
    level,
    base: { pid: process.pid },
    hooks: { streamWrite: redactAccessTokens },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Routes Nest's own log lines into the same structured pino stream. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
