import { Client } from 'pg';
import { freePort } from '../support/free-port';
import { startPrivateCluster, type PrivateCluster } from '../support/private-postgres';
import {
  readyAgain,
  runRetryingLoad,
  watchReadiness,
  type LoadCommand,
} from '../support/retrying-load';
import { cleanEnv, startService, type ServiceProcess } from '../support/service-process';
import { expectCountedOnce, loggedOnce } from '../support/restart-checks';

const ADMIN = 'pg-restart-admin-token';
const POLL = 'restart';
const SKU = 'restart-sku';
const STOCK = 1_000_000;
const OPTIONS = 4;
/** Commands at least; the load goes on until both restarts are over. */
const COMMANDS = 3000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function post(baseUrl: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(baseUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
    body: JSON.stringify(body),
  });
  if (response.status !== 201)
    throw new Error(`${path}: ${response.status} ${await response.text()}`);
}

describe('the service while its PostgreSQL crashes and restarts', () => {
  let cluster: PrivateCluster;
  let api: ServiceProcess;

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    const port = await freePort();
    api = await startService(
      'apps/api/src/main.js',
      cleanEnv({
        DATABASE_URL: cluster.url(),
        PORT: String(port),
        TALLY_ADMIN_TOKEN: ADMIN,
        TALLY_PG_CONNECT_TIMEOUT_MS: '2000',
      }),
      port,
    );
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
    await cluster?.destroy();
  });

  it('answers 503 unavailable while down (never 500, never hanging), is ready again by itself, and counts every acknowledged command once', async () => {
    const { baseUrl } = api;
    await post(baseUrl, '/polls', {
      pollId: POLL,
      title: 'Through restarts',
      options: Array.from({ length: OPTIONS }, (_, i) => `option ${i + 1}`),
    });
    await post(baseUrl, '/items', { sku: SKU, name: 'Restart stock', stock: STOCK });

    // Every fifth command a purchase: unlike a vote, one sent twice would sell twice.
    let sent = 0;
    let restartsOver = false;
    const next = (): LoadCommand | undefined => {
      if (sent >= 4 * COMMANDS || (restartsOver && sent >= COMMANDS)) return undefined;
      const i = sent++;
      return i % 5 === 4
        ? {
            key: `purchase-${i}`,
            path: `/items/${SKU}/purchases`,
            body: { customerId: `c-${i}`, quantity: 1 },
          }
        : {
            key: `vote-${i}`,
            path: `/polls/${POLL}/votes`,
            body: { voterId: `v-${i}`, optionId: `o${(i % OPTIONS) + 1}` },
          };
    };
    const readiness = watchReadiness(baseUrl);
    const loadStarted = Date.now();
    const load = runRetryingLoad({ baseUrl, workers: 16, ratePerSecond: 300, next });

    await sleep(1500);
    // A crash: no checkpoint, no goodbye to the connections; recovery replays the WAL.
    const crashedAt = Date.now();
    await cluster.stop('immediate');
    await sleep(1000);
    const readStarted = Date.now();
    const read = await fetch(`${baseUrl}/polls/${POLL}`, { signal: AbortSignal.timeout(10_000) });
    const readMs = Date.now() - readStarted;
    expect(read.status).toBe(503);
    expect(await read.json()).toMatchObject({ error: 'unavailable', down: ['store'] });
    expect(read.headers.get('retry-after')).toBe('1');
    expect(readMs).toBeLessThan(3000);
    await sleep(1000);
    // A probe answered after this may already see the server accepting connections.
    const startingAt = Date.now();
    await cluster.start();
    const upAt = Date.now();
    const readyAt = await readyAgain(baseUrl);

    await sleep(1500);
    const restartAt = Date.now();
    await cluster.restart('fast');
    const restartedAt = Date.now();
    const readyAfterRestartAt = await readyAgain(baseUrl);
    restartsOver = true;

    const report = await load;
    const loadMs = Date.now() - loadStarted;
    await readiness.stop();

    expect(report.serverErrors).toEqual([]);
    expect(report.otherUnavailable).toEqual([]);
    expect(report.timedOut).toBe(0);
    expect(report.statuses[503] ?? 0).toBeGreaterThan(0);
    expect(report.slowestMs).toBeLessThan(5000);
    expect(api.child.exitCode).toBeNull();
    expect(api.output()).not.toContain('this is a bug');

    const whileDown = readiness.samples.filter(
      (s) => s.at > crashedAt + 200 && s.answeredAt < startingAt,
    );
    expect(whileDown.length).toBeGreaterThan(0);
    expect(whileDown.every((s) => s.status === 503)).toBe(true);
    expect(readiness.samples[readiness.samples.length - 1]!.status).toBe(200);

    const counted = await expectCountedOnce(baseUrl, report.acknowledged, {
      sku: SKU,
      stock: STOCK,
    });
    const client = new Client({ connectionString: cluster.url() });
    await client.connect();
    try {
      await loggedOnce(client, report.acknowledged, { pollId: POLL, sku: SKU });
    } finally {
      await client.end();
    }

    // The figures the README's Reliability section quotes.
    console.log(
      JSON.stringify({
        commands: report.acknowledged.length,
        votes: counted.votes,
        purchases: counted.purchases,
        loadSeconds: loadMs / 1000,
        statuses: report.statuses,
        connectionErrors: report.connectionErrors,
        slowestMs: report.slowestMs,
        crashReadMs: readMs,
        readyAfterStartMs: readyAt - upAt,
        readyAfterFastRestartMs: readyAfterRestartAt - restartedAt,
        fastRestartMs: restartedAt - restartAt,
      }),
    );
  });
});
