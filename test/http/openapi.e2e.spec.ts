import { admin, call, startHttpApp, type HttpApp } from '../support/http-app';
import {
  AnswerChecker,
  CONTRACT_STATUS,
  errorCodesOf,
  fastifyPath,
  fetchDocument,
  operationsOf,
  resolve,
  type OpenApiDocument,
  type Schema,
} from '../support/openapi-document';

const COMMANDS: [string, string][] = [
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

  it('matches real answers, success and refusal, in every family', async () => {
    const checker = new AnswerChecker(doc);
    const problems: string[] = [];
    const statuses: string[] = [];
    let key = 0;
    const send = async (
      method: string,
      path: string,
      url: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ): Promise<Record<string, unknown>> => {
      const isCommand = COMMANDS.some(([m, p]) => m === method && p === path);
      const idempotency: Record<string, string> = isCommand
        ? { 'idempotency-key': `openapi-${(key += 1)}` }
        : {};
      const answer = await call(app.baseUrl, method, url, body, { ...idempotency, ...headers });
      statuses.push(`${method} ${path} ${answer.status}`);
      const problem = checker.problem(method, path, answer);
      if (problem) problems.push(problem);
      if (isCommand && answer.status < 300) {
        // The documented Idempotency-Key is honoured: the same request again is a replay.
        const again = await call(app.baseUrl, method, url, body, { ...idempotency, ...headers });
        if (again.headers.get('idempotency-replayed') !== 'true')
          problems.push(`${url}: no replay`);
      }
      return answer.body;
    };

    await send('POST', '/polls', '/polls', {
      pollId: 'oa',
      title: 'OpenAPI?',
      options: ['a', 'b'],
    });
    await send('POST', '/polls', '/polls', { title: '' });
    await send('POST', '/polls/{pollId}/votes', '/polls/oa/votes', {
      voterId: 'v',
      optionId: 'o1',
    });
    await send('POST', '/polls/{pollId}/votes', '/polls/oa/votes', {
      voterId: 'v',
      optionId: 'o9',
    });
    await send('DELETE', '/polls/{pollId}/votes/{voterId}', '/polls/oa/votes/w');
    await send('POST', '/polls/{pollId}/close', '/polls/oa/close', undefined, admin);
    await send('POST', '/polls/{pollId}/close', '/polls/oa/close');
    const reaction = '/posts/{postId}/reactions/{type}/{userId}';
    await send('PUT', reaction, '/posts/p1/reactions/like/u1', { active: true });
    const toggled = await send('POST', `${reaction}/toggle`, '/posts/p1/reactions/like/u1/toggle');
    await send('POST', `${reaction}/toggle`, '/posts/p1/reactions/like/u1/toggle', undefined, {
      'if-match': `"${Number(toggled.revision) + 5}"`,
    });
    await send('POST', '/threads', '/threads', { threadId: 't1', title: 'Hello' });
    await send('POST', '/threads/{threadId}/posts', '/threads/t1/posts', {
      authorId: 'a',
      body: 'x',
    });
    await send('POST', '/threads/{threadId}/posts', '/threads/t9/posts', {
      authorId: 'a',
      body: 'x',
    });
    await send('POST', '/items', '/items', { sku: 's1', name: 'Pen', stock: 1 }, admin);
    await send('POST', '/items', '/items', { sku: 's1', name: 'Pen', stock: 1 }, admin);
    await send('POST', '/items/{sku}/purchases', '/items/s1/purchases', {
      customerId: 'c',
      quantity: 5,
    });
    await send('POST', '/items/{sku}/restocks', '/items/s1/restocks', { quantity: 5 }, admin);
    const user = await send('POST', '/users', '/users', { username: 'openapi' });
    await send('POST', '/users', '/users', { username: 'OpenAPI' });
    const at = `?minPosition=${String(user.position)}`;
    await send('GET', '/polls/{pollId}', `/polls/oa${at}`);
    await send('GET', '/polls/{pollId}', '/polls/none');
    await send('GET', '/posts/{postId}/reactions', `/posts/p1/reactions${at}`);
    await send('GET', '/threads/{threadId}', `/threads/t1${at}`);
    await send('GET', '/items/{sku}', `/items/s1${at}`);
    await send('GET', '/users/{username}', `/users/openapi${at}`);
    await send('GET', '/users/{username}', '/users/openapi?minPosition=x');
    await send('GET', '/projections', '/projections');
    await send('GET', '/projections/{name}/parked', '/projections/users/parked', undefined, admin);
    await send('POST', '/projections/{name}/rebuild', '/projections/no/rebuild', undefined, admin);
    await send('GET', '/ops/status', '/ops/status');
    await send('GET', '/health/live', '/health/live');
    await send('GET', '/health/ready', '/health/ready');
    await send('GET', '/metrics', '/metrics');

    expect(problems).toEqual([]);
    // The scenario reached what it meant to: successes and the refusals in between.
    expect(statuses).toEqual(
      expect.arrayContaining([
        'POST /polls 201',
        'POST /polls 400',
        'POST /polls/{pollId}/votes 404',
        'POST /polls/{pollId}/close 401',
        `POST ${reaction}/toggle 412`,
        'POST /threads/{threadId}/posts 201',
        'POST /items 409',
        'POST /items/{sku}/purchases 409',
        'POST /users 409',
        'GET /polls/{pollId} 200',
        'GET /polls/{pollId} 404',
        'GET /users/{username} 200',
        'GET /users/{username} 400',
        'GET /projections 200',
        'POST /projections/{name}/rebuild 404',
        'GET /ops/status 200',
        'GET /metrics 200',
      ]),
    );
  });

  it('serves a browsable page', async () => {
    const response = await fetch(`${app.baseUrl}/docs`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('swagger');
  });
});
