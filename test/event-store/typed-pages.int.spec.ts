import { PostgresEventStore, eventStoreMigrations, type LogPage } from '../../libs/event-store/src';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** subscribeToAll with `types`: the others are passed over in SQL, and `through` says how far. */
describe('PostgreSQL store: pages of the events of some types', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeEach(async () => {
    db = await createTestDatabase(eventStoreMigrations, 4);
    store = new PostgresEventStore({ pool: db.pool, url: db.url, pollIntervalMs: 50 });
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  async function collect(
    types: readonly string[] | undefined,
    batchSize: number,
    until: bigint,
  ): Promise<LogPage[]> {
    const subscription = store.subscribeToAll(0n, { batchSize, types });
    const pages: LogPage[] = [];
    for await (const page of subscription.pages()) {
      pages.push(page);
      if (page.through >= until) break;
    }
    await subscription.close();
    return pages;
  }

  it('delivers each event of the types once, in order, and reaches the last event of any type', async () => {
    const positions: bigint[] = [];
    for (let n = 0; n < 50; n++) {
      const type = n % 5 === 0 ? 'Wanted' : 'Other';
      positions.push((await store.append(`s-${n}`, [{ type, data: { n } }], 'no_stream')).position);
    }
    const last = positions[positions.length - 1]!;
    const pages = await collect(['Wanted'], 3, last);
    const seen = pages.flatMap((p) => p.events.map((e) => (e.data as { n: number }).n));
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => i * 5));
    expect(pages.every((p) => p.events.every((e) => e.type === 'Wanted'))).toBe(true);
    // through never goes back and covers every event delivered.
    for (const [i, page] of pages.entries()) {
      const lastEvent = page.events[page.events.length - 1];
      if (lastEvent) expect(page.through).toBeGreaterThanOrEqual(lastEvent.position);
      if (i > 0) expect(page.through).toBeGreaterThan(pages[i - 1]!.through);
    }
    // The log ends with an Other: the final page reaches it all the same.
    expect(pages[pages.length - 1]!.through).toBe(last);
  });

  it('pages of every type read ahead while the consumer folds, and still deliver each event once', async () => {
    const appended: bigint[] = [];
    for (let n = 0; n < 40; n++) {
      const result = await store.append(
        `m-${n}`,
        Array.from({ length: 5 }, (_, i) => ({ type: 'E', data: { n, i } })),
        'no_stream',
      );
      appended.push(result.position);
    }
    const subscription = store.subscribeToAll(0n, { batchSize: 7 });
    const seen: bigint[] = [];
    for await (const page of subscription.pages()) {
      // A slow consumer: the next page is read meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 2));
      seen.push(...page.events.map((e) => e.position));
      if (seen.length >= 200) break;
    }
    await subscription.close();
    expect(seen).toHaveLength(200);
    expect(new Set(seen).size).toBe(200);
    expect(seen).toEqual([...seen].sort((a, b) => (a < b ? -1 : 1)));
    expect(seen[seen.length - 1]).toBe(appended[appended.length - 1]);
  });
});
