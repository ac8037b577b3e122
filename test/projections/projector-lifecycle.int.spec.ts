import { allMigrations } from '../../apps/shared/src/all-migrations';
import { PostgresEventStore } from '../../libs/event-store/src';
import { Projector } from '../../libs/projections/src';
import { allProjections } from '../../projections';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('projector lifecycle', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase(allMigrations());
    store = new PostgresEventStore({ pool: db.pool, url: db.url, pollIntervalMs: 3_600_000 });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('stopped at any moment right after it starts, it always stops (20 tries, every projection)', async () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const projector = new Projector({ pool: db.pool, store, projections: allProjections });
      await projector.start();
      await new Promise((resolve) => setTimeout(resolve, attempt % 5));
      let timer: NodeJS.Timeout | undefined;
      const stopped = await Promise.race([
        projector.stop().then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), 10_000);
        }),
      ]);
      clearTimeout(timer);
      expect(stopped).toBe(true);
    }
  });
});
