import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_TOKEN } from './admin-token';
import { freePort } from './free-port';

const ROOT = join(__dirname, '..', '..');

export interface ServiceProcess {
  baseUrl: string;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs a built Tally process (`npm run build` first) the way an operator would. */
export async function startService(
  entry: string,
  env: NodeJS.ProcessEnv,
  port: number,
  readyPath = '/health/ready',
): Promise<ServiceProcess> {
  const script = join(ROOT, 'dist', entry);
  if (!existsSync(script)) throw new Error(`${script} is missing: run npm run build first`);
  const child = spawn(process.execPath, [script], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    const exitedEarly = await Promise.race([
      exited.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 200)),
    ]);
    if (exitedEarly) throw new Error(`service exited before it was ready:\n${output}`);
    const ready = await fetch(baseUrl + readyPath).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`service not ready after 90 s:\n${output}`);
    }
  }
  return {
    baseUrl,
    child,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** The environment of this test process without any database or broker settings. */
export function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', ...extra };
  for (const key of ['DATABASE_URL', 'KAFKA_BROKERS', 'EVENTSTORE_URL']) {
    if (!(key in extra)) delete env[key];
  }
  return env;
}

/** `count` built API processes on the database at `databaseUrl`, each on its own port. */
export async function startApiProcesses(
  databaseUrl: string,
  count: number,
  extra: NodeJS.ProcessEnv = {},
): Promise<ServiceProcess[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const port = await freePort();
      const env = cleanEnv({
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        TALLY_ADMIN_TOKEN: ADMIN_TOKEN,
        LOG_LEVEL: 'warn',
        ...extra,
      });
      return startService('apps/api/src/main.js', env, port);
    }),
  );
}
