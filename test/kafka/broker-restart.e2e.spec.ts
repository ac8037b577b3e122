import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { allMigrations } from '../../apps/shared/src/all-migrations';
import { freePort } from '../support/free-port';
import { call } from '../support/http-app';
import { startLocalBroker, type LocalBroker } from '../support/kafka-broker';
import { until } from '../support/projection-harness';
import { scrapeMetrics, sumOf } from '../support/prometheus-text';
import { pollCountsProjection } from '../../projections/poll-counts';
import { startApp, type AppProcess } from '../support/app-process';
import { cleanEnv, startService } from '../support/service-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const CLIENTS = 6;
/** Each client's pause between commands: a steady ~150 commands/s in all. */
const PAUSE_MS = 30;
const VOTERS = 1_500;
/** Commands acknowledged before the broker goes, while it is down, and once it is back. */
const BEFORE = 600;
const WHILE_DOWN = 600;
const AFTER = 600;

describe('the broker stopped and started again under a steady command load', () => {
  let broker: LocalBroker | undefined;
  let db: TestDatabase | undefined;
  const children = new Set<ChildProcess>();
  beforeAll(async () => {
    // Always a broker of our own: one named by KAFKA_BROKERS is not ours to stop.
    broker = await startLocalBroker();
    db = await createTestDatabase(allMigrations());
  }, 180_000);
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await db?.drop();
    await broker?.stop();
  }, 90_000);
  const started = <T extends { child: ChildProcess }>(running: T): T => {
    children.add(running.child);
    return running;
  };
  const query = async (sql: string, params: unknown[] = []): Promise<Record<string, string>[]> =>
    (await db!.pool.query<Record<string, string>>(sql, params)).rows;
  const projectedVotes = async (): Promise<Record<string, number>> => {
    const votes: Record<string, number> = { o1: 0, o2: 0 };
    const rows = await query(`SELECT option_id, votes FROM proj_poll_options WHERE poll_id = 'br'`);
    for (const row of rows) votes[row.option_id!] = Number(row.votes);
    return votes;
  };

  it('relay and projector recover by themselves: every acknowledged vote is counted exactly once', async () => {
    const kafkaEnv = cleanEnv({
      DATABASE_URL: db!.url,
      KAFKA_BROKERS: broker!.brokers.join(','),
      TALLY_TOPIC: `tally.events.restart.${randomBytes(4).toString('hex')}`,
      TALLY_PROJECTOR_GROUP: `group-${randomBytes(4).toString('hex')}`,
      // A SIGKILLed member's partitions wait this long (the default is 30 s).
      TALLY_KAFKA_SESSION_TIMEOUT_MS: '10000',
    });
    const port = await freePort();
    const api = started(
      await startService(
        'apps/api/src/main.js',
        cleanEnv({
          DATABASE_URL: db!.url,
          PORT: String(port),
          HOST: '127.0.0.1',
          TALLY_PROJECTOR: 'off',
          LOG_LEVEL: 'warn',
        }),
        port,
      ),
    );
    const [relayMetrics, projectorMetrics] = [await freePort(), await freePort()];
    const withMetrics = (metricsPort: number): NodeJS.ProcessEnv => ({
      ...kafkaEnv,
      HOST: '127.0.0.1',
      TALLY_METRICS_PORT: String(metricsPort),
    });
    const relay = started(await startApp('relay', withMetrics(relayMetrics)));
    const projector = started(await startApp('projector', withMetrics(projectorMetrics)));
    const opened = await call(api.baseUrl, 'POST', '/polls', {
      pollId: 'br',
      title: 'Broker restart',
      options: ['A', 'B'],
    });
    expect(opened.status).toBe(201);

    // What the acknowledged commands add up to: counts per option, and each ballot's revision.
    const expected: Record<string, number> = { o1: 0, o2: 0 };
    const held = new Map<string, string>();
    const revisions = new Map<string, number>();
    const refused: string[] = [];
    let acknowledged = 0;
    let next = 0;
    let loading = true;
    const client = async (): Promise<void> => {
      while (loading) {
        const voterId = `v${next++ % VOTERS}`;
        const optionId = held.get(voterId) === 'o1' ? 'o2' : 'o1';
        const reply = await call(api.baseUrl, 'POST', '/polls/br/votes', { voterId, optionId });
        if (reply.status !== 200 || reply.body.changed !== true) {
          refused.push(`${reply.status} ${JSON.stringify(reply.body)}`);
        } else {
          held.set(voterId, optionId);
          expected[optionId]!++;
          if (typeof reply.body.previousOptionId === 'string')
            expected[reply.body.previousOptionId]!--;
          revisions.set(`ballot-br|${voterId}`, Number(reply.body.revision));
          acknowledged++;
        }
        await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      }
    };
    const acknowledgedPast = (count: number, phase: string): Promise<void> =>
      until(() => Promise.resolve(acknowledged >= count || refused.length > 0), phase, {
        timeoutMs: 60_000,
      });
    const load = Promise.all(Array.from({ length: CLIENTS }, () => client()));
    let whileDown = 0;
    try {
      await acknowledgedPast(BEFORE, 'commands before the broker stops');
      await until(
        async () => Object.values(await projectedVotes()).some((n) => n > 0),
        'votes to reach the read model through Kafka',
      );
      await broker!.halt();
      const atHalt = acknowledged;
      await acknowledgedPast(atHalt + WHILE_DOWN, 'commands while the broker is down');
      await broker!.start();
      whileDown = acknowledged - atHalt;
      await acknowledgedPast(acknowledged + AFTER, 'commands once the broker is back');
    } finally {
      loading = false;
      await load;
    }
    expect(refused).toEqual([]);
    expect(whileDown).toBeGreaterThanOrEqual(WHILE_DOWN);

    await until(
      async () => JSON.stringify(await projectedVotes()) === JSON.stringify(expected),
      `the read model to hold every acknowledged vote: ${JSON.stringify(expected)}`,
      { timeoutMs: 90_000, intervalMs: 200 },
    ).catch(async (error: unknown) => {
      // Whether a process died or hangs, and what it last said, is the whole diagnosis.
      const state = (name: string, app: AppProcess): string =>
        `\n${name} exit code ${String(app.child.exitCode)}, last output:\n${app.output().slice(-3_000)}`;
      throw new Error(
        `${String(error)}; projected ${JSON.stringify(await projectedVotes())}` +
          state('relay', relay) +
          state('projector', projector),
      );
    });
    // Recovered by themselves: the same processes, never restarted.
    expect([relay.child.exitCode, projector.child.exitCode]).toEqual([null, null]);
    const total = Number(
      (await query(`SELECT total_votes FROM proj_polls WHERE poll_id = 'br'`))[0]?.total_votes,
    );
    expect(total).toBe(held.size);
    // Each ballot applied up to the revision its last acknowledged command answered: once each.
    const applied = await query(
      `SELECT stream_id, revision FROM tally_kafka_stream_progress
        WHERE group_id = $1 AND stream_id LIKE 'ballot-br|%'`,
      [kafkaEnv.TALLY_PROJECTOR_GROUP],
    );
    expect(new Map(applied.map((r) => [r.stream_id, Number(r.revision)]))).toEqual(revisions);

    // Their metrics: the errors the relay's producer reported while the broker was down; the projector folded
    // each event of poll-counts' types once (resends are skipped, not folded).
    const relayScrape = await scrapeMetrics(`http://127.0.0.1:${relayMetrics}`);
    expect(sumOf(relayScrape, 'tally_kafka_errors_total', { client: 'relay' })).toBeGreaterThan(0);
    const projectorScrape = await scrapeMetrics(`http://127.0.0.1:${projectorMetrics}`);
    const logged = await query('SELECT count(*) AS n FROM tally_events WHERE type = ANY($1)', [
      pollCountsProjection.eventTypes,
    ]);
    expect(
      sumOf(projectorScrape, 'tally_projection_events_total', { projection: 'poll-counts' }),
    ).toBe(Number(logged[0]!.n));
    expect(projectorScrape.types.get('tally_kafka_errors_total')).toBe('counter');
    const status = (await call(api.baseUrl, 'GET', '/projections')).body as unknown as {
      name: string;
      eventsPerSecond: number;
    }[];
    expect(status.find((p) => p.name === 'poll-counts')!.eventsPerSecond).toBeGreaterThan(0);

    for (const running of [relay, projector]) running.child.kill('SIGTERM');
    expect([await relay.exited, await projector.exited, await api.stop()]).toEqual([0, 0, 0]);
  }, 240_000);
});
