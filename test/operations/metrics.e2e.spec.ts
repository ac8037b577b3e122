import { call, startHttpApp, type HttpApp } from '../support/http-app';
import { until } from '../support/projection-harness';
import { parsePrometheusText, samplesOf, type Exposition } from '../support/prometheus-text';

/** Every metric DESIGN.md promises, with its type. */
export const PROMISED_METRICS: Record<string, string> = {
  tally_events_appended_total: 'counter',
  tally_append_conflicts_total: 'counter',
  tally_command_duration_seconds: 'histogram',
  tally_projection_position: 'gauge',
  tally_projection_lag_events: 'gauge',
  tally_projection_lag_seconds: 'gauge',
  tally_kafka_consumergroup_lag: 'gauge',
  tally_relay_lag_events: 'gauge',
};

const PROCESS_METRICS = [
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
  'nodejs_heap_size_used_bytes',
  'nodejs_eventloop_lag_seconds',
  'nodejs_active_handles_total',
];

export async function scrape(baseUrl: string): Promise<Exposition> {
  const response = await fetch(`${baseUrl}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
}

const value = (e: Exposition, name: string, labels: Record<string, string> = {}): number => {
  const found = samplesOf(e, name, labels);
  if (found.length !== 1)
    throw new Error(`${name} ${JSON.stringify(labels)}: ${found.length} samples`);
  return found[0]!.value;
};

describe('/metrics: Prometheus text with every promised metric', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('parses as Prometheus text, names every DESIGN.md metric with its type, and the Node process metrics', async () => {
    const exposition = await scrape(app.baseUrl);
    for (const [name, type] of Object.entries(PROMISED_METRICS)) {
      expect([name, exposition.types.get(name)]).toEqual([name, type]);
      expect(exposition.help.get(name)?.length).toBeGreaterThan(10);
    }
    for (const name of PROCESS_METRICS) expect(exposition.types.has(name)).toBe(true);
  });

  it('counts what 120 concurrent commands did: appended events by type, durations by command and outcome, projection positions and lag', async () => {
    const before = await scrape(app.baseUrl);
    const opened = (e: Exposition): number =>
      samplesOf(e, 'tally_events_appended_total', { type: 'PollOpened' })[0]?.value ?? 0;
    const poll = await call(app.baseUrl, 'POST', '/polls', {
      pollId: 'm1',
      title: 'M',
      options: ['x', 'y'],
    });
    const optionId = (poll.body.options as { optionId: string }[])[0]!.optionId;
    const replies = await Promise.all([
      ...Array.from({ length: 100 }, (_, i) =>
        call(app.baseUrl, 'POST', '/polls/m1/votes', { voterId: `m${i}`, optionId }),
      ),
      ...Array.from({ length: 20 }, (_, i) =>
        call(app.baseUrl, 'POST', '/polls/m1/votes', { voterId: `bad${i}`, optionId: 'nope' }),
      ),
    ]);
    expect(replies.filter((r) => r.status === 200)).toHaveLength(100);
    expect(replies.filter((r) => r.status === 404)).toHaveLength(20);

    const after = await scrape(app.baseUrl);
    expect(opened(after) - opened(before)).toBe(1);
    expect(value(after, 'tally_events_appended_total', { type: 'Voted' })).toBe(100);
    expect(
      value(after, 'tally_command_duration_seconds_count', {
        command: 'cast-vote',
        outcome: 'accepted',
      }),
    ).toBe(100);
    const rejected = samplesOf(after, 'tally_command_duration_seconds_count', {
      command: 'cast-vote',
    }).filter((s) => s.labels.outcome !== 'accepted');
    expect(rejected.reduce((n, s) => n + s.value, 0)).toBe(20);
    // Histogram buckets are cumulative and end at +Inf = count.
    const buckets = samplesOf(after, 'tally_command_duration_seconds_bucket', {
      command: 'cast-vote',
      outcome: 'accepted',
    });
    expect(buckets.map((b) => b.value)).toEqual(
      [...buckets.map((b) => b.value)].sort((a, b) => a - b),
    );
    expect(buckets.find((b) => b.labels.le === '+Inf')?.value).toBe(100);

    const head = (await app.store.headPosition()).toString();
    await until(async () => {
      const e = await scrape(app.baseUrl);
      return value(e, 'tally_projection_lag_events', { projection: 'poll-counts' }) === 0;
    }, 'poll-counts lag 0 in /metrics');
    const caughtUp = await scrape(app.baseUrl);
    expect(value(caughtUp, 'tally_projection_position', { projection: 'poll-counts' })).toBe(
      Number(head),
    );
    expect(value(caughtUp, 'tally_projection_lag_seconds', { projection: 'poll-counts' })).toBe(0);
    for (const name of ['poll-counts', 'reaction-counts', 'thread-stats', 'inventory', 'users'])
      expect(samplesOf(caughtUp, 'tally_projection_lag_events', { projection: name })).toHaveLength(
        1,
      );
  });
});
