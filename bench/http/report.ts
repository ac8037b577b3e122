import type { Align } from '../lib/report';
import { formatNumber, markdownTable } from '../lib/report';
import type { ScenarioResult } from '../lib/summary';

const HEADER = [
  'workload',
  'tally-http votes/s',
  'p50 ms',
  'p99 ms',
  'exact',
  'naive-http votes/s',
  'p50 ms',
  'p99 ms',
  'exact',
  'Tally/naive',
];
const ALIGN: readonly Align[] = ['left', ...HEADER.slice(1).map((): Align => 'right')];

/** Tally's votes/s over the naive server's in the same workload; null without both. */
export function ratio(results: readonly ScenarioResult[], name: string): number | null {
  const tally = results.find((r) => r.name === name && r.system === 'tally-http');
  const naive = results.find((r) => r.name === name && r.system === 'naive-http');
  if (!tally || !naive || naive.opsPerSec === 0) return null;
  return Number((tally.opsPerSec / naive.opsPerSec).toFixed(2));
}

/** Each result with `vsNaiveHttp` (its workload's Tally/naive ratio) in its detail. */
export function withRatios(results: readonly ScenarioResult[]): ScenarioResult[] {
  return results.map((r) => ({
    ...r,
    detail: { ...r.detail, vsNaiveHttp: ratio(results, r.name) },
  }));
}

function cells(result: ScenarioResult | undefined): string[] {
  if (!result) return ['–', '–', '–', '–'];
  const exact = result.detail?.exact;
  return [
    formatNumber(result.opsPerSec),
    formatNumber(result.p50Ms, 2),
    formatNumber(result.p99Ms, 2),
    exact === true ? 'yes' : exact === false ? 'NO' : '–',
  ];
}

/** One row per workload: Tally and the naive server side by side, and their ratio. */
export function httpTable(results: readonly ScenarioResult[]): string {
  const names = [...new Set(results.map((r) => r.name))];
  const rows = names.map((name) => {
    const find = (system: string): ScenarioResult | undefined =>
      results.find((r) => r.name === name && r.system === system);
    const value = ratio(results, name);
    return [
      name.replace(/^http\//, ''),
      ...cells(find('tally-http')),
      ...cells(find('naive-http')),
      value === null ? '–' : `${value.toFixed(2)}×`,
    ];
  });
  return markdownTable(HEADER, rows, ALIGN);
}
