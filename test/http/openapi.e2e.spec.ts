import { call, startHttpApp, type HttpApp } from '../support/http-app';

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>> }> };
}

const COMMANDS: [string, string][] = [
  ['post', '/polls'],
  ['post', '/polls/{pollId}/votes'],
  ['delete', '/polls/{pollId}/votes/{voterId}'],
  ['post', '/polls/{pollId}/close'],
  ['put', '/posts/{postId}/reactions/{type}/{userId}'],
  ['post', '/posts/{postId}/reactions/{type}/{userId}/toggle'],
  ['post', '/threads'],
  ['post', '/threads/{threadId}/posts'],
  ['post', '/items'],
  ['post', '/items/{sku}/purchases'],
  ['post', '/items/{sku}/restocks'],
  ['post', '/users'],
];

describe('the OpenAPI document at /docs', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('lists every command endpoint of the contract', async () => {
    const { status, body } = await call(app.baseUrl, 'GET', '/docs/json');
    expect(status).toBe(200);
    const doc = body as unknown as OpenApiDocument;
    const missing = COMMANDS.filter(([method, path]) => !doc.paths[path]?.[method]);
    expect(missing).toEqual([]);
  });

  it('describes bodies with the same limits the validation enforces', async () => {
    const doc = (await call(app.baseUrl, 'GET', '/docs/json')).body as unknown as OpenApiDocument;
    expect(doc.components.schemas.PurchaseRequest?.properties.quantity).toMatchObject({
      minimum: 1,
      maximum: 1000,
    });
  });

  it('serves a browsable page', async () => {
    const response = await fetch(`${app.baseUrl}/docs`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('swagger');
  });
});
