import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '..', '..', 'bin', 'tally.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  exited: Promise<CliResult>;
}

/**
 * The built CLI (`bin/tally.js`) as a child process against `databaseUrl`; undefined: without
 * DATABASE_URL, on the embedded PostgreSQL of TALLY_DATA_DIR (in `env`) as an operator would.
 */
export function startCli(
  args: readonly string[],
  databaseUrl: string | undefined,
  env: NodeJS.ProcessEnv = {},
): RunningCli {
  const merged: NodeJS.ProcessEnv = { ...process.env, KAFKA_BROKERS: '', ...env };
  if (databaseUrl === undefined) delete merged.DATABASE_URL;
  else merged.DATABASE_URL = databaseUrl;
  const child = spawn(process.execPath, [BIN, ...args], {
    env: merged,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<CliResult>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, output: () => ({ stdout, stderr }), exited };
}

export function runCli(
  args: readonly string[],
  databaseUrl: string | undefined,
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  return startCli(args, databaseUrl, env).exited;
}

/** Parses stdout as JSON, failing with the whole output when it is not. */
export function jsonOf<T>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${String(result.code)}):\n${result.stdout}\n${result.stderr}`);
  }
}
