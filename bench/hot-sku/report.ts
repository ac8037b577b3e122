import type { Align } from '../lib/report';
import { formatNumber, markdownTable } from '../lib/report';
import type { SystemName } from './system';

export interface CellResult {
  name: string;
  system: SystemName;
  writers: number;
  opsPerSec: number;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Conflicts retried inside the window (client retries or the pipeline's own). */
  conflicts: number;
  oversold: number;
  /** Purchases per writing transaction over the whole cell (group commit batches them). */
  perTransaction: number;
  /** Non-success answers inside the window (each retried by its client). */
  failures: number;
  /** Stock before − stock after equals the successful purchases, with no lost update. */
  exact: boolean;
  /** opsPerSec ÷ for-update's at the same writer count; null without that cell. */
  vsForUpdate: number | null;
}

const HEADER = [
  'Clients',
  'System',
  'purchases/s',
  'p50 ms',
  'p99 ms',
  'conflicts',
  'failures',
  'per txn',
  'oversold',
  'exact',
  'vs for-update',
];
const ALIGN: readonly Align[] = ['right', 'left', ...HEADER.slice(2).map((): Align => 'right')];

/** Each system's throughput relative to `for-update` at the same writer count. */
export function withRatios(results: readonly CellResult[]): CellResult[] {
  return results.map((result) => {
    const base = results.find((r) => r.system === 'for-update' && r.writers === result.writers);
    const vsForUpdate =
      base && base.opsPerSec > 0 ? Number((result.opsPerSec / base.opsPerSec).toFixed(2)) : null;
    return { ...result, vsForUpdate };
  });
}

/** One row per writer count and system, in run order. */
export function hotSkuTable(results: readonly CellResult[]): string {
  const rows = results.map((r) => [
    String(r.writers),
    r.system,
    formatNumber(r.opsPerSec),
    formatNumber(r.p50Ms, 2),
    formatNumber(r.p99Ms, 2),
    formatNumber(r.conflicts),
    formatNumber(r.failures),
    formatNumber(r.perTransaction, 1),
    formatNumber(r.oversold),
    r.exact ? 'yes' : 'NO',
    r.vsForUpdate === null ? '–' : `${r.vsForUpdate.toFixed(2)}×`,
  ]);
  return markdownTable(HEADER, rows, ALIGN);
}
