import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { validationFailed } from './api-error';

/**
 * The only body parser (Nest's own are off): JSON, where an empty body is no body (a toggle or close sent with a JSON content type),
 * and `__proto__` keys are refused outright rather than trusted to later stages.
 */
function refuseProto(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new SyntaxError('__proto__ is not allowed');
  return value;
}

export function installJsonBodyParser(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (_request, raw, done) => {
      const text = typeof raw === 'string' ? raw : raw.toString('utf8');
      if (text.trim() === '') return done(null, undefined);
      try {
        // A reviver makes JSON.parse several times slower: only a body that could hold the
        // key pays for one (an escaped key, `\u005f_proto__`, still decodes to `__proto__`).
        const suspicious = text.includes('proto') || text.includes('\\u');
        done(null, suspicious ? JSON.parse(text, refuseProto) : JSON.parse(text));
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
