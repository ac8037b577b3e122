import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { Migration } from './migration';

// Any constant works; it only has to be the same in every process migrating this database.
const MIGRATION_LOCK_KEY = 7_301_447_001;

const checksum = (sql: string): string => createHash('sha256').update(sql).digest('hex');

/**
 * Applies migrations in the order given, each in its own transaction, under an advisory
 * lock so that processes starting together migrate once. An applied migration whose SQL
 * has since changed is refused: edit history by adding a migration, never in place.
 */
export async function migrate(pool: Pool, migrations: readonly Migration[]): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    // A migration (an index over a long log) or the wait for another process's may take
    // longer than the statement timeout that requests get (TALLY_PG_STATEMENT_TIMEOUT_MS).
    await client.query('SET statement_timeout = 0');
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS tally_migrations (
      id text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ id: string; checksum: string }>(
      'SELECT id, checksum FROM tally_migrations',
    );
    const known = new Map(rows.map((row) => [row.id, row.checksum]));
    for (const migration of migrations) {
      const sum = checksum(migration.sql);
      const previous = known.get(migration.id);
      if (previous !== undefined) {
        if (previous !== sum)
          throw new Error(`migration ${migration.id} was changed after it was applied`);
        continue;
      }
      // Not inTransaction: that takes a client of its own, and the advisory lock is held by
      // this session, so every migration runs on this client.
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO tally_migrations (id, checksum) VALUES ($1, $2)', [
          migration.id,
          sum,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      applied.push(migration.id);
    }
    return applied;
  } finally {
    await client
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
      .catch(() => undefined);
    await client.query('RESET statement_timeout').catch(() => undefined);
    client.release();
  }
}
