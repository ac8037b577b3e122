import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli-process';
import { freePort } from '../support/free-port';
import { cleanEnv, startService, type ServiceProcess } from '../support/service-process';

/** POST /items (an admin route) with `token`: the status. */
async function listItem(api: ServiceProcess, token: string, sku: string): Promise<number> {
  const response = await fetch(`${api.baseUrl}/items`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ sku, name: sku, stock: 5 }),
  });
  return response.status;
}

async function stopCleanly(api: ServiceProcess): Promise<void> {
  const code = await api.stop('SIGTERM');
  expect({ code, output: code === 0 ? '' : api.output().slice(-3000) }).toEqual({
    code: 0,
    output: '',
  });
}

/**
 * The API without TALLY_ADMIN_TOKEN nor DATABASE_URL, as `npm start` runs it: the admin token
 * it keeps in the data directory, and the CLI finding the same embedded database there.
 */
describe('the embedded default: the stored admin token and the CLI on the same data directory', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let httpPort: number;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tally-bootstrap-'));
    // The embedded server runs as the `postgres` user when we are root; it must reach the folder.
    await chmod(dataDir, 0o755);
    httpPort = await freePort();
    env = cleanEnv({
      TALLY_DATA_DIR: dataDir,
      TALLY_EMBEDDED_PG_PORT: String(await freePort()),
      PORT: String(httpPort),
    });
    delete env.TALLY_ADMIN_TOKEN;
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('generates the admin token once, in <data dir>/admin-token (0600), reuses it on the next start, and never logs it', async () => {
    const tokenFile = join(dataDir, 'admin-token');
    const first = await startService('apps/api/src/main.js', env, httpPort);
    const token = (await readFile(tokenFile, 'utf8')).trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    expect(await listItem(first, token, 'boot-1')).toBe(201);
    expect(await listItem(first, 'not-the-token', 'boot-x')).toBe(401);
    await stopCleanly(first);
    expect(first.output()).toContain(`generated an admin token and stored it in ${tokenFile}`);
    expect(first.output()).not.toContain(token);

    const second = await startService('apps/api/src/main.js', env, httpPort);
    expect(await listItem(second, token, 'boot-2')).toBe(201);
    await stopCleanly(second);
    expect((await readFile(tokenFile, 'utf8')).trim()).toBe(token);
    expect(second.output()).toContain(`using the admin token stored in ${tokenFile}`);
    expect(second.output()).not.toContain('generated an admin token');
    expect(second.output()).not.toContain(token);
  }, 180_000);

  it('with the API stopped, the CLI without DATABASE_URL reads the events the API wrote, from the same embedded cluster', async () => {
    const api = await startService('apps/api/src/main.js', env, httpPort);
    const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
    expect(await listItem(api, token, 'boot-3')).toBe(201);
    // While it runs, the CLI borrows its server.
    const borrowed = await runCli(
      ['events', 'tail', '--category', 'item', '--no-follow'],
      undefined,
      env,
    );
    expect(borrowed.stdout.match(/ItemListed/g)).toHaveLength(3);
    await stopCleanly(api);

    const tail = await runCli(
      ['events', 'tail', '--category', 'item', '--no-follow', '--json'],
      undefined,
      env,
    );
    expect({ code: tail.code, stderr: tail.stderr }).toEqual({ code: 0, stderr: '' });
    const events = tail.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { streamId: string; type: string });
    expect(events.map((e) => `${e.streamId} ${e.type}`)).toEqual([
      'item-boot-1 ItemListed',
      'item-boot-2 ItemListed',
      'item-boot-3 ItemListed',
    ]);
  }, 180_000);
});
