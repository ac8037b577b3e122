import type { EventStore, FoldEvent } from '@tally/event-store';
import { inTransaction } from '@tally/infra';
import type { Pool, PoolClient } from 'pg';
import { lockCheckpoint } from './checkpoints';
import { attempt, shapeProblem } from './parking';
import type { Projection } from './projection';

type Db = Pool | PoolClient;

/** A row of tally_parked_events. */
export interface ParkedEvent {
  projection: string;
  position: string;
  streamId: string;
  revision: number;
  type: string;
  error: string;
  firstSeen: string;
  attempts: number;
  lastTried: string;
}

interface ParkedRow {
  projection: string;
  position: string;
  stream_id: string;
  revision: string;
  type: string;
  error: string;
  first_seen: Date;
  attempts: number;
  last_tried: Date;
}

const toParked = (row: ParkedRow): ParkedEvent => ({
  projection: row.projection,
  position: row.position,
  streamId: row.stream_id,
  revision: Number(row.revision),
  type: row.type,
  error: row.error,
  firstSeen: row.first_seen.toISOString(),
  attempts: row.attempts,
  lastTried: row.last_tried.toISOString(),
});

/** Which parked events an operation takes: all of a projection's, or the one at `position`. */
export interface ParkedSelection {
  projection: string;
  position?: bigint;
}

const where = ({ projection, position }: ParkedSelection): [string, unknown[]] =>
  position === undefined
    ? ['projection = $1', [projection]]
    : ['projection = $1 AND position = $2', [projection, position.toString()]];

/** The parked events of one projection, or of all, in log order. */
export async function listParked(db: Db, projection?: string): Promise<ParkedEvent[]> {
  const { rows } = await db.query<ParkedRow>(
    `SELECT * FROM tally_parked_events WHERE $1::text IS NULL OR projection = $1
      ORDER BY projection, position`,
    [projection ?? null],
  );
  return rows.map(toParked);
}

export interface RetryResult {
  /** Positions folded into the live tables and removed from the parked events. */
  folded: string[];
  /** What is still parked, with its new error and attempt count. */
  stillParked: ParkedEvent[];
}

/**
 * Checks and folds parked events again, into the live tables, in one transaction that holds
 * the projection's checkpoint row (a projector's batch waits meanwhile): each is read from
 * the log anew (an operator may have repaired it), checked, and folded behind a savepoint.
 * Folded → removed from the parked events; failing again → stays, with attempts + 1 and the
 * new error.
 */
export async function retryParked(options: {
  pool: Pool;
  store: EventStore;
  projection: Projection;
  position?: bigint;
}): Promise<RetryResult> {
  const { pool, store, projection } = options;
  const [condition, params] = where({ projection: projection.name, position: options.position });
  return inTransaction(pool, async (client) => {
    await lockCheckpoint(client, projection.name);
    const { rows } = await client.query<ParkedRow>(
      `SELECT * FROM tally_parked_events WHERE ${condition} ORDER BY position FOR UPDATE`,
      params,
    );
    const result: RetryResult = { folded: [], stillParked: [] };
    for (const row of rows) {
      const error = await retryOne(client, store, projection, BigInt(row.position));
      if (error === undefined) {
        await client.query(
          'DELETE FROM tally_parked_events WHERE projection = $1 AND position = $2',
          [projection.name, row.position],
        );
        result.folded.push(row.position);
        continue;
      }
      const { rows: updated } = await client.query<ParkedRow>(
        `UPDATE tally_parked_events SET attempts = attempts + 1, error = $3, last_tried = now()
          WHERE projection = $1 AND position = $2 RETURNING *`,
        [projection.name, row.position, error],
      );
      result.stillParked.push(...updated.map(toParked));
    }
    return result;
  });
}

/** Folds the event at `position`; returns why it could not. */
async function retryOne(
  client: PoolClient,
  store: EventStore,
  projection: Projection,
  position: bigint,
): Promise<string | undefined> {
  const [event] = await store.readAll(position - 1n, 1);
  if (!event || event.position !== position) return `event ${position} is not in the log`;
  const folding: FoldEvent = event;
  const problem = shapeProblem(projection, folding);
  if (problem !== undefined) return problem;
  const folded = await attempt(client, () =>
    projection.apply(client, [folding], projection.tables),
  );
  if (folded.ok) return undefined;
  return `fold failed: ${folded.error instanceof Error ? folded.error.message : String(folded.error)}`;
}

/** Removes parked events without folding them; returns the positions removed. */
export async function discardParked(db: Db, selection: ParkedSelection): Promise<string[]> {
  const [condition, params] = where(selection);
  const { rows } = await db.query<{ position: string }>(
    `DELETE FROM tally_parked_events WHERE ${condition} RETURNING position`,
    params,
  );
  return rows.map((row) => row.position).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
}
