import type { EventCount, EventStore } from '@tally/event-store';
import { NAMED_CHECKPOINTS_SQL, type Projection } from '@tally/projections';
import type { Pool } from 'pg';

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
  /**
   * Events of the projection's types in the log past its checkpoint (other events do not
   * wait for it). At least this many when the store capped the count (EventStoreDB: 100,000).
   */
  lagEvents: number;
  /** Age of the oldest of them, 0 when none. */
  lagSeconds: number;
  status: ProjectionState;
  /**
   * Events of its types the projection took (folded or parked) per second, averaged over
   * about the last minute (exponentially weighted, see RATE_WINDOW_SECONDS), whichever
   * process folded them.
   */
  eventsPerSecond: number;
  /** Events parked (not folded: malformed, or the fold threw) and not yet retried or discarded. */
  parkedEvents: number;
  /** Events ever parked, retried and discarded ones included. */
  parkedEventsTotal: number;
  /** The latest rebuild of this projection, if any ran. */
  rebuild: RebuildState | null;
}

/** Only its name and the event types it reads matter to its status. */
export type ProjectionRef = Pick<Projection, 'name' | 'eventTypes'>;

/**
 * A projection is `live` while the oldest event of its types it has not folded is at most
 * this old and at most LIVE_MAX_LAG_EVENTS of them wait: under a steady load, events are
 * always a batch or two behind, which is live, not catching up.
 */
export const LIVE_MAX_LAG_SECONDS = 2;
export const LIVE_MAX_LAG_EVENTS = 10_000;
/** A projection beyond those bounds whose checkpoint has not moved for this long is `stalled`. */
export const STALLED_AFTER_SECONDS = 30;

interface StatusRow {
  name: string;
  position: string;
  idle_seconds: number | null;
  events_per_second: number;
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
 * Where each projection stands against the head of the log: checkpoints and rebuilds in one
 * statement, the head and each projection's lag from the store (one count per projection, of
 * its own event types): lag in events and in seconds (age of the oldest event not yet folded).
 */
export async function readProjectionStatus(
  pool: Pool,
  store: EventStore,
  projections: readonly ProjectionRef[],
): Promise<ProjectionStatus[]> {
  const names = projections.map((p) => p.name);
  const [{ rows }, head] = await Promise.all([
    pool.query<StatusRow>(
      `WITH p AS (
         ${NAMED_CHECKPOINTS_SQL}
       )
       SELECT p.name, p.position, p.events_per_second,
              extract(epoch FROM now() - p.updated_at)::float8 AS idle_seconds,
              (SELECT count(*) FROM tally_parked_events pe WHERE pe.projection = p.name) AS parked,
              (SELECT t.parked FROM tally_parked_totals t WHERE t.projection = p.name) AS parked_total,
              r.rebuild_id, r.status AS rebuild_status, r.position AS rebuild_position, r.processed,
              r.total, r.started_at, r.updated_at, r.finished_at, r.error
         FROM p
         LEFT JOIN LATERAL (
           SELECT * FROM tally_projection_rebuilds r WHERE r.name = p.name
            ORDER BY r.started_at DESC LIMIT 1
         ) r ON true`,
      [names],
    ),
    store.headPosition(),
  ]);
  const types = new Map(projections.map((p) => [p.name, p.eventTypes]));
  const lags = await Promise.all(
    rows.map((row) =>
      store.countEvents(BigInt(row.position), head, { types: types.get(row.name) ?? [] }),
    ),
  );
  const now = Date.now();
  return rows.map((row, index) => toStatus(row, head, lags[index]!, now));
}

function toStatus(row: StatusRow, head: bigint, lag: EventCount, now: number): ProjectionStatus {
  const lagEvents = lag.events;
  const lagSeconds =
    lagEvents > 0 && lag.first ? Math.max(0, (now - lag.first.recordedAt.getTime()) / 1000) : 0;
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
  else if (lagSeconds > LIVE_MAX_LAG_SECONDS || lagEvents > LIVE_MAX_LAG_EVENTS)
    status = (row.idle_seconds ?? 0) > STALLED_AFTER_SECONDS ? 'stalled' : 'catching_up';
  return {
    name: row.name,
    position: row.position,
    headPosition: head.toString(),
    lagEvents,
    lagSeconds: Math.round(lagSeconds * 1000) / 1000,
    status,
    eventsPerSecond: Math.round(row.events_per_second * 10) / 10,
    parkedEvents: Number(row.parked),
    parkedEventsTotal: Number(row.parked_total ?? 0),
    rebuild,
  };
}
