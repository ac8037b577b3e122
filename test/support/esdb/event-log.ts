import { randomUUID } from 'node:crypto';

/**
 * The in-memory transaction log of the EventStoreDB test server: one array of records in `$all`
 * order, and per stream the indices of its records (its revisions).
 *
 * Positions model EventStoreDB's log format v2, where every event is its own prepare record and
 * the commit position of an event equals its prepare position (the byte offset of the record).
 * The log grows by each record's size, so positions increase strictly and leave gaps, as on disk.
 */

export interface LogPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

export interface LogRecord extends ProposedEvent {
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: bigint;
  /** Where the next record starts: the reader's "post position" of this record. */
  readonly postPosition: bigint;
  /** .NET ticks (100 ns) since the Unix epoch, as the server's `created` metadata carries them. */
  readonly createdTicks: bigint;
}

export type ExpectedRevision =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'exact'; readonly revision: bigint };

export type AppendOutcome =
  | { readonly kind: 'appended'; readonly records: readonly LogRecord[]; readonly current: bigint }
  | { readonly kind: 'wrong_expected_version'; readonly current: bigint | 'no_stream' };

/** Fixed part of a prepare record (header, ids, flags, timestamps): an approximation. */
const RECORD_OVERHEAD = 88n;
/** A fresh node's log does not start at 0: the epoch and chunk header records come first. */
const FIRST_POSITION = 1_024n;

export class EventLog {
  private readonly records: LogRecord[] = [];
  private readonly streams = new Map<string, number[]>();
  private readonly listeners = new Set<() => void>();
  private end = FIRST_POSITION;

  get all(): readonly LogRecord[] {
    return this.records;
  }

  /** The log's end: where the next record will be written (the server's last indexed position). */
  get endPosition(): bigint {
    return this.end;
  }

  /** The current revision of a stream, or 'no_stream' when it has no events. */
  currentRevision(streamId: string): bigint | 'no_stream' {
    const indices = this.streams.get(streamId);
    return indices === undefined ? 'no_stream' : BigInt(indices.length - 1);
  }

  streamRecords(streamId: string): readonly LogRecord[] | undefined {
    return this.streams.get(streamId)?.map((index) => this.records[index] as LogRecord);
  }

  /** Atomic append: either every event is written with consecutive revisions, or none is. */
  append(
    streamId: string,
    expected: ExpectedRevision,
    events: readonly ProposedEvent[],
  ): AppendOutcome {
    const current = this.currentRevision(streamId);
    if (!satisfies(expected, current)) return { kind: 'wrong_expected_version', current };
    const written = events.map((event) => this.write(streamId, event));
    if (written.length > 0) this.notify();
    const after = this.currentRevision(streamId);
    return { kind: 'appended', records: written, current: after === 'no_stream' ? -1n : after };
  }

  /** Calls `listener` after every append that wrote events, until the returned function is called. */
  onAppended(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Index of the first record whose position is >= `position` (records.length when none). */
  firstIndexAtOrAfter(position: bigint): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.records[middle] as LogRecord).position < position) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private write(streamId: string, event: ProposedEvent): LogRecord {
    const indices = this.streams.get(streamId) ?? [];
    const size =
      RECORD_OVERHEAD +
      BigInt(Buffer.byteLength(streamId) + Buffer.byteLength(event.type) * 2) +
      BigInt(event.data.length + event.metadata.length);
    const record: LogRecord = {
      ...event,
      id: event.id === '' ? randomUUID() : event.id,
      streamId,
      revision: BigInt(indices.length),
      position: this.end,
      postPosition: this.end + size,
      createdTicks: BigInt(Date.now()) * 10_000n,
    };
    this.end = record.postPosition;
    indices.push(this.records.length);
    this.records.push(record);
    this.streams.set(streamId, indices);
    return record;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

function satisfies(expected: ExpectedRevision, current: bigint | 'no_stream'): boolean {
  switch (expected.kind) {
    case 'any':
      return true;
    case 'no_stream':
      return current === 'no_stream';
    case 'stream_exists':
      return current !== 'no_stream';
    case 'exact':
      return current === expected.revision;
  }
}
