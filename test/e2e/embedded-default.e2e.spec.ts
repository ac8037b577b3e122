import { pollOpened } from '../support/poll-events';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createPool } from '../../libs/infra/src';
import { PostgresEventStore } from '../../libs/event-store/src';
import { freePort } from '../support/free-port';
import { cleanEnv, startService } from '../support/service-process';

async function accepts(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function readBack(url: string, streamId: string): Promise<string[]> {
  const pool = createPool(url, 2);
  const store = new PostgresEventStore({ pool, url });
  try {
    return (await store.readStream(streamId)).map((e) => e.type);
  } finally {
    await store.close();
    await pool.end();
  }
}

describe('the embedded default (no DATABASE_URL)', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tally-embedded-'));
    // The embedded server runs as the `postgres` user when we are root; it must reach the folder.
    await chmod(dataDir, 0o755);
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts a real PostgreSQL, keeps its data across restarts, stops it on shutdown, and adopts it after a kill', async () => {
    const pgPort = await freePort();
    const httpPort = await freePort();
    const env = cleanEnv({
      TALLY_DATA_DIR: dataDir,
      TALLY_EMBEDDED_PG_PORT: String(pgPort),
      PORT: String(httpPort),
    });
    const pgUrl = `postgres://postgres:tally@127.0.0.1:${pgPort}/tally`;

    const first = await startService('apps/api/src/main.js', env, httpPort);
    expect((await fetch(`${first.baseUrl}/health/live`)).status).toBe(200);
    const pool = createPool(pgUrl, 2);
    const store = new PostgresEventStore({ pool, url: pgUrl });
    // A well-formed event: the in-process projector folds it like any other.
    await store.append('poll-p1', [pollOpened('p1', 'kept')], 'no_stream');
    await store.close();
    await pool.end();
    const firstCode = await first.stop('SIGTERM');
    // On failure, show what the process printed while shutting down.
    expect({ code: firstCode, output: firstCode === 0 ? '' : first.output().slice(-3000) }).toEqual(
      { code: 0, output: '' },
    );
    expect(await accepts(pgUrl)).toBe(false);

    const second = await startService('apps/api/src/main.js', env, httpPort);
    expect(await readBack(pgUrl, 'poll-p1')).toEqual(['PollOpened']);
    await second.stop('SIGKILL');
    // The server outlives a killed parent; the next start must adopt it, not fail.
    expect(await accepts(pgUrl)).toBe(true);

    const third = await startService('apps/api/src/main.js', env, httpPort);
    expect(await readBack(pgUrl, 'poll-p1')).toEqual(['PollOpened']);
    const thirdCode = await third.stop('SIGTERM');
    expect({ code: thirdCode, output: thirdCode === 0 ? '' : third.output().slice(-3000) }).toEqual(
      { code: 0, output: '' },
    );
    expect(await accepts(pgUrl)).toBe(false);
  });
});
