import { EsdbEventStore, type RecordedEvent } from '../../libs/event-store/src';
import { allProjections } from '../../projections';
import type { ProjectionStatus } from '../../libs/ops/src';
import { jsonOf, runCli } from '../support/cli-process';
import { startEsdbTestServer, type EsdbTestServer } from '../support/esdb';
import { admin, call, startHttpApp, type HttpApp } from '../support/http-app';
import { until } from '../support/projection-harness';
import { parsePrometheusText, samplesOf } from '../support/prometheus-text';

/**
 * Lag figures, `events tail` and `projections status` with the log in EventStoreDB (the
 * protocol-level TEST SERVER, the real client over gRPC): they read the log through the
 * store, not PostgreSQL's tally_events (which is empty in this mode).
 */
describe('lag and tail with the log in EventStoreDB (protocol test server)', () => {
  let server: EsdbTestServer;
  let app: HttpApp;
  let store: EsdbEventStore;

  async function setUp(env: Record<string, string>): Promise<void> {
    server = await startEsdbTestServer();
    app = await startHttpApp({ EVENTSTORE_URL: server.url, ...env });
    store = new EsdbEventStore({ url: server.url, pool: app.db.pool });
  }
  afterEach(async () => {
    await store.close();
    await app.close();
    await server.stop();
  });

  async function openPolls(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const reply = await call(app.baseUrl, 'POST', '/polls', {
        pollId: `lag-${i}`,
        title: `Poll ${i}`,
        options: ['a', 'b'],
      });
      expect(reply.status).toBe(201);
    }
  }
  const projections = async (): Promise<ProjectionStatus[]> =>
    (await call(app.baseUrl, 'GET', '/projections', undefined, admin)).body as never;
  const lagMetric = async (projection: string): Promise<number | undefined> => {
    const text = await (await fetch(`${app.baseUrl}/metrics`)).text();
    return samplesOf(parsePrometheusText(text), 'tally_projection_lag_events', { projection })[0]
      ?.value;
  };

  it('the projector in the API catches up: lag 0, position = head, in /projections and /metrics', async () => {
    await setUp({});
    await openPolls(4);
    const head = (await store.headPosition()).toString();
    expect(head).not.toBe('0');
    await until(async () => {
      const rows = await projections();
      return rows.every((p) => p.lagEvents === 0 && p.position === head);
    }, 'every projection at the head');
    for (const p of await projections()) {
      expect(p).toMatchObject({ headPosition: head, lagEvents: 0, lagSeconds: 0, status: 'live' });
    }
    expect(await lagMetric('poll-counts')).toBe(0);
  });

  it('with TALLY_PROJECTOR=off every event lags the projection of its type: /projections, /metrics, the CLI', async () => {
    await setUp({ TALLY_PROJECTOR: 'off' });
    await openPolls(5);
    const log: RecordedEvent[] = await store.readAll(0n, 100);
    expect(log).toHaveLength(5);
    const head = log[4]!.position.toString();
    const lagOf = (name: string): number => (name === 'poll-counts' ? 5 : 0);
    const rows = await projections();
    expect(rows.map((p) => p.name).sort()).toEqual(allProjections.map((p) => p.name).sort());
    for (const p of rows) {
      expect(p).toMatchObject({ position: '0', headPosition: head, lagEvents: lagOf(p.name) });
      expect(p.lagSeconds).toBeGreaterThanOrEqual(0);
      if (lagOf(p.name) === 0) expect(p.status).toBe('live');
    }
    // Once its oldest waiting event is older than the live bound (2 s), it is no longer live.
    await until(
      async () => (await projections()).find((p) => p.name === 'poll-counts')?.status !== 'live',
      'poll-counts past the live bound',
    );
    expect(await lagMetric('poll-counts')).toBe(5);
    expect(await lagMetric('users')).toBe(0);

    const env = { EVENTSTORE_URL: server.url };
    const tail = await runCli(
      ['events', 'tail', '-n', '3', '--no-follow', '--json'],
      app.db.url,
      env,
    );
    expect(tail.code).toBe(0);
    const tailed = tail.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { position: string; streamId: string; type: string });
    expect(tailed.map((e) => [e.position, e.streamId, e.type])).toEqual(
      log.slice(2).map((e) => [e.position.toString(), e.streamId, e.type]),
    );
    const status = jsonOf<ProjectionStatus[]>(
      await runCli(['projections', 'status', '--json'], app.db.url, env),
    );
    for (const p of status)
      expect(p).toMatchObject({ headPosition: head, lagEvents: lagOf(p.name) });
  });
});
