import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { validationFailed } from './api-error';

/**
 * The only body parser (Nest's own are off): JSON, where an empty body is no body (a toggle or close sent with a JSON content type),
 * and `__proto__` keys are refused outright rather than trusted to later stages.
 */
export function installJsonBodyParser(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (_request, raw, done) => {
      const text = typeof raw === 'string' ? raw : raw.toString('utf8');
      if (text.trim() === '') return done(null, undefined);
      try {
        done(
          null,
          JSON.parse(text, (key: string, value: unknown) => {
            if (key === '__proto__') throw new SyntaxError('__proto__ is not allowed');
            return value;
          }),
        );
      } catch (error) {
        const reason = error instanceof Error ? error.message : 'is not valid JSON';
        done(
          validationFailed([{ field: 'body', reason: `is not valid JSON: ${reason}` }]),
          undefined,
        );
      }
    },
  );
}
