import { freePort } from '../support/free-port';
import { call, startHttpApp, type HttpApp } from '../support/http-app';
import { until } from '../support/projection-harness';
import { startProjector, type ProjectorProcess } from '../support/projector-process';
import { samplesOf, scrapeMetrics, sumOf } from '../support/prometheus-text';
import { cleanEnv } from '../support/service-process';

/** The projector as its own process (built dist/) serves its metrics on TALLY_METRICS_PORT. */
describe('the projector process: /metrics on TALLY_METRICS_PORT', () => {
  let app: HttpApp;
  let projector: ProjectorProcess | undefined;
  let metricsUrl: string;
  beforeAll(async () => {
    app = await startHttpApp({ TALLY_PROJECTOR: 'off' });
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}`;
    projector = await startProjector(
      cleanEnv({ DATABASE_URL: app.db.url, TALLY_METRICS_PORT: String(port), HOST: '127.0.0.1' }),
    );
  });
  afterAll(async () => {
    projector?.child.kill('SIGTERM');
    await projector?.exited;
    await app.close();
  });

  it('counts exactly the events it folded, per projection; the API, which folds none, counts none', async () => {
    const before = await scrapeMetrics(metricsUrl);
    expect(before.types.get('tally_projection_events_total')).toBe('counter');
    // Every projection it folds has a series from the start, so rate() has one.
    expect(samplesOf(before, 'tally_projection_events_total')).toHaveLength(5);
    const opened = await call(app.baseUrl, 'POST', '/polls', {
      pollId: 'pm',
      title: 'P',
      options: ['a', 'b'],
    });
    const optionId = (opened.body.options as { optionId: string }[])[0]!.optionId;
    const votes = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        call(app.baseUrl, 'POST', '/polls/pm/votes', { voterId: `p${i}`, optionId }),
      ),
    );
    expect(votes.every((v) => v.status === 200)).toBe(true);
    const thread = await call(app.baseUrl, 'POST', '/threads', { title: 'T' });
    expect(thread.status).toBe(201);
    const head = (await app.store.headPosition()).toString();
    await until(async () => {
      const rows = (await call(app.baseUrl, 'GET', '/projections')).body as unknown as {
        name: string;
        position: string;
      }[];
      return ['poll-counts', 'thread-stats'].every(
        (name) => rows.find((r) => r.name === name)?.position === head,
      );
    }, 'both projections at the head');
    const after = await scrapeMetrics(metricsUrl);
    const delta = (projection: string): number =>
      sumOf(after, 'tally_projection_events_total', { projection }) -
      sumOf(before, 'tally_projection_events_total', { projection });
    expect(delta('poll-counts')).toBe(41);
    expect(delta('thread-stats')).toBe(1);
    expect(delta('users')).toBe(0);
    expect(samplesOf(after, 'tally_db_pool_connections')).toHaveLength(3);
    expect(after.types.has('process_cpu_seconds_total')).toBe(true);
    const api = await scrapeMetrics(app.baseUrl);
    expect(sumOf(api, 'tally_projection_events_total')).toBe(0);
    expect((await fetch(`${metricsUrl}/other`)).status).toBe(404);
  });
});
