import { DATABASE, type Database } from '../../libs/infra/src';
import { call, startHttpApp, type HttpApp } from '../support/http-app';
import { until } from '../support/projection-harness';
import { samplesOf, scrapeMetrics, sumOf, type Exposition } from '../support/prometheus-text';

const requests = (e: Exposition, labels: Record<string, string>): number =>
  sumOf(e, 'tally_http_requests_total', labels);

/** HTTP, pool, event-stream and projector metrics of the real API, after real traffic. */
describe('/metrics: requests by route, pool, open streams, folded events', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('counts requests by route pattern (never the raw URL) and status, with a latency histogram', async () => {
    const before = await scrapeMetrics(app.baseUrl);
    for (let p = 0; p < 3; p++) {
      const opened = await call(app.baseUrl, 'POST', '/polls', {
        pollId: `h${p}`,
        title: 'H',
        options: ['a', 'b'],
      });
      expect(opened.status).toBe(201);
      const optionId = (opened.body.options as { optionId: string }[])[0]!.optionId;
      for (let v = 0; v < 4; v++) {
        const voted = await call(app.baseUrl, 'POST', `/polls/h${p}/votes`, {
          voterId: `v${v}`,
          optionId,
        });
        expect(voted.status).toBe(200);
      }
      const at = String(opened.body.position);
      expect((await call(app.baseUrl, 'GET', `/polls/h${p}?minPosition=${at}`)).status).toBe(200);
    }
    const missing = await Promise.all(
      Array.from({ length: 5 }, (_, i) => call(app.baseUrl, 'GET', `/no-such-route-${i}/x`)),
    );
    expect(missing.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    expect((await call(app.baseUrl, 'GET', '/polls/nope')).status).toBe(404);

    const after = await scrapeMetrics(app.baseUrl);
    expect(after.types.get('tally_http_requests_total')).toBe('counter');
    expect(after.types.get('tally_http_request_duration_seconds')).toBe('histogram');
    const delta = (labels: Record<string, string>): number =>
      requests(after, labels) - requests(before, labels);
    expect(delta({ method: 'POST', route: '/polls', status: '201' })).toBe(3);
    expect(delta({ method: 'POST', route: '/polls/:pollId/votes', status: '200' })).toBe(12);
    expect(delta({ method: 'GET', route: '/polls/:pollId', status: '200' })).toBe(3);
    expect(delta({ method: 'GET', route: '/polls/:pollId', status: '404' })).toBe(1);
    expect(delta({ method: 'GET', route: 'unmatched', status: '404' })).toBe(5);
    // Bounded: no label value carries an id or a raw path.
    const routes = new Set(
      samplesOf(after, 'tally_http_requests_total').map((s) => s.labels.route),
    );
    for (const route of routes) expect(route).toMatch(/^(unmatched|\/[a-zA-Z/:_-]*)$/);
    expect([...routes].some((r) => /h\d|no-such/.test(r!))).toBe(false);

    // One latency observation per request, buckets cumulative up to +Inf = count.
    const votes = { method: 'POST', route: '/polls/:pollId/votes' };
    const count = (e: Exposition): number =>
      sumOf(e, 'tally_http_request_duration_seconds_count', votes);
    expect(count(after) - count(before)).toBe(12);
    const buckets = samplesOf(after, 'tally_http_request_duration_seconds_bucket', votes);
    const values = buckets.map((b) => b.value);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(buckets.find((b) => b.labels.le === '+Inf')?.value).toBe(count(after));
    expect(sumOf(after, 'tally_http_request_duration_seconds_sum', votes)).toBeGreaterThan(0);
  });

  it('reports the pool by state (in use, idle, waiting), read at scrape time', async () => {
    const e = await scrapeMetrics(app.baseUrl);
    const states = samplesOf(e, 'tally_db_pool_connections').map((s) => s.labels.state);
    expect(states.sort()).toEqual(['idle', 'in_use', 'waiting']);
    const pool = app.nest.get<Database>(DATABASE).pool;
    const held = await Promise.all(Array.from({ length: 5 }, () => pool.connect()));
    const holding = await scrapeMetrics(app.baseUrl);
    expect(sumOf(holding, 'tally_db_pool_connections', { state: 'in_use' })).toBeGreaterThanOrEqual(
      5,
    );
    for (const client of held) client.release();
    const released = await scrapeMetrics(app.baseUrl);
    expect(sumOf(released, 'tally_db_pool_connections', { state: 'idle' })).toBeGreaterThanOrEqual(
      5,
    );
    expect(sumOf(released, 'tally_db_pool_connections', { state: 'waiting' })).toBe(0);
  });

  it('counts open event streams: up on open, down on close', async () => {
    const opened = await call(app.baseUrl, 'POST', '/polls', {
      pollId: 'sse',
      title: 'S',
      options: ['a', 'b'],
    });
    const url = `${app.baseUrl}/polls/sse/live?minPosition=${String(opened.body.position)}`;
    const open = async (): Promise<number> =>
      sumOf(await scrapeMetrics(app.baseUrl), 'tally_sse_streams_open');
    expect(await open()).toBe(0);
    const clients = Array.from({ length: 3 }, () => new AbortController());
    const responses = await Promise.all(clients.map((c) => fetch(url, { signal: c.signal })));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await open()).toBe(3);
    clients[0]!.abort();
    await until(async () => (await open()) === 2, 'one stream closed');
    for (const c of clients.slice(1)) c.abort();
    await until(async () => (await open()) === 0, 'every stream closed');
  });

  it('counts the events the in-process projector folded, per projection, exactly', async () => {
    const folded = (e: Exposition, projection: string): number =>
      sumOf(e, 'tally_projection_events_total', { projection });
    const before = await scrapeMetrics(app.baseUrl);
    expect(before.types.get('tally_projection_events_total')).toBe('counter');
    const opened = await call(app.baseUrl, 'POST', '/polls', {
      pollId: 'fold',
      title: 'F',
      options: ['a', 'b'],
    });
    const optionId = (opened.body.options as { optionId: string }[])[0]!.optionId;
    const votes = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call(app.baseUrl, 'POST', '/polls/fold/votes', { voterId: `f${i}`, optionId }),
      ),
    );
    expect(votes.every((v) => v.status === 200)).toBe(true);
    const head = (await app.store.headPosition()).toString();
    await until(async () => {
      const rows = (await call(app.baseUrl, 'GET', '/projections')).body as unknown as {
        name: string;
        position: string;
      }[];
      return rows.find((r) => r.name === 'poll-counts')?.position === head;
    }, 'poll-counts at the head');
    const after = await scrapeMetrics(app.baseUrl);
    // PollOpened and 50 Voted for poll-counts; nothing of the others' types.
    expect(folded(after, 'poll-counts') - folded(before, 'poll-counts')).toBe(51);
    for (const other of ['thread-stats', 'reaction-counts', 'inventory', 'users']) {
      expect(samplesOf(after, 'tally_projection_events_total', { projection: other })).toHaveLength(
        1,
      );
      expect(folded(after, other)).toBe(folded(before, other));
    }
  });
});
