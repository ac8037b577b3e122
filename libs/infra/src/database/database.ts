import { Pool } from 'pg';
import type { TallyConfig } from '../config';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface Database {
  pool: Pool;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

export interface PoolTimeouts {
  /** Longest wait for a connection, new or pooled; 0 (the default) waits as long as it takes. */
  connectMs?: number;
  /** statement_timeout of every connection; 0 (the default) is none. */
  statementMs?: number;
}

export function createPool(url: string, max: number, timeouts: PoolTimeouts = {}): Pool {
  const { connectMs = 0, statementMs = 0 } = timeouts;
  const pool = new Pool({
    connectionString: url,
    max,
    application_name: 'tally',
    connectionTimeoutMillis: connectMs,
    // A database host that vanished without closing the socket is noticed, not waited on.
    keepAlive: true,
    ...(statementMs > 0 ? { options: `-c statement_timeout=${statementMs}` } : {}),
  });
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
  /** The embedded server's own notices (it died, it restarted); default: `log`. */
  notice?: (line: string) => void;
}

export async function openDatabase(
  config: TallyConfig,
  log: (line: string) => void,
  options: OpenDatabaseOptions = {},
): Promise<Database> {
  if (config.databaseUrl) {
    const pool = createPool(config.databaseUrl, config.pgPoolSize, poolTimeouts(config));
    return { pool, url: config.databaseUrl, embedded: false, close: () => pool.end() };
  }
  const server = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    port: config.embeddedPgPort,
    database: 'tally',
    log,
    notice: options.notice,
  });
  const pool = createPool(server.url, config.pgPoolSize, poolTimeouts(config));
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

function poolTimeouts(config: TallyConfig): PoolTimeouts {
  return { connectMs: config.pgConnectTimeoutMs, statementMs: config.pgStatementTimeoutMs };
}
