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
  // A client losing its connection (server restart, shutdown) must not crash the process:
  // idle ones are reported on the pool, checked-out ones on themselves, where pg leaves no
  // listener. The query in flight, if any, still fails and is handled by its caller.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** DATABASE_URL when set, otherwise a real PostgreSQL started from `embedded-postgres`. */
export interface OpenDatabaseOptions {
  /**
   * Leave an embedded server that was already running when closing: a CLI borrows the one the
   * API started. Servers (default) adopt it as theirs, since its starter is gone.
   */
  borrowRunning?: boolean;
}

export async function openDatabase(
  config: TallyConfig,
  log: (line: string) => void,
  options: OpenDatabaseOptions = {},
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
      if (!(server.adopted && options.borrowRunning)) await server.stop();
    },
  };
}
