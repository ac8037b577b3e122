import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** `mixin` adds fields to every line, e.g. the request id of the current async context. */
export function createLogger(
  level: string,
  name = 'tally',
  mixin?: () => Record<string, unknown>,
): Logger {
  if (!mixin) return pino({ name, level, base: { pid: process.pid } });
  return pino({
    name,
    level,
    base: { pid: process.pid },
    // Skip fields a child logger already binds (Fastify's request logger binds reqId).
    mixin: (_merge, _level, logger) => {
      const bound = (logger as Logger | undefined)?.bindings() ?? {};
      return Object.fromEntries(Object.entries(mixin()).filter(([key]) => !(key in bound)));
    },
  });
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
