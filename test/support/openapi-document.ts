import Ajv from 'ajv';
import { ERROR_STATUS } from '../../apps/api/src/http/error-codes';
import { call, type CallResult } from './http-app';

export type Schema = Record<string, unknown>;

/** The contract's commands: each takes an Idempotency-Key. */
export const COMMANDS: [string, string][] = [
  ['POST', '/polls'],
  ['POST', '/polls/{pollId}/votes'],
  ['DELETE', '/polls/{pollId}/votes/{voterId}'],
  ['POST', '/polls/{pollId}/close'],
  ['PUT', '/posts/{postId}/reactions/{type}/{userId}'],
  ['POST', '/posts/{postId}/reactions/{type}/{userId}/toggle'],
  ['POST', '/threads'],
  ['POST', '/threads/{threadId}/posts'],
  ['POST', '/items'],
  ['POST', '/items/{sku}/purchases'],
  ['POST', '/items/{sku}/restocks'],
  ['POST', '/users'],
];

export interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}

export interface Response {
  description: string;
  content?: Record<string, { schema?: Schema }>;
}

export interface Operation {
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, Response>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, Schema> };
}

export interface DocumentedOperation {
  method: string;
  path: string;
  operation: Operation;
}

export async function fetchDocument(baseUrl: string): Promise<OpenApiDocument> {
  const { status, body } = await call(baseUrl, 'GET', '/docs/json');
  if (status !== 200) throw new Error(`GET /docs/json answered ${status}`);
  return body as unknown as OpenApiDocument;
}

/** Every operation of the document, its method upper-case as Fastify names it. */
export function operationsOf(doc: OpenApiDocument): DocumentedOperation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      operation,
    })),
  );
}

/** `/polls/{pollId}` as Fastify writes it: `/polls/:pollId`. */
export const fastifyPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');

/** A schema, its `$ref` followed (one level: the document's components). */
export function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  const ref = schema.$ref;
  return typeof ref === 'string' ? doc.components.schemas[ref.split('/').pop()!]! : schema;
}

/** The contract codes an error response of the document names, from its schema. */
export function errorCodesOf(doc: OpenApiDocument, response: Response): string[] {
  const schema = response.content?.['application/json']?.schema ?? {};
  const alternatives = (schema.oneOf as Schema[] | undefined) ?? [schema];
  return alternatives.map((alternative) => {
    const error = (resolve(doc, alternative).properties as Record<string, Schema>).error!;
    const codes = error.enum as string[];
    if (codes.length !== 1) throw new Error(`an error schema names ${codes.length} codes`);
    return codes[0]!;
  });
}

/** Every contract code with its status (apps/api/src/http/error-codes.ts). */
export const CONTRACT_STATUS: Record<string, number> = ERROR_STATUS;

/** OpenAPI 3.0's `nullable` as JSON Schema: the schema, or null. */
function asJsonSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asJsonSchema);
  if (value === null || typeof value !== 'object') return value;
  const { nullable, ...rest } = value as Schema;
  const converted = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, asJsonSchema(v)]));
  return nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted;
}

const pointer = (...parts: string[]): string =>
  parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/**
 * Checks real answers against the document: the status is documented for the operation, a
 * JSON body validates against its schema, an error's code is one the document lists there.
 */
export class AnswerChecker {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

  constructor(private readonly doc: OpenApiDocument) {
    this.ajv.addSchema(asJsonSchema(doc) as Schema, 'openapi');
  }

  /** Why `answer` to `method path` (a documented path) disagrees with the document, if it does. */
  problem(method: string, path: string, answer: CallResult): string | undefined {
    const where = `${method} ${path} → ${answer.status}`;
    const response = this.doc.paths[path]?.[method.toLowerCase()]?.responses[answer.status];
    if (!response) return `${where}: status not documented`;
    const type = (answer.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const documented = Object.keys(response.content ?? {});
    if (!documented.includes(type))
      return `${where}: ${type} is not one of ${documented.join(', ')}`;
    if (type !== 'application/json') return undefined;
    const at = pointer('paths', path, method.toLowerCase(), 'responses', String(answer.status));
    const validate = this.ajv.getSchema(`openapi#/${at}/content/application~1json/schema`);
    if (!validate) return `${where}: no schema`;
    if (!validate(answer.body)) return `${where}: ${this.ajv.errorsText(validate.errors)}`;
    const extra = answer.status < 400 ? this.undocumentedFields(response, answer.body) : [];
    if (extra.length > 0) return `${where}: undocumented fields ${extra.join(', ')}`;
    if (answer.status >= 400) {
      const code = String(answer.body.error);
      if (!errorCodesOf(this.doc, response).includes(code)) return `${where}: ${code} not listed`;
    }
    return undefined;
  }

  /** Top-level fields of a success body (or of its first item) its schema does not name. */
  private undocumentedFields(response: Response, body: unknown): string[] {
    let schema = resolve(this.doc, response.content?.['application/json']?.schema ?? {});
    let value = body;
    if (schema.type === 'array' && Array.isArray(body)) {
      schema = resolve(this.doc, schema.items as Schema);
      value = body[0] ?? {};
    }
    const named = Object.keys((schema.properties as Schema | undefined) ?? {});
    if (schema.additionalProperties !== undefined || named.length === 0) return [];
    return Object.keys(value as Schema).filter((key) => !named.includes(key));
  }
}
