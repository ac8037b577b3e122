import { CommandPipeline, PostgresIdempotencyStore } from '../../libs/commands/src';
import { PostgresEventStore } from '../../libs/event-store/src';
import { allMigrations } from '../../apps/shared/src/all-migrations';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { buy, list, rendering } from './stock-model';

/**
 * The pipeline decides against its cached state (or, for a stream it has never seen, the
 * initial state) without reading the stream first; only a successful append proves such a
 * decision. These are the cases where the guess is wrong.
 */
describe('command pipeline: decisions against state it has not read', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  const conflicts: string[] = [];
  const reads: string[] = [];

  const pipeline = () =>
    rendering(
      new CommandPipeline({
        store,
        idempotency: new PostgresIdempotencyStore(db.pool),
        observer: { conflict: (s) => conflicts.push(s), completed: () => undefined },
      }),
    );

  beforeAll(async () => {
    db = await createTestDatabase(allMigrations(), 20);
    store = new PostgresEventStore({ pool: db.pool, url: db.url });
    const readStream = store.readStream.bind(store);
    store.readStream = (streamId, options) => {
      reads.push(streamId);
      return readStream(streamId, options);
    };
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });
  beforeEach(() => {
    conflicts.length = 0;
    reads.length = 0;
  });

  it('a new stream is created without reading it first', async () => {
    const reply = await pipeline().execute(list('new-1', 3));
    expect(reply).toMatchObject({ status: 201, body: { revision: 0 } });
    expect(reads).toEqual([]);
  });

  it('a stream created by another process: the guess fails, the stream is read, the command decided again; no conflict counted', async () => {
    await pipeline().execute(list('other-1', 5));
    const fresh = pipeline();
    reads.length = 0;
    const reply = await fresh.execute(buy('other-1', 2));
    expect(reply).toMatchObject({ status: 201, body: { remainingStock: 3, revision: 1 } });
    expect(reads).toEqual(['item-other-1']);
    expect(conflicts).toEqual([]);
  });

  it('a refusal decided on a guess is checked against the store before it is answered', async () => {
    // The fresh pipeline would answer item_not_found from the initial state; the store says it exists.
    await pipeline().execute(list('other-2', 1));
    const reply = await pipeline().execute(list('other-2', 7));
    expect(reply).toMatchObject({ status: 409, body: { error: 'item_exists' } });
    const bought = await pipeline().execute(buy('other-2', 1));
    expect(bought).toMatchObject({ status: 201, body: { remainingStock: 0 } });
    const refused = await pipeline().execute(buy('other-2', 1));
    expect(refused).toMatchObject({ status: 409, body: { error: 'out_of_stock', available: 0 } });
  });

  it('a cached state another process moved: a refusal is re-checked, an append is refused and re-decided', async () => {
    const a = pipeline();
    await a.execute(list('moved', 2));
    await a.execute(buy('moved', 2)); // a caches stock 0
    // Another process restocks behind a's back (the test model has no restock event).
    await store.append(
      'item-moved',
      [{ type: 'Bought', data: { quantity: -4, remaining: 4 } }],
      'stream_exists',
    );
    reads.length = 0;
    // a's cache says 0 in stock: an out_of_stock from the cache would be wrong.
    const reply = await a.execute(buy('moved', 3));
    expect(reply).toMatchObject({ status: 201, body: { remainingStock: 1 } });
    expect(reads).toEqual(['item-moved']);
  });

  it('300 buyers across three fresh pipelines on a stream none of them has seen stay exact', async () => {
    await pipeline().execute(list('race', 100));
    const pipelines = [pipeline(), pipeline(), pipeline()];
    const replies = await Promise.all(
      Array.from({ length: 300 }, (_, i) => pipelines[i % 3]!.execute(buy('race', 1))),
    );
    const sold = replies.filter((r) => r.status === 201).length;
    expect(sold).toBe(100);
    expect(replies.filter((r) => r.body.error === 'out_of_stock')).toHaveLength(200);
    const events = await store.readStream('item-race', { maxCount: 1000 });
    expect(events.filter((e) => e.type === 'Bought')).toHaveLength(100);
    expect(events.at(-1)?.data).toEqual({ quantity: 1, remaining: 0 });
  });
});
