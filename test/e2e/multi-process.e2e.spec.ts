import { allMigrations } from '../../apps/shared/src/all-migrations';
import { PostgresEventStore } from '../../libs/event-store/src';
import { admin, call, countBy } from '../support/http-app';
import { startApiProcesses, type ServiceProcess } from '../support/service-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** The multi-worker deployment: two API processes on one PostgreSQL, requests split between them. */
describe('two service processes on one PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let workers: ServiceProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(allMigrations());
    store = new PostgresEventStore({ pool: db.pool, url: db.url });
    workers = await startApiProcesses(db.url, 2);
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

  it('300 voters split across both → 300 Voted; one voter changing their vote on both → one ballot on the last accepted option', async () => {
    expect(
      (await call(via(0), 'POST', '/polls', { pollId: 'mp-poll', title: 'T', options: ['a', 'b'] }))
        .status,
    ).toBe(201);
    const votes = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        call(via(i), 'POST', '/polls/mp-poll/votes', { voterId: `v${i}`, optionId: 'o1' }),
      ),
    );
    expect(countBy(votes, (r) => r.status)).toEqual({ 200: 300 });
    const { rows } = await db.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM tally_events WHERE type = 'Voted' AND stream_id LIKE 'ballot-mp-poll|%'`,
    );
    expect(Number(rows[0]?.n)).toBe(300);

    const changes = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        call(via(i), 'POST', '/polls/mp-poll/votes', {
          voterId: 'fickle',
          optionId: i % 2 ? 'o1' : 'o2',
        }),
      ),
    );
    expect(new Set(changes.map((r) => r.status))).toEqual(new Set([200]));
    const ballot = await store.readStream('ballot-mp-poll|fickle', { maxCount: 1000 });
    expect(ballot).toHaveLength(changes.filter((r) => r.body.changed === true).length);
    for (let i = 1; i < ballot.length; i++) {
      const data = ballot[i]!.data as { previousOptionId: string | null };
      expect(data.previousOptionId).toBe((ballot[i - 1]!.data as { optionId: string }).optionId);
    }
  });

  it('a double click split across both → one ReactionToggled; 100 toggles → 100 alternating events', async () => {
    const puts = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        call(via(i), 'PUT', '/posts/mp-p/reactions/like/u1', { active: true }),
      ),
    );
    expect(puts.filter((r) => r.body.changed === true)).toHaveLength(1);
    expect(await store.readStream('reaction-mp-p|like|u1')).toHaveLength(1);
    const toggles = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        call(via(i), 'POST', '/posts/mp-p/reactions/like/u2/toggle'),
      ),
    );
    expect(new Set(toggles.map((r) => r.status))).toEqual(new Set([200]));
    const events = await store.readStream('reaction-mp-p|like|u2', { maxCount: 1000 });
    expect(events.map((e) => (e.data as { active: boolean }).active)).toEqual(
      Array.from({ length: 100 }, (_, i) => i % 2 === 0),
    );
  });

  it('300 posts in one thread split across both → 300 PostCreated', async () => {
    expect((await call(via(1), 'POST', '/threads', { threadId: 'mp-t', title: 'T' })).status).toBe(
      201,
    );
    const posts = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        call(via(i), 'POST', '/threads/mp-t/posts', { authorId: `a${i}`, body: 'hi' }),
      ),
    );
    expect(countBy(posts, (r) => r.status)).toEqual({ 201: 300 });
    const { rows } = await db.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM tally_events WHERE type = 'PostCreated' AND data->>'threadId' = 'mp-t'`,
    );
    expect(Number(rows[0]?.n)).toBe(300);
  });

  it('60 registrations of one name in mixed case split across both → exactly one 201', async () => {
    const names = Array.from({ length: 60 }, (_, i) =>
      i % 3 === 0 ? 'Carol' : i % 3 === 1 ? 'CAROL' : 'carol',
    );
    const replies = await Promise.all(
      names.map((username, i) => call(via(i), 'POST', '/users', { username })),
    );
    expect(countBy(replies, (r) => r.status)).toEqual({ 201: 1, 409: 59 });
    for (const r of replies.filter((x) => x.status === 409))
      expect(r.body.error).toBe('username_taken');
    expect(await store.readStream('username-carol')).toHaveLength(1);
  });
});
