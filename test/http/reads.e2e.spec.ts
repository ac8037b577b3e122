import { admin, call, startHttpApp, type CallResult, type HttpApp } from '../support/http-app';

const maxPosition = (replies: CallResult[]): string =>
  replies
    .filter((r) => typeof r.body.position === 'string')
    .map((r) => BigInt(String(r.body.position)))
    .reduce((a, b) => (a > b ? a : b), 0n)
    .toString();

describe('reads: the races of the write side, counted exactly by the read model (through minPosition)', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp();
  });
  afterAll(async () => {
    await app.close();
  });
  const get = (path: string) => call(app.baseUrl, 'GET', path);
  const post = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
    call(app.baseUrl, 'POST', path, body, headers);

  it('300 purchases of a stock of 100 and 5 restocks → stock and sold exact', async () => {
    await post('/items', { sku: 'rd-1', name: 'Lamp', stock: 100 }, admin);
    const replies = await Promise.all([
      ...Array.from({ length: 300 }, (_, i) =>
        post('/items/rd-1/purchases', { customerId: `c${i}`, quantity: 1 }),
      ),
      ...Array.from({ length: 5 }, () => post('/items/rd-1/restocks', { quantity: 10 }, admin)),
    ]);
    const sold = replies.filter((r) => r.status === 201).length;
    const read = await get(`/items/rd-1?minPosition=${maxPosition(replies)}`);
    expect(read).toMatchObject({
      status: 200,
      body: { sku: 'rd-1', name: 'Lamp', stock: 150 - sold, sold },
    });
    expect(sold).toBeGreaterThanOrEqual(100);
    expect(sold).toBeLessThanOrEqual(150);
  });

  it('a double click and 51 toggles → reaction counts exact', async () => {
    const puts = await Promise.all(
      Array.from({ length: 100 }, () =>
        call(app.baseUrl, 'PUT', '/posts/rd-p/reactions/like/u1', { active: true }),
      ),
    );
    const toggles = await Promise.all(
      Array.from({ length: 51 }, () => post('/posts/rd-p/reactions/love/u1/toggle')),
    );
    const read = await get(
      `/posts/rd-p/reactions?minPosition=${maxPosition([...puts, ...toggles])}`,
    );
    expect(read).toMatchObject({
      status: 200,
      body: { postId: 'rd-p', counts: { like: 1, love: 1 } },
    });
    expect(await get('/posts/nobody/reactions')).toMatchObject({
      status: 200,
      body: { postId: 'nobody', counts: {} },
    });
  });

  it('300 concurrent posts → postCount 300 and the latest activity', async () => {
    await post('/threads', { threadId: 'rd-t', title: 'Hello' });
    const replies = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        post('/threads/rd-t/posts', { authorId: `a${i}`, body: 'hi' }),
      ),
    );
    const read = await get(`/threads/rd-t?minPosition=${maxPosition(replies)}`);
    expect(read).toMatchObject({
      status: 200,
      body: { threadId: 'rd-t', title: 'Hello', postCount: 300 },
    });
    expect(Date.parse(String(read.body.lastActivityAt))).not.toBeNaN();
  });

  it('60 mixed-case registrations → one user, found in any letter case', async () => {
    const replies = await Promise.all(
      Array.from({ length: 60 }, (_, i) => post('/users', { username: i % 2 ? 'Dave' : 'DAVE' })),
    );
    const winner = replies.find((r) => r.status === 201)!;
    const read = await get(`/users/dave?minPosition=${maxPosition(replies)}`);
    expect(read).toMatchObject({
      status: 200,
      body: { userId: winner.body.userId, username: winner.body.username },
    });
  });

  it.each([
    ['/items/nope', 404, 'item_not_found'],
    ['/threads/nope', 404, 'thread_not_found'],
    ['/users/nobody', 404, 'user_not_found'],
    ['/users/a', 400, 'validation_failed'],
    ['/items/a%20b', 400, 'validation_failed'],
    ['/threads/x?minPosition=-1', 400, 'validation_failed'],
    ['/posts/p/reactions?minPosition=1e3', 400, 'validation_failed'],
  ])('GET %s → %i %s', async (path, status, error) => {
    expect(await get(path)).toMatchObject({ status, body: { error } });
  });
});
