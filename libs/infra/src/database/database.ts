import { Pool } from 'pg';
import type { TallyConfig } from '../config';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface Database {
  pool: Pool;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

export function createPool(url: string, max: number): Pool {
  const pool = new Pool({ connectionString: url, max, application_name: 'tally' });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}

/** DATABASE_URL when set, otherwise a real PostgreSQL started from `embedded-postgres`. */
export async function openDatabase(
  config: TallyConfig,
  log: (line: string) => void,
): Promise<Database> {
  if (config.databaseUrl) {
    const pool = createPool(config.databaseUrl, config.pgPoolSize);
    return { pool, url: config.databaseUrl, embedded: false, close: () => pool.end() };
  }
  const server = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    port: config.embeddedPgPort,
    database: 'tally',
    log,
  });
  const pool = createPool(server.url, config.pgPoolSize);
  return {
    pool,
    url: server.url,
    embedded: true,
    close: async () => {
      await pool.end();
      await server.stop();
    },
  };
}
