import type { Pool, PoolClient } from 'pg';
import type {
  AppendOptions,
  AppendResult,
  ExpectedRevision,
  NewEvent,
  StreamCondition,
} from '../event-store.port';
import {
  appendConditions,
  assertExpectedRevision,
  assertStreamId,
  serialiseEvents,
} from '../event-validation';
import {
  APPEND_SQL,
  LOCK_STREAMS_SQL,
  appendResult,
  encodeConditions,
  encodeExpected,
  type AppendRow,
} from './append-sql';

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** One append in the caller's transaction (or alone on a pool): tally_append. */
export async function appendInTransaction(
  db: Queryable,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
  options?: AppendOptions,
): Promise<AppendResult> {
  assertStreamId(streamId);
  assertExpectedRevision(expected);
  const conditions = appendConditions(streamId, options);
  const payload = serialiseEvents(events);
  const { rows } = await db.query<AppendRow>({
    name: 'tally_append',
    text: APPEND_SQL,
    values: [streamId, encodeExpected(expected), payload, ...encodeConditions(conditions)],
  });
  const row = rows[0];
  if (!row) throw new Error('tally_append returned no row');
  return appendResult(streamId, expected, conditions, row);
}

/** tally_lock_streams: exclusive on `streams`, shared on the contexts' streams. */
export async function lockStreams(
  db: Queryable,
  streams: readonly string[],
  contexts: readonly (StreamCondition | string)[],
): Promise<void> {
  const shared = contexts.map((c) => (typeof c === 'string' ? c : c.streamId));
  for (const id of [...streams, ...shared]) assertStreamId(id);
  await db.query({
    name: 'tally_lock_streams',
    text: LOCK_STREAMS_SQL,
    values: [[...streams], shared],
  });
}
