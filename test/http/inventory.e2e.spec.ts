import { admin, call, countBy, startHttpApp, type HttpApp } from '../support/http-app';

describe('inventory over HTTP on real PostgreSQL', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp();
  });
  afterAll(async () => {
    await app.close();
  });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    call(app.baseUrl, 'POST', path, body, headers);

  it('300 concurrent purchases of a stock of 100 → exactly 100 Purchased events and 200 out_of_stock answers', async () => {
    expect((await post('/items', { sku: 'race-1', name: 'Lamp', stock: 100 }, admin)).status).toBe(
      201,
    );
    const replies = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        post('/items/race-1/purchases', { customerId: `c${i}`, quantity: 1 }),
      ),
    );
    expect(countBy(replies, (r) => r.status)).toEqual({ 201: 100, 409: 200 });
    for (const r of replies.filter((x) => x.status === 409)) {
      expect(r.body).toMatchObject({ error: 'out_of_stock', available: 0 });
    }
    const events = await app.store.readStream('item-race-1', { maxCount: 1000 });
    expect(events.filter((e) => e.type === 'Purchased')).toHaveLength(100);
    expect((events.at(-1)?.data as { remainingStock: number }).remainingStock).toBe(0);
  });

  it('50 concurrent retries with one Idempotency-Key → one event, one answer, 49 replays', async () => {
    await post('/items', { sku: 'idem-1', name: 'Mug', stock: 10 }, admin);
    const key = { 'Idempotency-Key': 'order-42' };
    const replies = await Promise.all(
      Array.from({ length: 50 }, () =>
        post('/items/idem-1/purchases', { customerId: 'c1', quantity: 3 }, key),
      ),
    );
    expect(new Set(replies.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(replies.map((r) => r.body.purchaseId)).size).toBe(1);
    expect(replies.filter((r) => r.headers.get('idempotency-replayed') === 'true')).toHaveLength(
      49,
    );
    const purchases = (await app.store.readStream('item-idem-1')).filter(
      (e) => e.type === 'Purchased',
    );
    expect(purchases).toHaveLength(1);
    expect(purchases[0]?.metadata.idempotencyKey).toBe('order-42');
    const reused = await post('/items/idem-1/purchases', { customerId: 'c1', quantity: 4 }, key);
    expect(reused).toMatchObject({ status: 422, body: { error: 'idempotency_key_reused' } });
  });

  it('restocks racing purchases are never lost', async () => {
    await post('/items', { sku: 'mix-1', name: 'Chair', stock: 20 }, admin);
    const replies = await Promise.all([
      ...Array.from({ length: 100 }, (_, i) =>
        post('/items/mix-1/purchases', { customerId: `c${i}`, quantity: 1 }),
      ),
      ...Array.from({ length: 8 }, () => post('/items/mix-1/restocks', { quantity: 5 }, admin)),
    ]);
    const sold = replies.filter((r) => r.status === 201).length;
    expect(replies.filter((r) => r.status === 200)).toHaveLength(8);
    const last = (await app.store.readStream('item-mix-1', { maxCount: 1000 })).at(-1)?.data as {
      remainingStock?: number;
      stock?: number;
    };
    expect(last.remainingStock ?? last.stock).toBe(20 + 40 - sold);
  });

  it('admin routes: no token → 401 unauthorized, nothing listed', async () => {
    const reply = await post('/items', { sku: 'noauth', name: 'x', stock: 1 });
    expect(reply).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    expect(await app.store.readStream('item-noauth')).toEqual([]);
  });
});
