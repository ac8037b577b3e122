import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  MaxAppendSizeExceededError,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AppendExpectedRevision,
  type JSONEventType,
  type JSONType,
  type Position,
  type ReadPosition,
  type RecordedEvent as ClientRecord,
} from '@eventstore/db-client';
import { InvalidArgument, WrongExpectedRevision } from '../errors';
import type { ExpectedRevision, JsonValue } from '../event-store.port';

/**
 * EVERY call to the EventStoreDB client lives in this file, so that moving to another client
 * (its successor, `@kurrent/kurrentdb-client`, has the same shape) changes this file only.
 * What leaves it is plain data and the port's errors.
 */

/** One event as the log holds it, `$all` position included. */
export interface LogRecord {
  id: string;
  type: string;
  data: JsonValue;
  metadata: unknown;
  streamId: string;
  revision: number;
  position: bigint;
  created: Date;
  /** A system record (`$`-type or `$`-stream, or not JSON): never one of Tally's events. */
  system: boolean;
}

export interface LogWrite {
  id: string;
  type: string;
  data: JsonValue;
  metadata: JsonValue;
}

export interface Watch {
  stop(): Promise<void>;
}

/**
 * A Tally position is the event's `$all` commit position. For events written without an
 * explicit (legacy TCP) transaction — every event a gRPC append writes — the server gives
 * each event commit = prepare = the event's own log position, so the pair is rebuilt from
 * the one number losslessly.
 */
const logPosition = (position: bigint): Position => ({ commit: position, prepare: position });

const expectation = (expected: ExpectedRevision): AppendExpectedRevision => {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
};

function toLogRecord(record: ClientRecord): LogRecord {
  const position = record.position?.commit;
  if (position === undefined) {
    // Stream reads carry the $all position since EventStoreDB 22.10.
    throw new Error(`EventStoreDB gave no $all position for ${record.streamId}@${record.revision}`);
  }
  return {
    id: record.id,
    type: record.type,
    data: (record.isJson ? record.data : null) as JsonValue,
    metadata: record.metadata,
    streamId: record.streamId,
    revision: Number(record.revision),
    position,
    created: record.created,
    system: !record.isJson || record.type.startsWith('$') || record.streamId.startsWith('$'),
  };
}

export class EsdbClient {
  private constructor(private readonly client: EventStoreDBClient) {}

  /** `url`: a connection string, e.g. `esdb://127.0.0.1:2113?tls=false`. */
  static connect(url: string): EsdbClient {
    return new EsdbClient(EventStoreDBClient.connectionString(url));
  }

  /** Appends atomically; the stream's new revision and the last event's position. */
  async append(
    streamId: string,
    events: readonly LogWrite[],
    expected: ExpectedRevision,
  ): Promise<{ revision: number; position: bigint }> {
    const batch = events.map((e) =>
      jsonEvent<JSONEventType>({
        id: e.id,
        type: e.type,
        // The client serialises data with JSON.stringify: any JSON value round-trips.
        data: e.data as JSONType,
        metadata: e.metadata,
      }),
    );
    try {
      const result = await this.client.appendToStream(streamId, batch, {
        expectedRevision: expectation(expected),
      });
      if (!result.position) throw new Error(`EventStoreDB gave no position for ${streamId}`);
      return { revision: Number(result.nextExpectedRevision), position: result.position.commit };
    } catch (error) {
      throw mapError(error, streamId, expected);
    }
  }

  /** Up to `maxCount` events from `fromRevision` on; a missing stream has none. */
  async readStream(streamId: string, fromRevision: number, maxCount: number): Promise<LogRecord[]> {
    return this.collectStream(streamId, {
      fromRevision: BigInt(fromRevision),
      maxCount,
      direction: FORWARDS,
    });
  }

  /** Up to `maxCount` events from `fromRevision` ('end': the last) back, newest first. */
  async readStreamBackwards(
    streamId: string,
    fromRevision: number | 'end',
    maxCount: number,
  ): Promise<LogRecord[]> {
    return this.collectStream(streamId, {
      fromRevision: fromRevision === 'end' ? END : BigInt(fromRevision),
      maxCount,
      direction: BACKWARDS,
    });
  }

  /** The stream's last event, undefined when it does not exist. */
  async lastOfStream(streamId: string): Promise<LogRecord | undefined> {
    const [last] = await this.collectStream(streamId, {
      fromRevision: END,
      maxCount: 1,
      direction: BACKWARDS,
    });
    return last;
  }

  /**
   * Up to `maxCount` records of `$all` (system ones included) at or after `from`: the
   * server's read is INCLUSIVE of its start position (0n reads from the start).
   */
  readAllFrom(from: bigint, maxCount: number): Promise<LogRecord[]> {
    const fromPosition: ReadPosition = from === 0n ? START : logPosition(from);
    return this.collectAll(fromPosition, maxCount, FORWARDS);
  }

  /** Up to `maxCount` records of `$all` before `before` (END: the end of the log), newest first. */
  readAllBackwards(before: bigint | 'end', maxCount: number): Promise<LogRecord[]> {
    const fromPosition: ReadPosition = before === 'end' ? END : logPosition(before);
    return this.collectAll(fromPosition, maxCount, BACKWARDS);
  }

  /**
   * A live subscription to `$all` from its end, without system events: `onAppend` for every
   * new event, `onDrop` once if it fails (the caller resubscribes).
   */
  watch(onAppend: () => void, onDrop: (error: Error) => void): Watch {
    const subscription = this.client.subscribeToAll({
      fromPosition: END,
      filter: excludeSystemEvents(),
    });
    subscription.on('data', () => onAppend());
    subscription.on('error', (error) => onDrop(error));
    return { stop: () => subscription.unsubscribe().catch(() => undefined) };
  }

  close(): Promise<void> {
    return this.client.dispose();
  }

  private async collectStream(
    streamId: string,
    options: Parameters<EventStoreDBClient['readStream']>[1],
  ): Promise<LogRecord[]> {
    const records: LogRecord[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, options)) {
        if (resolved.event) records.push(toLogRecord(resolved.event));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return records;
  }

  private async collectAll(
    fromPosition: ReadPosition,
    maxCount: number,
    direction: typeof FORWARDS | typeof BACKWARDS,
  ): Promise<LogRecord[]> {
    const records: LogRecord[] = [];
    for await (const resolved of this.client.readAll({ fromPosition, maxCount, direction })) {
      if (resolved.event) records.push(toLogRecord(resolved.event));
    }
    return records;
  }
}

/** The client's refusals as the port's errors; anything else unchanged. */
export function mapError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (error instanceof WrongExpectedVersionError) {
    const actual = error.actualVersion === NO_STREAM ? -1 : Number(error.actualVersion);
    return new WrongExpectedRevision(streamId, expected, actual);
  }
  if (error instanceof MaxAppendSizeExceededError) {
    return new InvalidArgument(
      `the append is over EventStoreDB's maximum append size (${error.maxAppendSize} bytes): send fewer events`,
    );
  }
  return error;
}
