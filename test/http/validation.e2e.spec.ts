import { admin, call, startHttpApp, type HttpApp } from '../support/http-app';

/** Bodies and paths are validated by Fastify from the DTOs' schemas: one problem per field. */
describe('validation_failed details', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it.each<[string, string, string, unknown, Record<string, string>, [string, string][]]>([
    [
      'a quoted number',
      'POST',
      '/items/a/purchases',
      { customerId: 'c', quantity: '2' },
      {},
      [['quantity', 'must be an integer']],
    ],
    [
      'a quoted number on a restock',
      'POST',
      '/items/a/restocks',
      { quantity: '2' },
      admin,
      [['quantity', 'must be an integer']],
    ],
    [
      'a number out of range and an extra field',
      'POST',
      '/items/a/purchases',
      { customerId: 'c', quantity: 0, extra: 1 },
      {},
      [
        ['extra', 'is not allowed'],
        ['quantity', 'must be an integer from 1 to 1000'],
      ],
    ],
    [
      'a string stock',
      'POST',
      '/items',
      { sku: 'a', name: 'x', stock: '2' },
      admin,
      [['stock', 'must be an integer']],
    ],
    [
      'bad option texts and a null id',
      'POST',
      '/polls',
      { title: 'x', options: ['a', 'a\u0000', 5], pollId: null },
      {},
      [
        ['options[1]', 'contains a NUL character or an unpaired surrogate'],
        ['options[2]', 'must be a string'],
        ['pollId', 'must be a string'],
      ],
    ],
    [
      'repeated options',
      'POST',
      '/polls',
      { title: 'x', options: ['a', 'a'] },
      {},
      [['options', 'must not repeat an item']],
    ],
    ['a null body', 'POST', '/polls', 'null', {}, [['body', 'must be a JSON object']]],
    ['an array body', 'POST', '/polls', '[1]', {}, [['body', 'must be a JSON object']]],
    ['no body at all', 'POST', '/users', undefined, {}, [['body', 'must be a JSON object']]],
    [
      'a bad path id',
      'POST',
      '/polls/bad%20id!/votes',
      { voterId: 'v', optionId: 'o1' },
      {},
      [['pollId', 'must be letters, digits and _ . : -, 1-64 characters']],
    ],
    [
      'missing fields',
      'POST',
      '/polls/p/votes',
      {},
      {},
      [
        ['voterId', 'is required'],
        ['optionId', 'is required'],
      ],
    ],
    [
      'a short username',
      'POST',
      '/users',
      { username: 'a' },
      {},
      [['username', 'must be text of 3-32 characters']],
    ],
    [
      'a quoted boolean',
      'PUT',
      '/posts/p/reactions/like/u',
      { active: 'true' },
      {},
      [['active', 'must be a boolean']],
    ],
  ])(
    '%s → 400 with exactly these details',
    async (_name, method, path, body, headers, expected) => {
      const reply = await call(app.baseUrl, method, path, body, headers);
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe('validation_failed');
      expect(reply.body.details).toEqual(expected.map(([field, reason]) => ({ field, reason })));
      expect(await app.store.headPosition()).toBe(0n);
    },
  );

  it.each([
    ['a __proto__ key', '{"voterId":"v","optionId":"o1","__proto__":{"admin":true}}'],
    ['an escaped __proto__ key', '{"voterId":"v","optionId":"o1","\\u005f_proto__":{"x":1}}'],
  ])('%s is refused before any stage sees it', async (_name, raw) => {
    const reply = await call(app.baseUrl, 'POST', '/polls/p/votes', raw);
    expect(reply.status).toBe(400);
    const details = reply.body.details as { field: string; reason: string }[];
    expect(details).toHaveLength(1);
    expect(details[0]?.field).toBe('body');
    expect(details[0]?.reason).toContain('__proto__');
  });

  it('names at most 20 fields however many items fail', async () => {
    const options = Array.from({ length: 500 }, () => 7);
    const reply = await call(app.baseUrl, 'POST', '/polls', { title: 't', options });
    expect(reply.status).toBe(400);
    expect((reply.body.details as unknown[]).length).toBe(20);
  });
});
