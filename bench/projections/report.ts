import type { Align } from '../lib/report';
import { formatNumber, markdownTable } from '../lib/report';

export interface FoldResult {
  name: 'projections/fold';
  system: 'poll-counts';
  batchSize: number;
  events: number;
  seconds: number;
  batches: number;
  /** Events folded per second. */
  opsPerSec: number;
  /** Time between consecutive committed batches. */
  p50Ms: number | null;
  p99Ms: number | null;
  lagP50Ms: null;
  lagP99Ms: null;
  /** opsPerSec ÷ batch size 1's. */
  vsBatch1: number | null;
  exact: boolean;
}

export interface LagResult {
  name: 'projections/lag';
  system: 'all-projections';
  /** The rate the load generator aimed at, and what it issued inside the window. */
  targetPerSec: number;
  offeredPerSec: number;
  /** Commands accepted inside the window, per second. */
  opsPerSec: number;
  /** Command latency: issued → execute resolved. */
  p50Ms: number | null;
  p99Ms: number | null;
  /** Acknowledged → poll-counts committed at the reply position. */
  lagP50Ms: number | null;
  lagP99Ms: number | null;
  lagMaxMs: number | null;
  lagSamples: number;
  accepted: number;
  exact: boolean;
}

/** Each fold's throughput relative to batch size 1's. */
export function withFoldRatios(results: readonly FoldResult[]): FoldResult[] {
  const base = results.find((r) => r.batchSize === 1);
  return results.map((r) => ({
    ...r,
    vsBatch1: base && base.opsPerSec > 0 ? Number((r.opsPerSec / base.opsPerSec).toFixed(1)) : null,
  }));
}

const FOLD_HEADER = [
  'Batch size',
  'events',
  'seconds',
  'events/s',
  'batches',
  'batch p50 ms',
  'batch p99 ms',
  'vs batch 1',
  'exact',
];
const LAG_HEADER = [
  'Target cmd/s',
  'offered cmd/s',
  'accepted cmd/s',
  'cmd p50 ms',
  'cmd p99 ms',
  'lag p50 ms',
  'lag p99 ms',
  'lag max ms',
  'samples',
  'exact',
];
const right = (header: readonly string[]): Align[] => header.map((): Align => 'right');

export function foldTable(results: readonly FoldResult[]): string {
  const rows = results.map((r) => [
    String(r.batchSize),
    formatNumber(r.events),
    formatNumber(r.seconds, 2),
    formatNumber(r.opsPerSec),
    formatNumber(r.batches),
    formatNumber(r.p50Ms, 2),
    formatNumber(r.p99Ms, 2),
    r.vsBatch1 === null ? '–' : `${r.vsBatch1.toFixed(1)}×`,
    r.exact ? 'yes' : 'NO',
  ]);
  return markdownTable(FOLD_HEADER, rows, right(FOLD_HEADER));
}

export function lagTable(results: readonly LagResult[]): string {
  const rows = results.map((r) => [
    formatNumber(r.targetPerSec),
    formatNumber(r.offeredPerSec),
    formatNumber(r.opsPerSec),
    formatNumber(r.p50Ms, 2),
    formatNumber(r.p99Ms, 2),
    formatNumber(r.lagP50Ms, 1),
    formatNumber(r.lagP99Ms, 1),
    formatNumber(r.lagMaxMs, 1),
    formatNumber(r.lagSamples),
    r.exact ? 'yes' : 'NO',
  ]);
  return markdownTable(LAG_HEADER, rows, right(LAG_HEADER));
}
