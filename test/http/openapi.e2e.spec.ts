import { startHttpApp, type HttpApp } from '../support/http-app';
import {
  COMMANDS,
  CONTRACT_STATUS,
  errorCodesOf,
  fastifyPath,
  fetchDocument,
  operationsOf,
  resolve,
  type OpenApiDocument,
  type Schema,
} from '../support/openapi-document';

const READS = [
  '/polls/{pollId}',
  '/polls/{pollId}/live',
  '/posts/{postId}/reactions',
  '/threads/{threadId}',
  '/items/{sku}',
  '/users/{username}',
];

const DOCUMENTING = new Set(['description', 'example', 'examples', 'title']);

/** A schema without what only documents it: what a validator checks. */
function validating(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(validating);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => !DOCUMENTING.has(key))
      .map(([key, value]) => [
        key,
        // `properties` maps names (a field may be called `title`) to schemas.
        key === 'properties'
          ? Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, validating(v)]))
          : validating(value),
      ]),
  );
}

const headerNames = (doc: OpenApiDocument, method: string, path: string): string[] =>
  (doc.paths[path]?.[method.toLowerCase()]?.parameters ?? [])
    .filter((p) => p.in === 'header')
    .map((p) => p.name);

describe('the OpenAPI document at /docs/json', () => {
  let app: HttpApp;
  let doc: OpenApiDocument;
  beforeAll(async () => {
    app = await startHttpApp();
    doc = await fetchDocument(app.baseUrl);
  });
  afterAll(async () => {
    await app.close();
  });

  it('documents exactly the routes Fastify serves, each with its method and path', () => {
    const served = app.routes
      .filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/docs'))
      .map((r) => `${r.method} ${r.url}`);
    const documented = operationsOf(doc).map((o) => `${o.method} ${fastifyPath(o.path)}`);
    expect(served.length).toBeGreaterThan(20);
    expect([...documented].sort()).toEqual([...new Set(served)].sort());
  });

  it('describes request bodies and path parameters with the validator’s own schemas', () => {
    let compared = 0;
    for (const { method, path, operation } of operationsOf(doc)) {
      const route = app.routes.find((r) => r.method === method && r.url === fastifyPath(path));
      const body = route?.schema?.body;
      if (body) {
        expect(operation.requestBody?.required).toBe(true);
        const shown = resolve(doc, operation.requestBody!.content['application/json']!.schema);
        expect([method, path, validating(shown)]).toEqual([method, path, body]);
        compared += 1;
      }
      const params = route?.schema?.params as { properties: Record<string, Schema> } | undefined;
      const pathParameters = (operation.parameters ?? []).filter((p) => p.in === 'path');
      for (const parameter of pathParameters) {
        expect(parameter.required).toBe(true);
        if (!params) continue;
        expect(validating(parameter.schema)).toEqual(params.properties[parameter.name]);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(25);
  });

  it('lists only contract error codes, each under its own status, with the contract body', () => {
    for (const { method, path, operation } of operationsOf(doc)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        const codes = errorCodesOf(doc, response);
        expect(codes.length).toBeGreaterThan(0);
        for (const code of codes) {
          expect([method, path, code, CONTRACT_STATUS[code]]).toEqual([
            method,
            path,
            code,
            Number(status),
          ]);
        }
      }
    }
    for (const code of Object.keys(CONTRACT_STATUS)) {
      const name = Object.keys(doc.components.schemas).find((n) => {
        const error = (doc.components.schemas[n]!.properties as Record<string, Schema> | undefined)
          ?.error;
        return (error?.enum as string[] | undefined)?.[0] === code;
      });
      expect(doc.components.schemas[name ?? code]).toMatchObject({
        required: expect.arrayContaining(['error', 'message']) as unknown,
      });
    }
  });

  it('documents Idempotency-Key on every command, If-Match on toggle, minPosition on reads', () => {
    for (const [method, path] of COMMANDS) {
      expect([method, path, headerNames(doc, method, path)]).toEqual([
        method,
        path,
        expect.arrayContaining(['Idempotency-Key']),
      ]);
    }
    const toggle = '/posts/{postId}/reactions/{type}/{userId}/toggle';
    expect(headerNames(doc, 'POST', toggle)).toContain('If-Match');
    for (const path of READS) {
      const query = (doc.paths[path]!.get!.parameters ?? []).filter((p) => p.in === 'query');
      expect([path, query.map((p) => p.name)]).toEqual([path, ['minPosition']]);
    }
  });

  it('names two opaque bearer schemes, and an explicit security on every operation', () => {
    expect(doc.components.securitySchemes).toEqual({
      adminToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }) as unknown,
      apiToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }) as unknown,
    });
    expect(JSON.stringify(doc)).not.toContain('bearerFormat');
    const withoutSecurity = operationsOf(doc).filter((o) => o.operation.security === undefined);
    expect(withoutSecurity).toEqual([]);
  });

  it('serves a browsable page', async () => {
    const response = await fetch(`${app.baseUrl}/docs`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('swagger');
  });
});
