import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from './report';

/** Values a result row may carry beyond the common columns. */
export type Detail = Readonly<Record<string, string | number | boolean | null>>;

/**
 * One row of `bench/results/latest.json`: every module reports its cells in this shape, so
 * one run can be compared across systems. Fields a system has no notion of are null.
 */
export interface ScenarioResult {
  /** The scenario, e.g. "hot-counter" or "append/new-streams/w64". */
  name: string;
  /** The system driven, e.g. "atomic-update" or "tally". */
  system: string;
  opsPerSec: number;
  /** Acknowledged updates missing from the final count (null: not applicable). */
  lost: number | null;
  /** Units sold beyond the stock (null: not an inventory scenario). */
  oversold: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Acknowledged → visible in the read model, 99th percentile (null: no read model). */
  lagP99Ms: number | null;
  detail?: Detail;
}

/** Rounds a latency to microseconds, keeping null. */
export const ms = (value: number | null): number | null =>
  value === null || !Number.isFinite(value) ? null : Number(value.toFixed(3));

const numberOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/**
 * The scenarios of `bench/results/<module>.json` in the common shape, when the module wrote
 * it during this run (written at or after `since`, ms since the epoch); else none.
 */
export async function resultsOfFile(module: string, since: number): Promise<ScenarioResult[]> {
  const path = join(await repoRoot(), 'bench', 'results', `${module}.json`);
  const info = await stat(path).catch(() => undefined);
  if (!info || info.mtimeMs < since) return [];
  const parsed = JSON.parse(await readFile(path, 'utf8')) as { scenarios?: unknown };
  if (!Array.isArray(parsed.scenarios)) return [];
  const common = new Set([
    'name',
    'system',
    'opsPerSec',
    'lost',
    'oversold',
    'p50Ms',
    'p99Ms',
    'lagP99Ms',
  ]);
  return parsed.scenarios.flatMap((entry: unknown): ScenarioResult[] => {
    if (typeof entry !== 'object' || entry === null) return [];
    const record = entry as Record<string, unknown>;
    const opsPerSec = numberOrNull(record.opsPerSec);
    if (typeof record.name !== 'string' || opsPerSec === null) return [];
    const detail: Record<string, string | number | boolean | null> = {};
    for (const [key, value] of Object.entries(record)) {
      if (common.has(key)) continue;
      if (value === null || ['string', 'number', 'boolean'].includes(typeof value))
        detail[key] = value as string | number | boolean | null;
    }
    return [
      {
        name: record.name,
        system: typeof record.system === 'string' ? record.system : module,
        opsPerSec,
        lost: numberOrNull(record.lost),
        oversold: numberOrNull(record.oversold),
        p50Ms: numberOrNull(record.p50Ms),
        p99Ms: numberOrNull(record.p99Ms),
        lagP99Ms: numberOrNull(record.lagP99Ms),
        detail,
      },
    ];
  });
}
