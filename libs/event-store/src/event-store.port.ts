export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };

/** EventStoreDB semantics: `no_stream` = the stream must not exist, an exact number = its last revision. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface EventMetadata {
  correlationId?: string;
  causationId?: string;
  idempotencyKey?: string;
  /** ISO-8601; the time the command was accepted, supplied by the caller. */
  time?: string;
}

export interface NewEvent<TType extends string = string, TData = JsonValue> {
  /** Optional client-chosen UUID; generated when absent. */
  id?: string;
  type: TType;
  data: TData;
  metadata?: EventMetadata;
}

export interface RecordedEvent<TType extends string = string, TData = JsonValue> {
  id: string;
  type: TType;
  data: TData;
  metadata: EventMetadata;
  streamId: string;
  /** Zero-based position of the event within its stream. */
  revision: number;
  /** Position in the global log: strictly increasing in delivery order, never reused. */
  position: bigint;
  recordedAt: Date;
}

export interface AppendResult {
  /** Revision of the last appended event. */
  revision: number;
  /** Global position of the last appended event. */
  position: bigint;
}

/**
 * A stream that an append's decision read (its context): the append commits only if that
 * stream is still at `revision` (-1: it must not exist), checked in the append's transaction.
 */
export interface StreamCondition {
  streamId: string;
  revision: number;
}

export interface AppendOptions {
  /** At most MAX_CONDITIONS_PER_APPEND, none on the appended stream; refused: ContextStreamMoved. */
  conditions?: readonly StreamCondition[];
}

export interface ReadStreamOptions {
  /** First revision to return (inclusive). Default 0. */
  fromRevision?: number;
  /** At most this many events. Default 1,000. */
  maxCount?: number;
}

export interface StreamState {
  /** -1 when the stream does not exist. */
  revision: number;
  /** Position of the stream's last event, 0n when it does not exist. */
  position: bigint;
}

/**
 * The fields of a recorded event that a fold reads (a projection's batch handler): what a
 * fold subscription carries, read and decoded without the id, metadata and time.
 */
export type FoldEvent<TType extends string = string, TData = JsonValue> = Pick<
  RecordedEvent<TType, TData>,
  'type' | 'data' | 'streamId' | 'revision' | 'position'
>;

/** A page of the log: its events, and how far the log was read to produce it. */
export interface LogPage<E extends FoldEvent = RecordedEvent> {
  events: readonly E[];
  /**
   * Every event up to this position that the subscription takes has been delivered (with
   * `types`, the events of other types up to here were passed over). At least the position
   * of the last event in `events`.
   */
  through: bigint;
}

export interface EventSubscription extends AsyncIterable<RecordedEvent> {
  /** The same events a fetched page at a time; iterate either this or the events, once. */
  batches(): AsyncIterable<readonly RecordedEvent[]>;
  /**
   * Pages with how far each one reaches; a page may be empty when the log moved on only by
   * events of other types. Iterate this, `batches` or the events, once.
   */
  pages(): AsyncIterable<LogPage>;
  /** Ends the iteration after the event being delivered; idempotent. */
  close(): Promise<void>;
}

/** Pages of folds' events: see EventStore.subscribeToFold. */
export interface FoldSubscription {
  pages(): AsyncIterable<LogPage<FoldEvent>>;
  /** Ends the iteration after the page being delivered; idempotent. */
  close(): Promise<void>;
}

export interface SubscribeOptions {
  /** Events fetched per round trip. Default 500. */
  batchSize?: number;
  /** Only events of these types (the log is still read in order, the others passed over). */
  types?: readonly string[];
}

export interface CountEventsOptions {
  /** Only events of these types. */
  types?: readonly string[];
  /** Stop counting here (then `capped`). A store may cap lower (EventStoreDB: 100,000). */
  limit?: number;
}

/** How many events lie in a stretch of the log, and the first of them. */
export interface EventCount {
  events: number;
  /** The count stopped at a limit: there are at least `events`. */
  capped: boolean;
  /** The first event counted (its age is a consumer's lag in seconds). */
  first?: { position: bigint; recordedAt: Date };
}

export interface ReadBackwardsOptions {
  /** Only this stream's events. */
  streamId?: string;
}

export interface EventStore {
  append(
    streamId: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
    options?: AppendOptions,
  ): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  streamState(streamId: string): Promise<StreamState>;
  /** Events with position > fromPosition in global order, at most `limit`. Never returns a
   * position that a still-running transaction could later precede. */
  readAll(fromPosition: bigint, limit: number): Promise<RecordedEvent[]>;
  /** Position of the last event that readAll can deliver now (0n for an empty log). */
  headPosition(): Promise<bigint>;
  /** Events with afterPosition < position <= throughPosition (a consumer's lag). */
  countEvents(
    afterPosition: bigint,
    throughPosition: bigint,
    options?: CountEventsOptions,
  ): Promise<EventCount>;
  /**
   * The last `limit` events at or before throughPosition (of one stream, or of the log),
   * newest first.
   */
  readAllBackwards(
    throughPosition: bigint,
    limit: number,
    options?: ReadBackwardsOptions,
  ): Promise<RecordedEvent[]>;
  subscribeToAll(fromPosition: bigint, options?: SubscribeOptions): EventSubscription;
  /** subscribeToAll's pages with FoldEvents only: less to read and decode per event. */
  subscribeToFold(fromPosition: bigint, options?: SubscribeOptions): FoldSubscription;
  close(): Promise<void>;
}

/**
 * One transaction of a TransactionalEventStore: its appends commit or roll back with the
 * rest of the work done in it (an adapter's transaction type adds what other stores need
 * to join it, e.g. a PostgreSQL connection for the idempotency keys).
 */
export interface StoreTransaction {
  append: EventStore['append'];
}

/** How a unit of work ends: `commit: false` discards everything it did; `value` is returned either way. */
export interface TransactionEnd<T> {
  commit: boolean;
  value: T;
}

/**
 * What a transaction will append to and which context streams its appends are conditioned
 * on: a store that must order such transactions (PostgreSQL: stream locks taken before the
 * transaction's first write) does so when the transaction begins.
 */
export interface TransactionScope {
  streams: readonly string[];
  conditions?: readonly StreamCondition[];
}

/** An event store that can append inside a transaction shared with other work. */
export interface TransactionalEventStore<
  Tx extends StoreTransaction = StoreTransaction,
> extends EventStore {
  /**
   * Runs `work` in one transaction that may append only within `scope`. A rejected `work`
   * rolls back. Subscribers learn of the appends only after the commit.
   */
  withinTransaction<T>(
    scope: TransactionScope,
    work: (tx: Tx) => Promise<TransactionEnd<T>>,
  ): Promise<T>;
}
