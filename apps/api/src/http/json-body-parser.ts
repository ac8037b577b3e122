import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { errorCodes } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { ApiError, validationFailed } from './api-error';

function refuseProto(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new SyntaxError('__proto__ is not allowed');
  return value;
}

/**
 * JSON, where an empty body is no body (a toggle or close sent with a JSON content type), and
 * `__proto__` keys are refused outright rather than trusted to later stages.
 */
function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    // A reviver makes JSON.parse several times slower: only a body that could hold the key
    // pays for one (an escaped key, `\u005f_proto__`, still decodes to `__proto__`).
    const suspicious = text.includes('proto') || text.includes('\\u');
    return suspicious ? JSON.parse(text, refuseProto) : JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'is not valid JSON';
    throw validationFailed([{ field: 'body', reason: `is not valid JSON: ${reason}` }]);
  }
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_MEDIA = /^application\/json\s*(?:;|$)/i;

/** No body at all: nothing to parse, whatever type it claims (a toggle sent by a form library). */
function isBodiless(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
}

/**
 * The codings a body arrives in beyond the one each header may name (`identity`, or
 * `chunked` as the transfer coding), joined; undefined when there are none. A compressed body
 * is not JSON, so it is refused rather than parsed as if plain.
 */
function encodingOf(headers: IncomingHttpHeaders): string | undefined {
  const codings = [
    ...(headers['content-encoding'] ?? '').split(','),
    ...(headers['transfer-encoding'] ?? '').split(','),
  ]
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity' && c !== 'chunked');
  return codings.length === 0 ? undefined : codings.join(', ');
}

/** Why a body cannot be read as JSON (415), or undefined when it can. */
function mediaRefusal(headers: IncomingHttpHeaders): ApiError | undefined {
  const coding = encodingOf(headers);
  if (coding !== undefined) {
    return new ApiError(
      'unsupported_media_type',
      `the coding ${coding} is not supported: send the JSON body uncompressed`,
    );
  }
  const type = headers['content-type'];
  if (type === undefined || !JSON_MEDIA.test(type)) {
    const named = type === undefined ? 'no Content-Type' : `Content-Type ${type.slice(0, 100)}`;
    return new ApiError(
      'unsupported_media_type',
      `the body must be application/json, not ${named}`,
    );
  }
  return undefined;
}

/** The whole body as text, with Fastify's own errors for a body too large or cut short. */
function readBody(
  payload: Readable,
  declared: number,
  limit: number,
  done: (error: Error | null, text?: string) => void,
): void {
  if (declared > limit) return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
  const chunks: Buffer[] = [];
  let received = 0;
  const finish = (error: Error | null, text?: string): void => {
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onError);
    done(error, text);
  };
  const onData = (chunk: Buffer): void => {
    received += chunk.length;
    if (received > limit) return finish(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
    chunks.push(chunk);
  };
  const onEnd = (): void => {
    if (!Number.isNaN(declared) && received !== declared) {
      return finish(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
    }
    finish(null, Buffer.concat(chunks, received).toString('utf8'));
  };
  // The client's socket failing (it hung up mid-body): a 400 about the request, as Fastify does.
  const onError = (error: Error & { statusCode?: number }): void => {
    error.statusCode ??= 400;
    finish(error);
  };
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onError);
  payload.resume();
}

/**
 * The only body parser (Nest's own are off). A body must be JSON, uncompressed: any other
 * type or a content coding is `415 unsupported_media_type` before it is read; no body at all
 * passes whatever type it claims. A plain JSON body is read in a preParsing hook,
 * and the request then looks bodiless to Fastify, so its content-type parser does not run for
 * it: on Node 20 that parser binds an AsyncResource per request, whose `bind` builds two
 * deprecation wrappers (~10 % of the API's CPU on the vote path). Nothing after this hook
 * reads the content type or length of a request whose body is already parsed.
 */
export function installJsonBodyParser(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (_request, raw, done) => {
      try {
        done(null, parseJson(typeof raw === 'string' ? raw : raw.toString('utf8')));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
  fastify.addHook('preParsing', (request, reply, payload, done) => {
    // An unknown path stays a 404 whatever its body.
    if (!BODY_METHODS.has(request.method) || request.is404) return done(null, payload);
    const headers = request.raw.headers;
    if (isBodiless(headers)) {
      // Fastify would look for a parser of the claimed type even for no body.
      delete headers['content-type'];
      return done(null, payload);
    }
    const refusal = mediaRefusal(headers);
    if (refusal) {
      // The body is left unread: the connection cannot carry another request.
      void reply.header('connection', 'close');
      return done(refusal);
    }
    readBody(payload, Number(headers['content-length']), bodyLimit, (error, text) => {
      if (error) {
        // Whatever is left of the body was not read: the connection cannot carry another request.
        void reply.header('connection', 'close');
        return done(error);
      }
      try {
        request.body = parseJson(text ?? '');
      } catch (parseError) {
        return done(parseError as Error);
      }
      delete headers['content-type'];
      delete headers['transfer-encoding'];
      headers['content-length'] = '0';
      done(null, payload);
    });
  });
}
