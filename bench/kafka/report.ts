import type { Align } from '../lib/report';
import { formatNumber, markdownTable } from '../lib/report';

export interface KafkaResult {
  /** The scenario and the number of projector processes, e.g. "kafka/max-rate/2-projectors". */
  name: string;
  system: 'relay+kafka+projector-processes';
  projectors: number;
  /** The offered rate (null: as fast as MAX_RATE_CLIENTS closed loops go). */
  targetPerSec: number | null;
  /** Commands accepted inside the window, per second. */
  opsPerSec: number;
  /** Events applied to the read tables inside the window, per second. */
  appliedPerSec: number;
  p50Ms: null;
  p99Ms: null;
  /** Acknowledged → visible in the read tables. */
  lagP50Ms: number | null;
  lagP99Ms: number | null;
  lagMaxMs: number | null;
  lagSamples: number;
  backlog: number;
  drainPerSec: number | null;
  accepted: number;
  lost: number;
  exact: boolean;
}

const HEADER = [
  'Load',
  'projector processes',
  'accepted cmd/s',
  'events/s into read tables',
  'lag p50 ms',
  'lag p99 ms',
  'lag max ms',
  'backlog at stop',
  'drain events/s',
  'exact',
];

export function kafkaTable(results: readonly KafkaResult[]): string {
  const rows = results.map((r) => [
    r.targetPerSec === null ? 'max' : `${formatNumber(r.targetPerSec)}/s`,
    String(r.projectors),
    formatNumber(r.opsPerSec),
    formatNumber(r.appliedPerSec),
    formatNumber(r.lagP50Ms, 1),
    formatNumber(r.lagP99Ms, 1),
    formatNumber(r.lagMaxMs, 1),
    formatNumber(r.backlog),
    formatNumber(r.drainPerSec),
    r.exact ? 'yes' : 'NO',
  ]);
  const align: Align[] = HEADER.map((_, i): Align => (i === 0 ? 'left' : 'right'));
  return markdownTable(HEADER, rows, align);
}
