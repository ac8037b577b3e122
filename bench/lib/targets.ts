import type { ScenarioResult } from './summary';

/** One target of the benchmark issue, judged on the figures of one run. */
export interface Target {
  target: string;
  /** The measured figure (a ratio, ms or events/s); null when a scenario did not run. */
  value: number | null;
  threshold: number;
  unit: 'x' | 'ms' | 'events/s' | '%' | 'streams';
  met: boolean | null;
  /** The figures it is made of. */
  basis: string;
}

const find = (
  results: readonly ScenarioResult[],
  name: string,
  system: string,
): ScenarioResult | undefined => results.find((r) => r.name === name && r.system === system);

function ratio(
  target: string,
  threshold: number,
  top: ScenarioResult | undefined,
  bottom: ScenarioResult | undefined,
  exact: (r: ScenarioResult) => boolean,
  unit: 'x' | '%' = 'x',
): Target {
  if (!top || !bottom || bottom.opsPerSec === 0) {
    return { target, value: null, threshold, unit, met: null, basis: 'not run' };
  }
  const value = (top.opsPerSec / bottom.opsPerSec) * (unit === '%' ? 100 : 1);
  return {
    target,
    value: Number(value.toFixed(2)),
    threshold,
    unit,
    met: value >= threshold && exact(top) && exact(bottom),
    basis: `${top.name} ${top.system} ${top.opsPerSec}/s ÷ ${bottom.name} ${bottom.system} ${bottom.opsPerSec}/s`,
  };
}

const exactHttp = (r: ScenarioResult): boolean =>
  r.lost === 0 && (r.detail as { exact?: unknown } | undefined)?.exact !== false;

/** The HTTP edge against the pipeline in process, on the same load in the same run. */
function httpTargets(results: readonly ScenarioResult[]): Target[] {
  return [
    ...[60, 80].map((threshold) =>
      ratio(
        `HTTP hot counter ≥ ${threshold} % of the in-process hot counter${threshold === 80 ? ' (the goal)' : ''}`,
        threshold,
        find(results, 'http/hot-counter', 'tally-http'),
        find(results, 'hot-counter', 'tally'),
        exactHttp,
        '%',
      ),
    ),
    ratio(
      'HTTP spread votes ≥ 60 % of the in-process spread votes',
      60,
      find(results, 'http/spread-votes', 'tally-http'),
      find(results, 'spread/votes', 'tally'),
      exactHttp,
      '%',
    ),
  ];
}

/** Live fan-out: what 1,000 followers cost the vote rate, how soon they see it, 10,000 streams. */
function liveTargets(results: readonly ScenarioResult[]): Target[] {
  const watched = find(results, 'live/votes', '1000-subscribers');
  const many = find(results, 'live/10000-streams', 'tally-http');
  return [
    ratio(
      'votes with 1,000 live subscribers ≥ 80 % of the rate without',
      80,
      watched,
      find(results, 'live/votes', 'no-subscribers'),
      (r) => r.lost === 0,
      '%',
    ),
    {
      target:
        '1,000 live subscribers exact within 250 ms (p99) of the last vote (acknowledged, or appended if later)',
      value: watched?.lagP99Ms ?? null,
      threshold: 250,
      unit: 'ms',
      met: watched?.lagP99Ms == null ? null : watched.lagP99Ms <= 250 && watched.lost === 0,
      basis: watched
        ? `${String(watched.detail?.exact)} of ${String(watched.detail?.streams)} exact`
        : 'not run',
    },
    {
      target: 'one API process holds 10,000 live streams, every one exact',
      value: many ? Number(many.detail?.exact ?? 0) : null,
      threshold: 10_000,
      unit: 'streams',
      met: many ? many.lost === 0 && Number(many.detail?.exact ?? 0) >= 10_000 : null,
      basis: many ? `${String(many.detail?.kibPerStream)} KiB per stream` : 'not run',
    },
  ];
}

/** The targets of the issue, as ratios measured within this run. */
export function evaluateTargets(results: readonly ScenarioResult[]): Target[] {
  const targets: Target[] = [
    ratio(
      'hot counter: Tally ≥ 2× the atomic-UPDATE fix, 0 lost',
      2,
      find(results, 'hot-counter', 'tally'),
      find(results, 'hot-counter', 'atomic-update'),
      (r) => r.lost === 0,
    ),
    ratio(
      'hot SKU: Tally ≥ 2× the FOR UPDATE fix, 0 oversold',
      2,
      find(results, 'hot-sku-sellout', 'tally'),
      find(results, 'hot-sku-sellout', 'for-update'),
      (r) => r.oversold === 0 && r.lost === 0,
    ),
    ratio(
      "spread votes: Tally's appends ≥ 60 % of the bare-INSERT limit",
      60,
      find(results, 'spread/votes', 'tally'),
      find(results, 'limit', 'bare-insert'),
      (r) => r.lost === 0,
      '%',
    ),
    ratio(
      "spread votes, the goal: Tally's appends ≥ 80 % of the bare-INSERT limit",
      80,
      find(results, 'spread/votes', 'tally'),
      find(results, 'limit', 'bare-insert'),
      (r) => r.lost === 0,
      '%',
    ),
    ratio(
      'hot counter: the remembered poll with an append condition ≥ 1× reading the poll per vote',
      1,
      find(results, 'hot-counter', 'tally'),
      find(results, 'hot-counter', 'tally-context-read'),
      (r) => r.lost === 0,
    ),
    ratio(
      "spread SKUs: Tally's appends ≥ 60 % of the bare-INSERT limit",
      60,
      find(results, 'spread/skus', 'tally'),
      find(results, 'limit', 'bare-insert'),
      (r) => r.lost === 0 && (r.oversold ?? 0) === 0,
      '%',
    ),
    ...httpTargets(results),
    ...liveTargets(results),
  ];
  const hot = find(results, 'hot-counter', 'tally');
  targets.push({
    target: 'projection lag p99 ≤ 250 ms under the hot-counter load',
    value: hot?.lagP99Ms ?? null,
    threshold: 250,
    unit: 'ms',
    met: hot?.lagP99Ms == null ? null : hot.lagP99Ms <= 250,
    basis: hot ? `hot-counter tally, acknowledged → poll-counts committed` : 'not run',
  });
  for (const [name, label] of [
    ['replay', 'replay ≥ 200,000 events/s: a Projector rebuilding each projection from 0'],
    ['rebuild', 'replay ≥ 200,000 events/s: the rebuild tool on each projection'],
  ] as const) {
    const runs = results.filter(
      (r) => r.name === name && !r.system.startsWith('read-only') && r.system !== 'all-five',
    );
    const slowest = runs.reduce<ScenarioResult | undefined>(
      (min, r) => (min === undefined || r.opsPerSec < min.opsPerSec ? r : min),
      undefined,
    );
    targets.push({
      target: label,
      value: slowest?.opsPerSec ?? null,
      threshold: 200_000,
      unit: 'events/s',
      met:
        slowest === undefined
          ? null
          : slowest.opsPerSec >= 200_000 && runs.every((r) => r.lost === 0),
      basis: slowest ? `slowest: ${slowest.system}` : 'not run',
    });
  }
  return targets;
}
