import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '../lib/report';

/** A server process started by the bench, answering on `baseUrl`. */
export interface ServerProcess {
  baseUrl: string;
  pid: number;
  /** SIGTERM (the server drains), then its exit code. */
  stop(): Promise<number | null>;
}

export interface ApiServer extends ServerProcess {
  adminToken: string;
}

const READY_TIMEOUT_MS = 60_000;
export const ADMIN_TOKEN = 'bench-admin-token';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `dist/<path…>` of this checkout; throws when the build is missing. */
export async function distEntry(...path: string[]): Promise<string> {
  const entry = join(await repoRoot(), 'dist', ...path);
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
  return entry;
}

/**
 * `node [nodeArgs] entry` in its own process on a free port of 127.0.0.1 (given as PORT and
 * HOST), once GET /health/ready answers 2xx. Its stdout is discarded, as a service's logs are.
 */
export async function startServer(
  entry: string,
  env: NodeJS.ProcessEnv,
  nodeArgs: readonly string[] = [],
): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4_000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${entry} exited (${child.exitCode}):\n${errors}`);
    const ready = await fetch(`${baseUrl}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${entry} was not ready within ${READY_TIMEOUT_MS} ms:\n${errors}`);
    }
    await sleep(100);
  }
  return {
    baseUrl,
    pid: child.pid ?? 0,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * The real service (`dist/apps/api/src/main.js`) in its own process on the database at
 * `url`, as it ships: in-process projector, default log level (logs to a discarded stdout).
 * `nodeArgs` go to node before the entry (e.g. `--cpu-prof`).
 */
export async function startApi(
  url: string,
  poolSize: number,
  nodeArgs: readonly string[] = [],
): Promise<ApiServer> {
  const entry = await distEntry('apps', 'api', 'src', 'main.js');
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['KAFKA_BROKERS', 'EVENTSTORE_URL', 'TALLY_API_TOKEN', 'LOG_LEVEL'])
    delete env[key];
  Object.assign(env, {
    DATABASE_URL: url,
    TALLY_PG_POOL_SIZE: String(poolSize),
    TALLY_ADMIN_TOKEN: ADMIN_TOKEN,
  });
  const server = await startServer(entry, env, nodeArgs);
  return { ...server, adminToken: ADMIN_TOKEN };
}

/** A JSON request to the service; throws unless it answers `expected`. */
export async function call(
  server: ApiServer,
  method: string,
  path: string,
  body: unknown,
  expected: number,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminToken}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== expected) {
    throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  }
  return JSON.parse(text) as Record<string, unknown>;
}
