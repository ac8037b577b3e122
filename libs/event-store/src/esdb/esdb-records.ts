import { randomUUID } from 'node:crypto';
import { InvalidArgument, InvalidEvent, InvalidStreamId } from '../errors';
import type { EventMetadata, FoldEvent, NewEvent, RecordedEvent } from '../event-store.port';
import type { LogRecord, LogWrite } from './esdb-client';
import { withIdempotentIds } from './event-ids';

/** EventStoreDB's default maximum append size (its `MaxAppendSize`, bytes of data and metadata). */
export const ESDB_MAX_APPEND_BYTES = 1024 * 1024;

/** `$`-prefixed names are EventStoreDB's system streams and types (`$$s` is s's metadata). */
export function assertUserStream(streamId: string): void {
  if (streamId.startsWith('$')) {
    throw new InvalidStreamId('must not start with $ (EventStoreDB system streams)');
  }
}

/**
 * The (already validated) batch as the log's writes: ids derived from Idempotency-Keys or
 * random. Refused whole when it is over the server's maximum append size: splitting it
 * would make a partial append possible, which the port never allows.
 */
export function toWrites(events: readonly NewEvent[], maxAppendBytes: number): LogWrite[] {
  let bytes = 0;
  const writes = withIdempotentIds(events).map((event, index): LogWrite => {
    if (event.type.startsWith('$')) {
      throw new InvalidEvent(index, 'type must not start with $ (EventStoreDB system events)');
    }
    const metadata = event.metadata ?? {};
    bytes +=
      Buffer.byteLength(JSON.stringify(event.data)) + Buffer.byteLength(JSON.stringify(metadata));
    return {
      id: event.id ?? randomUUID(),
      type: event.type,
      data: event.data,
      metadata: { ...metadata },
    };
  });
  if (bytes > maxAppendBytes) {
    throw new InvalidArgument(
      `the append is ${bytes} bytes, over EventStoreDB's maximum append size of ${maxAppendBytes}: send fewer events`,
    );
  }
  return writes;
}

const metadataOf = (metadata: unknown): EventMetadata =>
  typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) ? metadata : {};

export const toRecordedEvent = (record: LogRecord): RecordedEvent => ({
  id: record.id,
  type: record.type,
  data: record.data,
  metadata: metadataOf(record.metadata),
  streamId: record.streamId,
  revision: record.revision,
  position: record.position,
  recordedAt: record.created,
});

export const toFoldEvent = (record: LogRecord): FoldEvent => ({
  type: record.type,
  data: record.data,
  streamId: record.streamId,
  revision: record.revision,
  position: record.position,
});
