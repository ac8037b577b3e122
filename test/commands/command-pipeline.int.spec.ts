import { CommandPipeline, PostgresIdempotencyStore } from '../../libs/commands/src';
import { PostgresEventStore } from '../../libs/event-store/src';
import { allMigrations } from '../../apps/shared/src/all-migrations';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { buy, list, rendering } from './stock-model';

describe('command pipeline: group commit, retries and idempotency on real PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  const conflicts: string[] = [];

  const pipeline = () =>
    rendering(
      new CommandPipeline({
        store,
        idempotency: new PostgresIdempotencyStore(db.pool),
        observer: { conflict: (s) => conflicts.push(s), completed: () => undefined },
      }),
    );

  beforeAll(async () => {
    db = await createTestDatabase(allMigrations(), 40);
    store = new PostgresEventStore({ pool: db.pool, url: db.url });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('checks every decided event before the append: a malformed one fails the command and nothing is appended', async () => {
    const checked = rendering(
      new CommandPipeline({
        store,
        idempotency: new PostgresIdempotencyStore(db.pool),
        checkEvent: (event) =>
          event.type === 'Listed' && (event.data as { stock: number }).stock < 0
            ? 'data.stock must be an integer >= 0'
            : undefined,
      }),
    );
    await expect(checked.execute(list('bad-1', -1))).rejects.toThrow(
      'decided Listed event is malformed: data.stock must be an integer >= 0',
    );
    expect(await store.readStream('item-bad-1')).toEqual([]);
    expect((await checked.execute(list('bad-1', 1))).status).toBe(201);
  });

  it('300 concurrent purchases of a stock of 100: exactly 100 sold, 200 out_of_stock, stock 0', async () => {
    const p = pipeline();
    await p.execute(list('hot-1', 100));
    conflicts.length = 0;
    const replies = await Promise.all(
      Array.from({ length: 300 }, () => p.execute(buy('hot-1', 1))),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(100);
    expect(replies.filter((r) => r.body.error === 'out_of_stock')).toHaveLength(200);
    const events = await store.readStream('item-hot-1', { maxCount: 1000 });
    expect(events.filter((e) => e.type === 'Bought')).toHaveLength(100);
    expect(events.at(-1)?.data).toEqual({ quantity: 1, remaining: 0 });
    // Every accepted purchase saw a distinct remaining stock and revision.
    const remaining = new Set(
      replies.filter((r) => r.status === 201).map((r) => r.body.remainingStock),
    );
    expect(remaining.size).toBe(100);
    // Group commit: one process never races itself, so there is no retry storm at all.
    expect(conflicts).toEqual([]);
  });

  it('two pipelines (two processes) racing on one SKU stay exact; conflicts are retried, not lost', async () => {
    const a = pipeline();
    const b = pipeline();
    await a.execute(list('hot-2', 150));
    conflicts.length = 0;
    // Waves: in each, both pipelines append a batch against the state they last knew, so
    // one of them is stale nearly every time (all at once, one batch each could sell out).
    const replies = [];
    for (let wave = 0; wave < 40; wave++) {
      const pair = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b));
      replies.push(...(await Promise.all(pair.map((p) => p.execute(buy('hot-2', 1))))));
    }
    const sold = replies.filter((r) => r.status === 201).length;
    const refused = replies.filter((r) => r.body.error === 'out_of_stock').length;
    const gaveUp = replies.filter((r) => r.body.error === 'concurrency_conflict').length;
    expect(sold + refused + gaveUp).toBe(400);
    const events = await store.readStream('item-hot-2', { maxCount: 1000 });
    expect(events.filter((e) => e.type === 'Bought')).toHaveLength(sold);
    expect(sold).toBe(150 - Number((events.at(-1)?.data as { remaining: number }).remaining));
    expect(gaveUp).toBe(0);
    expect(sold).toBe(150);
    // The two really raced: at least one batch lost the revision check and was re-decided.
    expect(conflicts.length).toBeGreaterThan(0);
  });

  it('a purchase that loses the revision check to another writer is re-decided on the new stock', async () => {
    const p = pipeline();
    await p.execute(list('raced', 5));
    // Another process buys 4 between this pipeline's read and its append.
    const realAppend = store.append.bind(store);
    let interfered = false;
    store.append = async (streamId, events, expected) => {
      if (!interfered) {
        interfered = true;
        await realAppend(
          streamId,
          [{ type: 'Bought', data: { quantity: 4, remaining: 1 } }],
          expected,
        );
      }
      return realAppend(streamId, events, expected);
    };
    conflicts.length = 0;
    try {
      const reply = await p.execute(buy('raced', 3));
      expect(reply).toMatchObject({ status: 409, body: { error: 'out_of_stock', available: 1 } });
      expect(conflicts).toEqual(['item-raced']);
    } finally {
      store.append = realAppend;
    }
    expect((await store.readStream('item-raced')).map((e) => e.data)).toEqual([
      { stock: 5 },
      { quantity: 4, remaining: 1 },
    ]);
  });

  it('a command carrying a stale expected revision is refused with revision_mismatch and the current revision', async () => {
    const p = pipeline();
    await p.execute(list('if-match', 5));
    await p.execute(buy('if-match', 1));
    const stale = await p.execute({ ...buy('if-match', 1), expectedRevision: 0 });
    expect(stale).toMatchObject({
      status: 412,
      body: { error: 'revision_mismatch', currentRevision: 1 },
    });
    const current = await p.execute({ ...buy('if-match', 1), expectedRevision: 1 });
    expect(current).toMatchObject({ status: 201, body: { revision: 2 } });
  });

  it('50 concurrent requests with one Idempotency-Key append one event and all get the same answer', async () => {
    const p = pipeline();
    await p.execute(list('idem-1', 10));
    const key = { key: 'k-50', fingerprint: 'f-1' };
    const replies = await Promise.all(
      Array.from({ length: 50 }, () => p.execute(buy('idem-1', 1, key))),
    );
    const events = await store.readStream('item-idem-1');
    expect(events.filter((e) => e.type === 'Bought')).toHaveLength(1);
    expect(new Set(replies.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(replies.filter((r) => !r.replayed)).toHaveLength(1);
    // Another process with the same key, after the fact: the stored answer, nothing appended.
    const later = await pipeline().execute(buy('idem-1', 1, key));
    expect(later).toMatchObject({ replayed: true, status: 201, body: replies[0]!.body });
    expect((await store.readStream('item-idem-1')).length).toBe(2);
  });

  it('the same key racing across two pipelines appends once', async () => {
    const a = pipeline();
    const b = pipeline();
    await a.execute(list('idem-2', 10));
    const key = { key: 'k-two', fingerprint: 'f' };
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).execute(buy('idem-2', 2, key))),
    );
    expect(new Set(replies.map((r) => r.body.remainingStock))).toEqual(new Set([8]));
    expect((await store.readStream('item-idem-2')).filter((e) => e.type === 'Bought')).toHaveLength(
      1,
    );
  });

  it('a reused key with a different request is idempotency_key_reused and changes nothing', async () => {
    const p = pipeline();
    await p.execute(list('idem-3', 10));
    await p.execute(buy('idem-3', 1, { key: 'k-3', fingerprint: 'first' }));
    const reply = await p.execute(buy('idem-3', 5, { key: 'k-3', fingerprint: 'second' }));
    expect(reply).toMatchObject({ status: 422, body: { error: 'idempotency_key_reused' } });
    expect((await store.readStream('item-idem-3')).length).toBe(2);
  });
});
