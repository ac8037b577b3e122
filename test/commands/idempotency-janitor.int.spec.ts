import { IdempotencyJanitor, idempotencyMigrations } from '../../libs/commands/src';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('the idempotency key janitor', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(idempotencyMigrations);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('deletes keys past the TTL in batches, keeps younger ones, refuses a TTL under 24 h', async () => {
    await db.pool.query(
      `INSERT INTO tally_idempotency (key, fingerprint, reply, created_at)
       SELECT 'old-' || g, 'f', '{}'::jsonb, now() - interval '49 hours' FROM generate_series(1, 1234) g
       UNION ALL
       SELECT 'young-' || g, 'f', '{}'::jsonb, now() - interval '47 hours' FROM generate_series(1, 10) g`,
    );
    const swept: number[] = [];
    const janitor = new IdempotencyJanitor({
      pool: db.pool,
      ttlHours: 48,
      batch: 100,
      onSwept: (n) => swept.push(n),
    });
    expect(await janitor.sweep()).toBe(1234);
    expect(swept).toEqual([1234]);
    const { rows } = await db.pool.query<{ key: string }>('SELECT key FROM tally_idempotency');
    expect(rows.map((r) => r.key).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `young-${i + 1}`).sort(),
    );
    expect(await janitor.sweep()).toBe(0);
    expect(() => new IdempotencyJanitor({ pool: db.pool, ttlHours: 23 })).toThrow(/24 hours/);
  });
});
