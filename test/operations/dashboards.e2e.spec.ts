import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { call, startHttpApp, type HttpApp } from '../support/http-app';
import { balanced, promqlMetricNames } from '../support/promql-names';
import { scrapeMetrics, type Exposition } from '../support/prometheus-text';

const ROOT = join(__dirname, '..', '..');
const DASHBOARD = join(ROOT, 'ops', 'grafana', 'tally-dashboard.json');
const ALERTS = join(ROOT, 'ops', 'prometheus', 'tally-alerts.yml');

interface Dashboard {
  title: string;
  panels: { id: number; type: string; title: string; targets?: { expr: string }[] }[];
}
interface AlertRules {
  groups: {
    name: string;
    rules: {
      alert: string;
      expr: string;
      labels: Record<string, string>;
      annotations: Record<string, string>;
    }[];
  }[];
}

/** Only present once their source runs (a relay, a Kafka client, a lost append race). */
const MAY_BE_EMPTY = new Set([
  'tally_relay_lag_events',
  'tally_kafka_consumergroup_lag',
  'tally_kafka_errors_total',
  'tally_append_conflicts_total',
]);

/** `x_bucket`, `x_sum`, `x_count` of a histogram x belong to the family x. */
function familyOf(e: Exposition, name: string): string {
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return base !== name && e.types.get(base) === 'histogram' ? base : name;
}

describe('the shipped Grafana dashboard and Prometheus alert rules', () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
  const rules = loadYaml(readFileSync(ALERTS, 'utf8')) as AlertRules;
  const dashboardExprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
  const alertExprs = rules.groups.flatMap((g) => g.rules.map((r) => r.expr));

  it('parse: panels with unique ids and queries, alert rules with a name, severity and summary', () => {
    expect(dashboard.title).toBe('Tally');
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(dashboardExprs.length).toBeGreaterThan(15);
    const alerts = rules.groups.flatMap((g) => g.rules);
    expect(alerts.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'TallyProjectionLagHigh',
        'TallyProjectionStalled',
        'TallyParkedEvents',
        'TallyHttp5xxRate',
        'TallyRelayLagHigh',
      ]),
    );
    for (const rule of alerts) {
      expect([rule.alert, rule.labels.severity]).toEqual([
        rule.alert,
        expect.stringMatching(/^(warning|critical)$/),
      ]);
      expect(rule.annotations.summary?.length).toBeGreaterThan(5);
    }
    for (const expr of [...dashboardExprs, ...alertExprs]) {
      expect([expr, balanced(expr)]).toEqual([expr, true]);
      expect([expr, promqlMetricNames(expr).length > 0]).toEqual([expr, true]);
    }
  });

  describe('every metric they query is in the real /metrics', () => {
    let app: HttpApp;
    beforeAll(async () => {
      app = await startHttpApp();
    });
    afterAll(async () => {
      await app.close();
    });

    it('after some traffic', async () => {
      const poll = await call(app.baseUrl, 'POST', '/polls', {
        pollId: 'dash',
        title: 'D',
        options: ['a', 'b'],
      });
      const optionId = (poll.body.options as { optionId: string }[])[0]!.optionId;
      const vote = await call(app.baseUrl, 'POST', '/polls/dash/votes', { voterId: 'v', optionId });
      const at = `minPosition=${String(vote.body.position)}`;
      expect((await call(app.baseUrl, 'GET', `/polls/dash?${at}`)).status).toBe(200);
      await call(app.baseUrl, 'GET', '/nowhere');
      const stream = new AbortController();
      const live = await fetch(`${app.baseUrl}/polls/dash/live?${at}`, { signal: stream.signal });
      expect(live.status).toBe(200);
      const exposition = await scrapeMetrics(app.baseUrl);
      stream.abort();

      const names = new Set([...dashboardExprs, ...alertExprs].flatMap(promqlMetricNames));
      expect(names.size).toBeGreaterThan(15);
      const missing = [...names].filter((n) => !exposition.types.has(familyOf(exposition, n)));
      expect(missing).toEqual([]);
      const empty = [...names].filter(
        (n) => !MAY_BE_EMPTY.has(n) && !exposition.samples.some((s) => s.name === n),
      );
      expect(empty).toEqual([]);
    });
  });
});
