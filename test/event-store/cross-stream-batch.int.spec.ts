import { randomUUID } from 'node:crypto';
import {
  PostgresEventStore,
  WrongExpectedRevision,
  eventStoreMigrations,
} from '../../libs/event-store/src';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** Appends issued in the same turn of the event loop share one transaction. */
describe('PostgreSQL store: appends to many streams group-committed in one transaction', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeEach(async () => {
    db = await createTestDatabase(eventStoreMigrations, 8);
    // One batch in flight: everything asked for meanwhile goes into the next one.
    store = new PostgresEventStore({ pool: db.pool, url: db.url, appendConcurrency: 1 });
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  const transactions = async (): Promise<number> => {
    const { rows } = await db.pool.query<{ n: string }>(
      'SELECT count(DISTINCT position >> 20)::text AS n FROM tally_events',
    );
    return Number(rows[0]?.n ?? 0);
  };

  it('200 appends to 200 new streams: each answered with its own revision and consecutive positions, in few transactions', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, n) =>
        store.append(
          `s-${n}`,
          [
            { type: 'A', data: { n } },
            { type: 'B', data: { n } },
          ],
          'no_stream',
        ),
      ),
    );
    expect(results.every((r) => r.revision === 1)).toBe(true);
    expect(new Set(results.map((r) => r.position)).size).toBe(200);
    for (const [n, result] of results.entries()) {
      const events = await store.readStream(`s-${n}`);
      expect(events.map((e) => [e.type, e.revision, e.position])).toEqual([
        ['A', 0, result.position - 1n],
        ['B', 1, result.position],
      ]);
    }
    expect(await transactions()).toBeLessThan(10);
  });

  it('a revision conflict fails only its own append; the others in the batch commit', async () => {
    await store.append('taken', [{ type: 'A', data: {} }], 'no_stream');
    await store.append('at-0', [{ type: 'A', data: {} }], 'no_stream');
    const outcomes = await Promise.allSettled([
      store.append('fresh-1', [{ type: 'A', data: {} }], 'no_stream'),
      store.append('taken', [{ type: 'A', data: {} }], 'no_stream'),
      store.append('at-0', [{ type: 'A', data: {} }], 5),
      store.append('at-0', [{ type: 'A', data: {} }], 0),
      store.append('missing', [{ type: 'A', data: {} }], 'stream_exists'),
      store.append('fresh-2', [{ type: 'A', data: {} }], 'any'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    const reasons = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(reasons.every((r) => r instanceof WrongExpectedRevision)).toBe(true);
    expect(reasons.map((r) => (r as WrongExpectedRevision).actual)).toEqual([0, 0, -1]);
    expect((await store.readStream('at-0')).map((e) => e.revision)).toEqual([0, 1]);
    expect(await store.readStream('missing')).toEqual([]);
  });

  it('appends to one stream in the same batch apply in the order asked', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        store.append('one', [{ type: 'A', data: { n } }], 'any'),
      ),
    );
    expect(results.map((r) => r.revision)).toEqual(Array.from({ length: 20 }, (_, n) => n));
    const events = await store.readStream('one');
    expect(events.map((e) => (e.data as { n: number }).n)).toEqual(
      Array.from({ length: 20 }, (_, n) => n),
    );
  });

  it('an append the database refuses (a reused event id) fails alone', async () => {
    const id = randomUUID();
    await store.append('first', [{ id, type: 'A', data: {} }], 'no_stream');
    const outcomes = await Promise.allSettled([
      store.append('x-1', [{ type: 'A', data: {} }], 'no_stream'),
      store.append('x-2', [{ id, type: 'A', data: {} }], 'no_stream'),
      store.append('x-3', [{ type: 'A', data: {} }], 'no_stream'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(outcomes[1]).toMatchObject({ reason: { code: '23505' } });
    expect(await store.readStream('x-2')).toEqual([]);
    expect(await store.readStream('x-3')).toHaveLength(1);
  });

  it('stream reads asked for together are answered each with its own stream', async () => {
    for (let n = 0; n < 30; n++) {
      await store.append(
        `r-${n}`,
        Array.from({ length: n % 4 }, () => ({ type: 'A', data: { n } })).concat({
          type: 'B',
          data: { n },
        }),
        'no_stream',
      );
    }
    const reads = await Promise.all(
      Array.from({ length: 30 }, (_, n) =>
        store.readStream(`r-${n}`, { fromRevision: n % 2, maxCount: 2 }),
      ),
    );
    for (const [n, events] of reads.entries()) {
      const all = (n % 4) + 1;
      const expected = Array.from({ length: all }, (_, r) => r)
        .filter((r) => r >= n % 2)
        .slice(0, 2);
      expect(events.map((e) => e.revision)).toEqual(expected);
      expect(events.every((e) => e.streamId === `r-${n}`)).toBe(true);
    }
  });
});
