import { PostgresIdempotencyStore, idempotencyMigrations } from '../../libs/commands/src';
import { migrate } from '../../libs/infra/src/database/migrator';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('the PostgreSQL idempotency store', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(idempotencyMigrations.slice(0, 1));
  });
  afterAll(async () => {
    await db.drop();
  });

  it('keys recorded before the opaque reply column keep answering with their status and body', async () => {
    await db.pool.query(
      `INSERT INTO tally_idempotency (key, fingerprint, status, body)
       VALUES ('old', 'f', 201, '{"sku":"mug"}'::jsonb)`,
    );
    await migrate(db.pool, idempotencyMigrations);
    const store = new PostgresIdempotencyStore(db.pool);
    expect(await store.find('old')).toEqual({
      fingerprint: 'f',
      reply: { status: 201, body: { sku: 'mug' } },
    });
    expect(await store.find('never')).toBeUndefined();
  });
});
