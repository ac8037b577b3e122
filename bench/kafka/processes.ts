import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../lib/report';

export interface TallyProcess {
  name: string;
  /** SIGTERM, then the exit code (null when it died of a signal). */
  stop(): Promise<number | null>;
  /** SIGKILL, for cleanup after a failure. */
  kill(): void;
}

/** Environment for a child: this one's, minus any database or broker it may name. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', ...extra };
  for (const key of ['DATABASE_URL', 'KAFKA_BROKERS', 'EVENTSTORE_URL', 'PORT']) {
    if (!(key in extra)) delete env[key];
  }
  return env;
}

/** Runs a built Tally app (`dist/apps/<app>/src/main.js`) until it logs `ready`. */
export async function startApp(
  app: 'relay' | 'projector',
  ready: string,
  env: NodeJS.ProcessEnv,
): Promise<TallyProcess> {
  const entry = join(await repoRoot(), 'dist', 'apps', app, 'src', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
  const child: ChildProcess = spawn(process.execPath, [entry], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(ready)) resolve();
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) =>
      reject(new Error(`${app} exited (${String(code)}) before it was ready:\n${output}`)),
    );
  });
  // Past readiness only the tail is worth keeping, for an error message.
  child.stdout?.on('data', () => (output = output.slice(-4_000)));
  return {
    name: `${app} ${String(child.pid)}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
