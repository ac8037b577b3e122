import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '../lib/report';

export interface ApiServer {
  baseUrl: string;
  adminToken: string;
  /** SIGTERM (the service drains), then its exit code. */
  stop(): Promise<number | null>;
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

/**
 * The real service (`dist/apps/api/src/main.js`) in its own process on the database at
 * `url`, as it ships: in-process projector, default log level (logs to a discarded stdout).
 */
export async function startApi(url: string, poolSize: number): Promise<ApiServer> {
  const entry = join(await repoRoot(), 'dist', 'apps', 'api', 'src', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['KAFKA_BROKERS', 'EVENTSTORE_URL', 'TALLY_API_TOKEN', 'LOG_LEVEL'])
    delete env[key];
  Object.assign(env, {
    DATABASE_URL: url,
    PORT: String(port),
    HOST: '127.0.0.1',
    TALLY_PG_POOL_SIZE: String(poolSize),
    TALLY_ADMIN_TOKEN: ADMIN_TOKEN,
  });
  const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4_000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited (${child.exitCode}):\n${errors}`);
    const ready = await fetch(`${baseUrl}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the API was not ready within ${READY_TIMEOUT_MS} ms:\n${errors}`);
    }
    await sleep(100);
  }
  return {
    baseUrl,
    adminToken: ADMIN_TOKEN,
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
