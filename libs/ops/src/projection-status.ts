import { NAMED_CHECKPOINTS_SQL } from '@tally/projections';
import type { Pool } from 'pg';
import { HEAD_CTE, lagEventsSql } from './log-lag.sql';

export type ProjectionState = 'live' | 'catching_up' | 'stalled' | 'rebuilding';

export interface RebuildState {
  rebuildId: string;
  status: 'running' | 'completed' | 'failed';
  position: string;
  processed: number;
  total: number;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
  error: string | null;
}

export interface ProjectionStatus {
  name: string;
  position: string;
  headPosition: string;
  lagEvents: number;
  lagSeconds: number;
  status: ProjectionState;
  /** Events parked (not folded: malformed, or the fold threw) and not yet retried or discarded. */
  parkedEvents: number;
  /** Events ever parked, retried and discarded ones included. */
  parkedEventsTotal: number;
  /** The latest rebuild of this projection, if any ran. */
  rebuild: RebuildState | null;
}

/** A projection that lags and has not committed for this long is reported stalled. */
const STALLED_AFTER_SECONDS = 30;

interface StatusRow {
  name: string;
  position: string;
  head: string;
  lag_events: string;
  lag_seconds: number | null;
  idle_seconds: number | null;
  parked: string;
  parked_total: string | null;
  rebuild_id: string | null;
  rebuild_status: RebuildState['status'] | null;
  rebuild_position: string | null;
  processed: string | null;
  total: string | null;
  started_at: Date | null;
  updated_at: Date | null;
  finished_at: Date | null;
  error: string | null;
}

/**
 * Where each projection stands against the head of the log, in one statement: lag in events
 * (counted on the position index) and in seconds (age of the oldest event not yet folded).
 */
export async function readProjectionStatus(
  pool: Pool,
  names: readonly string[],
): Promise<ProjectionStatus[]> {
  const { rows } = await pool.query<StatusRow>(
    `WITH ${HEAD_CTE}, p AS (
       ${NAMED_CHECKPOINTS_SQL}
     )
     SELECT p.name, p.position, head.head,
            ${lagEventsSql('p.position')} AS lag_events,
            (SELECT extract(epoch FROM now() - e.recorded_at)::float8 FROM tally_events e
              WHERE e.position > p.position AND e.position <= head.head
              ORDER BY e.position LIMIT 1) AS lag_seconds,
            extract(epoch FROM now() - p.updated_at)::float8 AS idle_seconds,
            (SELECT count(*) FROM tally_parked_events pe WHERE pe.projection = p.name) AS parked,
            (SELECT t.parked FROM tally_parked_totals t WHERE t.projection = p.name) AS parked_total,
            r.rebuild_id, r.status AS rebuild_status, r.position AS rebuild_position, r.processed,
            r.total, r.started_at, r.updated_at, r.finished_at, r.error
       FROM p CROSS JOIN head
       LEFT JOIN LATERAL (
         SELECT * FROM tally_projection_rebuilds r WHERE r.name = p.name
          ORDER BY r.started_at DESC LIMIT 1
       ) r ON true`,
    [names],
  );
  return rows.map(toStatus);
}

function toStatus(row: StatusRow): ProjectionStatus {
  const lagEvents = Number(row.lag_events);
  const lagSeconds = lagEvents > 0 ? Math.max(0, Number(row.lag_seconds ?? 0)) : 0;
  const rebuild: RebuildState | null =
    row.rebuild_id === null
      ? null
      : {
          rebuildId: row.rebuild_id,
          status: row.rebuild_status ?? 'failed',
          position: row.rebuild_position ?? '0',
          processed: Number(row.processed ?? 0),
          total: Number(row.total ?? 0),
          startedAt: (row.started_at ?? new Date(0)).toISOString(),
          updatedAt: (row.updated_at ?? new Date(0)).toISOString(),
          finishedAt: row.finished_at?.toISOString() ?? null,
          error: row.error,
        };
  let status: ProjectionState = 'live';
  if (rebuild?.status === 'running') status = 'rebuilding';
  else if (lagEvents > 0)
    status = (row.idle_seconds ?? 0) > STALLED_AFTER_SECONDS ? 'stalled' : 'catching_up';
  return {
    name: row.name,
    position: row.position,
    headPosition: row.head,
    lagEvents,
    lagSeconds: Math.round(lagSeconds * 1000) / 1000,
    status,
    parkedEvents: Number(row.parked),
    parkedEventsTotal: Number(row.parked_total ?? 0),
    rebuild,
  };
}
