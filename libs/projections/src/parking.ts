import type { FoldEvent } from '@tally/event-store';
import type { PoolClient } from 'pg';
import { isDatabaseUnavailable } from '@tally/infra';
import type { Projection, ProjectionChange, TableNames } from './projection';

/** An event a projection does not fold, and why. */
export interface PoisonEvent {
  event: FoldEvent;
  error: string;
}

export interface FoldOutcome {
  changes: ProjectionChange[];
  /** The events folded, in log order. */
  folded: FoldEvent[];
  /** The events parked instead (in tally_parked_events). */
  parked: PoisonEvent[];
}

/**
 * SQLSTATE classes that say nothing about the event: the connection, the transaction, the
 * server or the schema failed (08, 25, 40, 53, 55, 57, 58, 42, 3D/3F, XX). The batch is then
 * retried as a whole, never parked. Data (22) and constraint (23) errors, and errors thrown by
 * the fold's own code, belong to the event.
 */
const INFRASTRUCTURE = /^(08|25|40|53|55|57|58|42|3D|3F|XX)/;

export function isInfrastructureError(error: unknown): boolean {
  // A lost connection often has no SQLSTATE (ECONNRESET, "Connection terminated").
  if (isDatabaseUnavailable(error)) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && INFRASTRUCTURE.test(code);
}

const describe = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** Why `projection` will not fold `event`, undefined when its shape is right. */
export function shapeProblem(projection: Projection, event: FoldEvent): string | undefined {
  const problem = projection.eventProblem(event);
  return problem === undefined ? undefined : `malformed ${event.type}: ${problem}`;
}

/**
 * Runs `work` behind a savepoint of the open transaction: when it throws for the event's
 * sake, the savepoint is rolled back and the error returned; an infrastructure error (or a
 * transaction that cannot roll back to the savepoint) is thrown, failing the whole batch.
 */
export async function attempt<T>(
  client: PoolClient,
  work: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  await client.query('SAVEPOINT tally_fold');
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (isInfrastructureError(error)) throw error;
    await client.query('ROLLBACK TO SAVEPOINT tally_fold').catch(() => {
      throw error;
    });
    return { ok: false, error };
  }
}

/**
 * Folds `events` with `projection` inside the open transaction of `client`, exactly once
 * each, parking what it cannot fold: an event of the wrong shape is never folded; when the
 * batch's fold throws, the batch is applied again one event at a time (each behind a
 * savepoint) and the events whose fold throws are parked. The caller's checkpoint then moves
 * past all of them in the same transaction. The one parking routine of log and Kafka mode.
 */
export async function foldOrPark(
  client: PoolClient,
  projection: Projection,
  events: readonly FoldEvent[],
  tables: TableNames<string> = projection.tables,
): Promise<FoldOutcome> {
  const parked: PoisonEvent[] = [];
  const good: FoldEvent[] = [];
  for (const event of events) {
    const problem = shapeProblem(projection, event);
    if (problem === undefined) good.push(event);
    else parked.push({ event, error: problem });
  }
  let outcome = { changes: [] as ProjectionChange[], folded: good };
  if (good.length > 0) {
    const batch = await attempt(client, () => projection.apply(client, good, tables));
    if (batch.ok) outcome.changes = batch.value;
    else outcome = await foldOneByOne(client, projection, good, tables, parked);
  }
  if (parked.length > 0) {
    await park(client, projection.name, parked);
    parked.sort((a, b) => (a.event.position < b.event.position ? -1 : 1));
  }
  return { ...outcome, parked };
}

async function foldOneByOne(
  client: PoolClient,
  projection: Projection,
  events: readonly FoldEvent[],
  tables: TableNames<string>,
  parked: PoisonEvent[],
): Promise<{ changes: ProjectionChange[]; folded: FoldEvent[] }> {
  const changes: ProjectionChange[] = [];
  const folded: FoldEvent[] = [];
  for (const event of events) {
    const one = await attempt(client, () => projection.apply(client, [event], tables));
    if (one.ok) {
      changes.push(...one.value);
      folded.push(event);
    } else parked.push({ event, error: `fold failed: ${describe(one.error)}` });
  }
  return { changes, folded };
}

/** Records parked events (one already parked stays as it is) and counts the new ones. */
async function park(
  client: PoolClient,
  projection: string,
  poison: readonly PoisonEvent[],
): Promise<void> {
  await client.query(
    `WITH parked AS (
       INSERT INTO tally_parked_events (projection, position, stream_id, revision, type, error)
       SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[])
       ON CONFLICT (projection, position) DO NOTHING RETURNING 1)
     INSERT INTO tally_parked_totals AS t (projection, parked)
     SELECT $1, count(*) FROM parked HAVING count(*) > 0
     ON CONFLICT (projection) DO UPDATE SET parked = t.parked + EXCLUDED.parked`,
    [
      projection,
      poison.map((p) => p.event.position.toString()),
      poison.map((p) => p.event.streamId),
      poison.map((p) => p.event.revision),
      poison.map((p) => p.event.type),
      poison.map((p) => p.error),
    ],
  );
}
