import { randomBytes } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { createPool } from '../../libs/infra/src/database/database';
import type { Migration } from '../../libs/infra/src/database/migration';
import { migrate } from '../../libs/infra/src/database/migrator';

export interface TestDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.TALLY_TEST_ADMIN_URL;
  if (!url)
    throw new Error('TALLY_TEST_ADMIN_URL is unset: run the tests through jest (global setup)');
  return url;
}

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database on the test server, so test files never share state. */
export async function createTestDatabase(
  migrations: readonly Migration[],
  poolSize = 20,
): Promise<TestDatabase> {
  const name = `tally_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const pool = createPool(url.toString(), poolSize);
  await migrate(pool, migrations);
  return {
    url: url.toString(),
    pool,
    drop: async () => {
      await pool.end();
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
