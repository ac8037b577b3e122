import type { ExpectedRevision } from '../event-store.port';

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

export const APPEND_SQL =
  'SELECT o_ok AS ok, o_revision AS revision, o_position AS position FROM tally_append($1, $2, $3::jsonb)';

export interface AppendRow {
  ok: boolean;
  revision: string;
  position: string | null;
}

export const APPEND_MANY_SQL =
  'SELECT o_ok AS ok, o_revision AS revision, o_position AS position FROM tally_append_many($1::text[], $2::bigint[], $3::jsonb)';
