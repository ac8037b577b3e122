import type { Pool, PoolClient } from 'pg';

/**
 * Every statement on tally_projection_checkpoints: one row per projection, the position up
 * to which its tables hold the log. Writers (projectors, the Kafka projector, the rebuild's
 * swap) move it only forward inside the transaction that wrote the tables; readers (the
 * API's queries, read-your-writes, the ops status) read it with the rows it describes.
 */
type Db = Pool | PoolClient;

/** Creates the rows (at 0) of the projections that have none yet. */
export async function ensureCheckpoints(db: Db, names: readonly string[]): Promise<void> {
  await db.query(
    `INSERT INTO tally_projection_checkpoints (name) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`,
    [names],
  );
}

/** The stored checkpoints of `names`, or of every projection when none are given. */
export async function readCheckpoints(
  db: Db,
  names?: readonly string[],
): Promise<Map<string, bigint>> {
  const { rows } =
    names === undefined
      ? await db.query<{ name: string; position: string }>(
          'SELECT name, position FROM tally_projection_checkpoints',
        )
      : await db.query<{ name: string; position: string }>(
          'SELECT name, position FROM tally_projection_checkpoints WHERE name = ANY($1)',
          [names],
        );
  return new Map(rows.map((row) => [row.name, BigInt(row.position)]));
}

/** A checkpoint expected at `from`, to be moved to `to`. */
export interface CheckpointMove {
  name: string;
  from: bigint;
  to: bigint;
  /** Events of the projection taken in the move (folded or parked), for its rate. */
  events?: number;
}

/**
 * Time constant (s) of each projection's events-per-second figure: an exponentially
 * weighted average kept in its checkpoint row (rate, rate_at), so that every process (API,
 * CLI) reads the same figure whichever process folds, at no cost beyond the checkpoint's
 * own update. Like the load average: a projection idle for a minute shows 37 % of its last
 * rate, for five minutes under 1 %.
 */
export const RATE_WINDOW_SECONDS = 60;

/** e^(-age/window) of a timestamp column; capped, as exp() of a large negative throws. */
const decaySince = (column: string): string =>
  `exp(-least(greatest(extract(epoch FROM now() - ${column}), 0) / ${RATE_WINDOW_SECONDS}, 50))`;

/** SET items of an UPDATE of tally_projection_checkpoints: `events` (SQL) taken now. */
const foldedRateSql = (events: string): string =>
  `rate = rate * ${decaySince('rate_at')} + ${events}::float8 / ${RATE_WINDOW_SECONDS}, rate_at = now()`;

/**
 * Events per second of the checkpoint row `c`, decayed to now; divided by the weight the
 * average has had time to gather since the row was created (rate_since), so that a steady
 * rate shows at its value from the start rather than ramping up over minutes.
 */
export const EVENTS_PER_SECOND_SQL = `c.rate * ${decaySince('c.rate_at')}
  / (1 - exp(-greatest(extract(epoch FROM now() - c.rate_since), 1) / ${RATE_WINDOW_SECONDS}))`;

/** Another projector advanced this projection: re-read the checkpoint and carry on from there. */
export class CheckpointMoved extends Error {
  constructor(name: string) {
    super(`checkpoint of ${name} moved under this projector`);
  }
}

/**
 * Opens a transaction on `client` and compares-and-advances the checkpoint in the same round
 * trip: the row stays locked until the transaction ends. Throws CheckpointMoved (the
 * transaction is then open: roll it back) when the checkpoint is no longer at `move.from`.
 * For inTransaction's `begin`.
 */
export async function beginAdvancing(
  client: PoolClient,
  move: CheckpointMove,
  options: { synchronousCommit?: boolean } = {},
): Promise<void> {
  // Literals, not parameters: a multi-statement query takes none. Positions are bigints.
  const commitMode = options.synchronousCommit ? '' : 'SET LOCAL synchronous_commit TO off;';
  const opened = await client.query(
    `BEGIN; ${commitMode}
         UPDATE tally_projection_checkpoints SET position = ${move.to}, updated_at = now(),
                ${foldedRateSql(String(Math.trunc(move.events ?? 0)))}
          WHERE name = ${client.escapeLiteral(move.name)} AND position = ${move.from}`,
  );
  if (updatedRows(opened) !== 1) throw new CheckpointMoved(move.name);
}

function updatedRows(result: unknown): number {
  // A multi-statement query answers with one result per statement.
  const results = Array.isArray(result) ? result : [result];
  const update = results[results.length - 1] as { rowCount?: number | null } | undefined;
  return update?.rowCount ?? 0;
}

/**
 * Moves the checkpoints of projections that read past their stored one without a batch of
 * their own, all in one statement and without a transaction: a row moves only forward and
 * only while no other process moved it past `from`. Returns the positions written.
 */
export async function advanceIdle(
  db: Db,
  moves: readonly CheckpointMove[],
): Promise<Map<string, bigint>> {
  if (moves.length === 0) return new Map();
  const { rows } = await db.query<{ name: string; position: string }>(
    `UPDATE tally_projection_checkpoints c SET position = u.position, updated_at = now()
         FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS u(name, position, stored)
        WHERE c.name = u.name AND c.position >= u.stored AND c.position < u.position
        RETURNING c.name, c.position`,
    [
      moves.map((m) => m.name),
      moves.map((m) => m.to.toString()),
      moves.map((m) => m.from.toString()),
    ],
  );
  return new Map(rows.map((row) => [row.name, BigInt(row.position)]));
}

/**
 * Locks the checkpoint row until the transaction of `client` ends (a projector committing
 * a batch then waits) and returns its position, 0 when there is no row.
 */
export async function lockCheckpoint(client: PoolClient, name: string): Promise<bigint> {
  const { rows } = await client.query<{ position: string }>(
    'SELECT position FROM tally_projection_checkpoints WHERE name = $1 FOR UPDATE',
    [name],
  );
  return BigInt(rows[0]?.position ?? 0);
}

/** Sets the checkpoint, creating its row if need be: the rebuild's swap, a benchmark's reset. */
export async function setCheckpoint(db: Db, name: string, position: bigint): Promise<void> {
  await db.query(
    `INSERT INTO tally_projection_checkpoints (name, position) VALUES ($1, $2)
           ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
    [name, position.toString()],
  );
}

export interface GroupWatermark {
  groupId: string;
  topic: string;
  /** The projections the group folds. */
  names: readonly string[];
  /** How many partitions the topic has: the watermark holds once each reported one. */
  partitions: number;
}

/**
 * Kafka mode: moves the checkpoints of `names` to the lowest watermark the group stored over
 * all partitions (tally_kafka_offsets), in the transaction of `client`.
 */
export async function advanceToGroupWatermark(
  client: PoolClient,
  { groupId, topic, names, partitions }: GroupWatermark,
): Promise<void> {
  // One lock order for every member of the group, so two partitions' commits cannot deadlock.
  await client.query(
    'SELECT 1 FROM tally_projection_checkpoints WHERE name = ANY($1) ORDER BY name FOR UPDATE',
    [names],
  );
  await client.query(
    `UPDATE tally_projection_checkpoints c SET position = w.low, updated_at = now()
         FROM (SELECT min(watermark) AS low, count(*) AS n FROM tally_kafka_offsets
                WHERE group_id = $1 AND topic = $2) w
        WHERE c.name = ANY($3) AND w.n >= $4 AND w.low > c.position`,
    [groupId, topic, names, partitions],
  );
}

/**
 * Kafka mode: adds the events each projection took in a committed batch to its rate (its
 * own statement after the batch's commit, so that partitions' batches do not queue on the
 * checkpoint rows).
 */
export async function recordTaken(db: Db, taken: ReadonlyMap<string, number>): Promise<void> {
  if (taken.size === 0) return;
  await db.query(
    `UPDATE tally_projection_checkpoints SET ${foldedRateSql('u.n')}
       FROM unnest($1::text[], $2::int[]) AS u(name, n)
      WHERE tally_projection_checkpoints.name = u.name`,
    [[...taken.keys()], [...taken.values()]],
  );
}

/**
 * The checkpoints of the projections named in `$1` (text[]) as a relation, in that order,
 * with position 0 (and updated_at null) where no row exists yet: columns name, position,
 * updated_at, events_per_second. For statements that join the checkpoints with the log
 * (lag, status).
 */
export const NAMED_CHECKPOINTS_SQL = `SELECT n.name, coalesce(c.position, 0) AS position, c.updated_at,
              coalesce(${EVENTS_PER_SECOND_SQL}, 0) AS events_per_second
         FROM unnest($1::text[]) WITH ORDINALITY AS n(name, ord)
         LEFT JOIN tally_projection_checkpoints c ON c.name = n.name
        ORDER BY n.ord`;

/**
 * Runs `sql` (whose own parameters start at $2) in the same statement as the read of the
 * projection's checkpoint, so the rows and the position they are served at share a snapshot.
 * No rows when the projection has no checkpoint row yet.
 */
export async function readAtCheckpoint<Row extends object>(
  db: Db,
  projection: string,
  sql: string,
  params: readonly unknown[],
): Promise<{ rows: Row[]; position: string }> {
  const { rows } = await db.query<Row & { checkpoint: string }>(
    `SELECT c.position AS checkpoint, q.* FROM tally_projection_checkpoints c
       LEFT JOIN LATERAL (${sql}) q ON true WHERE c.name = $1`,
    [projection, ...params],
  );
  const position = rows[0]?.checkpoint ?? '0';
  // Without data the lateral join still yields one row of nulls: keep only real rows.
  const data = rows.filter((row) =>
    Object.entries(row).some(([key, value]) => key !== 'checkpoint' && value !== null),
  );
  return { rows: data, position };
}
