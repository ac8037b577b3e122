import type { Align } from '../lib/report';
import { formatNumber, markdownTable } from '../lib/report';

export interface CellResult {
  name: string;
  system: 'tally' | 'emmett';
  writers: number;
  opsPerSec: number;
  p50Ms: number | null;
  p99Ms: number | null;
  conflicts: number;
}

const HEADER = [
  'Scenario',
  'Writers',
  'Tally ops/s',
  'p50 ms',
  'p99 ms',
  'conflicts',
  'emmett ops/s',
  'p50 ms',
  'p99 ms',
  'conflicts',
  'Tally/emmett',
];
const ALIGN: readonly Align[] = ['left', ...HEADER.slice(1).map((): Align => 'right')];

function systemCells(result: CellResult | undefined): string[] {
  if (!result) return ['–', '–', '–', '–'];
  return [
    formatNumber(result.opsPerSec),
    formatNumber(result.p50Ms, 2),
    formatNumber(result.p99Ms, 2),
    formatNumber(result.conflicts),
  ];
}

function ratio(tally: CellResult | undefined, emmett: CellResult | undefined): string {
  if (!tally || !emmett || emmett.opsPerSec === 0) return '–';
  return `${(tally.opsPerSec / emmett.opsPerSec).toFixed(2)}×`;
}

/** One row per scenario and writer count, Tally and emmett side by side. */
export function appendTable(results: readonly CellResult[]): string {
  const keys = [...new Set(results.map((r) => `${r.name}\u0000${r.writers}`))];
  const rows = keys.map((key) => {
    const [name = '', writers = ''] = key.split('\u0000');
    const find = (system: CellResult['system']): CellResult | undefined =>
      results.find((r) => r.name === name && String(r.writers) === writers && r.system === system);
    const tally = find('tally');
    const emmett = find('emmett');
    return [name, writers, ...systemCells(tally), ...systemCells(emmett), ratio(tally, emmett)];
  });
  return markdownTable(HEADER, rows, ALIGN);
}
