import type { Pool } from 'pg';
import type {
  CountEventsOptions,
  EventCount,
  ReadBackwardsOptions,
  RecordedEvent,
} from '../event-store.port';
import {
  EVENT_COLUMNS,
  EVENT_TYPES,
  FOLD_COLUMNS,
  toRecordedEvent,
  type EventRow,
} from './row-mapping';

/** A page of the log after $1, at most $2 events, of types $3 (null: all), with the head. */
const pageSql = (name: string, columns: string): { name: string; text: string } => ({
  name,
  text: `WITH b AS MATERIALIZED (SELECT tally_visible_bound() AS bound)
         SELECT h.head, e.* FROM b
          CROSS JOIN LATERAL (SELECT max(position) AS head FROM tally_events
                               WHERE position < b.bound) h
           LEFT JOIN LATERAL (SELECT ${columns} FROM tally_events
                               WHERE position > $1 AND position < b.bound
                                 AND ($3::text[] IS NULL OR type = ANY ($3::text[]))
                               ORDER BY position LIMIT $2) e ON true
          ORDER BY e.position`,
});
export const PAGE_SQL = pageSql('tally_read_page', EVENT_COLUMNS);
export const FOLD_PAGE_SQL = pageSql('tally_read_fold_page', FOLD_COLUMNS);

/** Events after `fromPosition` below the visibility bound, in log order. */
export async function readAllFrom(
  pool: Pool,
  fromPosition: bigint,
  limit: number,
): Promise<RecordedEvent[]> {
  const { rows } = await pool.query<EventRow>({
    name: 'tally_read_all',
    types: EVENT_TYPES,
    text: `SELECT ${EVENT_COLUMNS} FROM tally_events
            WHERE position > $1 AND position < tally_visible_bound()
            ORDER BY position LIMIT $2`,
    values: [fromPosition.toString(), limit],
  });
  return rows.map(toRecordedEvent);
}

/** Events in ($1, $2] (below the visibility bound) of types $3 (null: all). */
const STRETCH = `position > $1 AND position <= $2 AND position < tally_visible_bound()
                 AND ($3::text[] IS NULL OR type = ANY ($3::text[]))`;

/**
 * The count on the position index (at most $4 rows, null: all) and the first event's time,
 * in one statement: the same two scans the lag query made before it went through the port.
 */
const COUNT_SQL = `SELECT (SELECT count(*) FROM (SELECT 1 FROM tally_events WHERE ${STRETCH} LIMIT $4) c) AS n,
       f.position, (date_part('epoch', date_trunc('milliseconds', f.recorded_at)) * 1000)::int8 AS recorded_at
  FROM (SELECT 1) one
  LEFT JOIN LATERAL (SELECT position, recorded_at FROM tally_events WHERE ${STRETCH}
                      ORDER BY position LIMIT 1) f ON true`;

/** See EventStore.countEvents. */
export async function countEvents(
  pool: Pool,
  after: bigint,
  through: bigint,
  options: CountEventsOptions,
): Promise<EventCount> {
  if (through <= after) return { events: 0, capped: false };
  const limit = options.limit;
  const { rows } = await pool.query<{ n: string; position: string | null; recorded_at: string }>(
    COUNT_SQL,
    [
      after.toString(),
      through.toString(),
      options.types === undefined ? null : [...options.types],
      // One more than the limit tells "exactly the limit" from "more".
      limit === undefined ? null : limit + 1,
    ],
  );
  const row = rows[0];
  const counted = Number(row?.n ?? 0);
  const capped = limit !== undefined && counted > limit;
  return {
    events: capped ? limit : counted,
    capped,
    ...(row?.position
      ? { first: { position: BigInt(row.position), recordedAt: new Date(Number(row.recorded_at)) } }
      : {}),
  };
}

/** Newest first, on the position index (one stream: on its revision index). */
export async function readBackwards(
  pool: Pool,
  through: bigint,
  limit: number,
  options: ReadBackwardsOptions,
): Promise<RecordedEvent[]> {
  const bounded = 'position <= $1 AND position < tally_visible_bound()';
  const query =
    options.streamId === undefined
      ? {
          name: 'tally_read_backwards',
          text: `SELECT ${EVENT_COLUMNS} FROM tally_events WHERE ${bounded}
                  ORDER BY position DESC LIMIT $2`,
          values: [through.toString(), limit],
        }
      : {
          name: 'tally_read_stream_backwards',
          text: `SELECT ${EVENT_COLUMNS} FROM tally_events WHERE stream_id = $3 AND ${bounded}
                  ORDER BY revision DESC LIMIT $2`,
          values: [through.toString(), limit, options.streamId],
        };
  const { rows } = await pool.query<EventRow>({ ...query, types: EVENT_TYPES });
  return rows.map(toRecordedEvent);
}
