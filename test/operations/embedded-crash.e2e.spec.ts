import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port';
import { expectCountedOnce } from '../support/restart-checks';
import {
  readyAgain,
  runRetryingLoad,
  watchReadiness,
  type LoadCommand,
} from '../support/retrying-load';
import { cleanEnv, startService, type ServiceProcess } from '../support/service-process';

const POLL = 'embedded-crash';
const VOTES = 600;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function postmasterPid(dataDir: string): Promise<number | undefined> {
  const text = await readFile(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').catch(() => '');
  const pid = Number(text.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the embedded default when its PostgreSQL dies', () => {
  let dataDir: string;
  let api: ServiceProcess | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tally-embedded-crash-'));
    // The embedded server runs as the `postgres` user when we are root; it must reach the folder.
    await chmod(dataDir, 0o755);
  });

  afterAll(async () => {
    await api?.stop('SIGKILL');
    const pid = await postmasterPid(dataDir);
    if (pid !== undefined && alive(pid)) process.kill(pid, 'SIGQUIT');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 503 while the server is down, restarts it by itself, and loses or doubles no vote', async () => {
    const port = await freePort();
    const env = cleanEnv({
      TALLY_DATA_DIR: dataDir,
      TALLY_EMBEDDED_PG_PORT: String(await freePort()),
      PORT: String(port),
    });
    api = await startService('apps/api/src/main.js', env, port);
    const { baseUrl } = api;
    const opened = await fetch(`${baseUrl}/polls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pollId: POLL, title: 'Crash', options: ['a', 'b', 'c'] }),
    });
    expect(opened.status).toBe(201);

    let sent = 0;
    const next = (): LoadCommand | undefined => {
      if (sent >= VOTES) return undefined;
      const i = sent++;
      return {
        key: `vote-${i}`,
        path: `/polls/${POLL}/votes`,
        body: { voterId: `v-${i}`, optionId: `o${(i % 3) + 1}` },
      };
    };
    const readiness = watchReadiness(baseUrl);
    const load = runRetryingLoad({ baseUrl, workers: 8, ratePerSecond: 60, next });

    await sleep(1500);
    const pid = await postmasterPid(dataDir);
    expect(pid).toBeDefined();
    const killedAt = Date.now();
    process.kill(pid!, 'SIGKILL');
    const readyAt = await readyAgain(baseUrl, 60_000);
    const report = await load;
    await readiness.stop();

    expect(report.serverErrors).toEqual([]);
    expect(report.otherUnavailable).toEqual([]);
    expect(report.timedOut).toBe(0);
    expect(report.slowestMs).toBeLessThan(5000);
    expect(readiness.samples.some((s) => s.at > killedAt && s.status === 503)).toBe(true);
    expect(api.child.exitCode).toBeNull();
    expect(api.output()).toContain('embedded PostgreSQL exited (SIGKILL); restarting it');
    expect(api.output()).toContain('embedded PostgreSQL restarted');
    expect(api.output()).not.toContain('this is a bug');
    const restarted = await postmasterPid(dataDir);
    expect(restarted).toBeDefined();
    expect(restarted).not.toBe(pid);

    const counted = await expectCountedOnce(baseUrl, report.acknowledged);
    expect(counted.votes).toBe(VOTES);
    console.log(
      JSON.stringify({
        votes: counted.votes,
        statuses: report.statuses,
        slowestMs: report.slowestMs,
        readyAfterKillMs: readyAt - killedAt,
        failedRestarts: api.output().split('did not restart yet').length - 1,
      }),
    );

    // The supervisor gives the server back on shutdown: stopped, not restarted.
    expect(await api.stop('SIGTERM')).toBe(0);
    api = undefined;
    await sleep(500);
    expect(alive(restarted!)).toBe(false);
  });
});
