import { TypeOverrides, types } from 'pg';
import type { EventMetadata, FoldEvent, JsonValue, RecordedEvent } from '../event-store.port';

export interface EventRow {
  position: string;
  event_id: string;
  stream_id: string;
  revision: string;
  type: string;
  data: JsonValue;
  metadata: EventMetadata;
  /** Whole milliseconds since the epoch: far cheaper to turn into a Date than timestamptz text. */
  recorded_at: string;
}

// Truncated to the millisecond first, the float seconds times 1000 round back to exactly
// that millisecond (a Date holds no more); cheaper than numeric EXTRACT.
export const EVENT_COLUMNS =
  "position, event_id, stream_id, revision, type, data, metadata, (date_part('epoch', date_trunc('milliseconds', recorded_at)) * 1000)::int8 AS recorded_at";

/** Type parsers for queries returning EventRows: int8 stays text (BigInt and Number take it). */
export const EVENT_TYPES = new TypeOverrides(types);
EVENT_TYPES.setTypeParser(types.builtins.INT8, (value: string): string => value);

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    revision: Number(row.revision),
    position: BigInt(row.position),
    recordedAt: new Date(Number(row.recorded_at)),
  };
}

/** What a fold reads: no id, metadata or time to send, parse and allocate. */
export const FOLD_COLUMNS = 'position, stream_id, revision, type, data';

export type FoldRow = Pick<EventRow, 'position' | 'stream_id' | 'revision' | 'type' | 'data'>;

export function toFoldEvent(row: FoldRow): FoldEvent {
  return {
    type: row.type,
    data: row.data,
    streamId: row.stream_id,
    revision: Number(row.revision),
    position: BigInt(row.position),
  };
}
