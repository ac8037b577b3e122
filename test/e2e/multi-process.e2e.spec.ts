import { eventStoreMigrations, PostgresEventStore } from '../../libs/event-store/src';
import { idempotencyMigrations } from '../../libs/commands/src';
import { freePort } from '../support/free-port';
import { admin, call, countBy } from '../support/http-app';
import { cleanEnv, startService, type ServiceProcess } from '../support/service-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** The multi-worker deployment: two API processes on one PostgreSQL, requests split between them. */
describe('two service processes on one PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let workers: ServiceProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase([...eventStoreMigrations, ...idempotencyMigrations]);
    store = new PostgresEventStore({ pool: db.pool, url: db.url });
    workers = await Promise.all(
      [0, 1].map(async () => {
        const port = await freePort();
        const env = cleanEnv({
          DATABASE_URL: db.url,
          PORT: String(port),
          HOST: '127.0.0.1',
          TALLY_ADMIN_TOKEN: 'test-admin-token',
          LOG_LEVEL: 'warn',
        });
        return startService('apps/api/src/main.js', env, port);
      }),
    );
  });

  afterAll(async () => {
    const codes = await Promise.all(workers.map((w) => w.stop('SIGTERM')));
    await store.close();
    await db.drop();
    expect(codes).toEqual([0, 0]);
  });

  const via = (i: number): string => workers[i % 2]!.baseUrl;

  it('300 purchases of a stock of 100 split across both → exactly 100 sold, 200 out_of_stock, no 500', async () => {
    await call(via(0), 'POST', '/items', { sku: 'mp-1', name: 'Lamp', stock: 100 }, admin);
    const replies = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        call(via(i), 'POST', '/items/mp-1/purchases', { customerId: `c${i}`, quantity: 1 }),
      ),
    );
    expect(countBy(replies, (r) => r.status)).toEqual({ 201: 100, 409: 200 });
    const events = await store.readStream('item-mp-1', { maxCount: 1000 });
    expect(events.filter((e) => e.type === 'Purchased')).toHaveLength(100);
  });

  it('50 retries with one Idempotency-Key split across both → one event, one answer', async () => {
    await call(via(0), 'POST', '/items', { sku: 'mp-2', name: 'Mug', stock: 100 }, admin);
    const headers = { 'Idempotency-Key': 'mp-order-1' };
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call(via(i), 'POST', '/items/mp-2/purchases', { customerId: 'c', quantity: 2 }, headers),
      ),
    );
    expect(new Set(replies.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(replies.map((r) => r.body.purchaseId)).size).toBe(1);
    expect(
      (await store.readStream('item-mp-2')).filter((e) => e.type === 'Purchased'),
    ).toHaveLength(1);
  });
});
