import { ContextStreamMoved, WrongExpectedRevision } from '../errors';
import type { AppendResult, ExpectedRevision, StreamCondition } from '../event-store.port';

/** The append function's encoding of an expected revision. */
export function encodeExpected(expected: ExpectedRevision): number {
  switch (expected) {
    case 'no_stream':
      return -1;
    case 'any':
      return -2;
    case 'stream_exists':
      return -3;
    default:
      return expected;
  }
}

const RESULT_COLUMNS =
  'o_ok AS ok, o_revision AS revision, o_position AS position, o_cond_stream AS cond_stream, o_cond_revision AS cond_revision';

export const APPEND_SQL = `SELECT ${RESULT_COLUMNS} FROM tally_append($1, $2, $3::jsonb, $4::text[], $5::bigint[])`;

export interface AppendRow {
  ok: boolean;
  /** The own stream's revision: the new one, or the actual one on a mismatch; null when a condition failed. */
  revision: string | null;
  position: string | null;
  /** The context stream whose condition failed, and its actual revision (-1: missing). */
  cond_stream: string | null;
  cond_revision: string | null;
}

export const APPEND_MANY_SQL = `SELECT ${RESULT_COLUMNS} FROM tally_append_many($1::text[], $2::bigint[], $3::jsonb, $4::int[], $5::text[], $6::bigint[])`;

/** Takes an appending transaction's stream locks: see append-conditions.migration.ts. */
export const LOCK_STREAMS_SQL = 'SELECT tally_lock_streams($1::text[], $2::text[])';

/** An append's conditions as the append functions take them: stream ids, revisions. */
export function encodeConditions(conditions: readonly StreamCondition[]): [string[], number[]] {
  return [conditions.map((c) => c.streamId), conditions.map((c) => c.revision)];
}

export function appendResult(
  streamId: string,
  expected: ExpectedRevision,
  conditions: readonly StreamCondition[],
  row: AppendRow,
): AppendResult {
  if (row.cond_stream !== null) {
    const moved = row.cond_stream;
    const condition = conditions.find((c) => c.streamId === moved);
    throw new ContextStreamMoved(moved, condition?.revision ?? NaN, Number(row.cond_revision));
  }
  if (!row.ok || row.position === null) {
    throw new WrongExpectedRevision(streamId, expected, Number(row.revision));
  }
  return { revision: Number(row.revision), position: BigInt(row.position) };
}
