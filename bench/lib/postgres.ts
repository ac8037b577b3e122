import { randomBytes } from 'node:crypto';
import { loadConfig, openDatabase } from '@tally/infra';
import { Client } from 'pg';

const LOCAL_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface AdminServer {
  /** A URL with the right to CREATE DATABASE. */
  adminUrl: string;
  source: string;
  close(): Promise<void>;
}

export interface ServerInfo {
  version: string;
  maxConnections: number;
}

/** `url` with its database replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** Runs `work` on a short-lived connection. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'bench-admin' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** DATABASE_URL, else the local server on 5432, else the embedded PostgreSQL Tally would start. */
export async function resolveAdminServer(log: (line: string) => void): Promise<AdminServer> {
  const config = loadConfig();
  if (config.databaseUrl) {
    return { adminUrl: config.databaseUrl, source: 'DATABASE_URL', close: () => Promise.resolve() };
  }
  if (await reachable(LOCAL_URL)) {
    return { adminUrl: LOCAL_URL, source: '127.0.0.1:5432', close: () => Promise.resolve() };
  }
  log('DATABASE_URL unset and nothing on 127.0.0.1:5432: starting the embedded PostgreSQL');
  const database = await openDatabase({ ...config, pgPoolSize: 1 }, (line) => log(`[pg] ${line}`));
  return {
    adminUrl: withDatabase(database.url, 'postgres'),
    source: 'embedded',
    close: () => database.close(),
  };
}

export async function serverInfo(adminUrl: string): Promise<ServerInfo> {
  return withClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ version: string; max: string }>(
      "SELECT current_setting('server_version') AS version, current_setting('max_connections') AS max",
    );
    const row = rows[0];
    return { version: row?.version ?? 'unknown', maxConnections: Number(row?.max ?? 0) };
  });
}

/** Fresh databases for one run; every one is dropped by `dropAll`. */
export class BenchDatabases {
  private readonly created = new Set<string>();

  constructor(private readonly adminUrl: string) {}

  async create(label: string): Promise<string> {
    const name = `bench_${label}_${randomBytes(4).toString('hex')}`;
    await withClient(this.adminUrl, (client) =>
      client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`),
    );
    this.created.add(name);
    return withDatabase(this.adminUrl, name);
  }

  async dropAll(): Promise<void> {
    if (this.created.size === 0) return;
    const names = [...this.created];
    this.created.clear();
    await withClient(this.adminUrl, async (client) => {
      for (const name of names) {
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
      }
    });
  }
}

/** Rows in `table` of the database at `url`. */
export async function countRows(url: string, table: string): Promise<number> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ${client.escapeIdentifier(table)}`,
    );
    return Number(rows[0]?.n ?? 0);
  });
}
