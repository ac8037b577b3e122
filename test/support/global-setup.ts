import { freePort } from './free-port';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../../libs/infra/src/database/embedded-postgres';

declare global {
  var __tallyEmbeddedPostgres: EmbeddedPostgres | undefined;
}

/**
 * Tests run against DATABASE_URL when it is set, otherwise against a real embedded
 * PostgreSQL of their own. Each test file then creates a fresh database on that server.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.TALLY_TEST_ADMIN_URL = process.env.DATABASE_URL;
    return;
  }
  // A free port unless pinned: another checkout's test run may hold the usual one.
  const port = process.env.TALLY_TEST_PG_PORT
    ? Number(process.env.TALLY_TEST_PG_PORT)
    : await freePort();
  const server = await startEmbeddedPostgres({
    dataDir: process.env.TALLY_TEST_DATA_DIR ?? '.tally/test',
    port,
    database: 'postgres',
    log: () => undefined,
  });
  globalThis.__tallyEmbeddedPostgres = server;
  process.env.TALLY_TEST_ADMIN_URL = server.url;
}
