import type { Pool, PoolClient } from 'pg';
import { ContextStreamMoved, InvalidArgument } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  CountEventsOptions,
  EventCount,
  EventSubscription,
  ExpectedRevision,
  FoldEvent,
  FoldSubscription,
  NewEvent,
  ReadBackwardsOptions,
  ReadStreamOptions,
  RecordedEvent,
  StoreTransaction,
  StreamCondition,
  StreamState,
  SubscribeOptions,
  TransactionEnd,
  TransactionalEventStore,
  TransactionScope,
} from '../event-store.port';
import {
  appendConditions,
  assertCountLimit,
  assertExpectedRevision,
  assertLimit,
  assertPosition,
  assertStreamId,
  serialiseEvents,
} from '../event-validation';
import { AllSubscription, PageSubscription } from '../postgres/all-subscription';
import { EsdbClient, type LogRecord } from './esdb-client';
import {
  ESDB_MAX_APPEND_BYTES,
  assertUserStream,
  toFoldEvent,
  toRecordedEvent,
  toWrites,
} from './esdb-records';
import { LogWatcher } from './log-watcher';
import {
  countLogEvents,
  lastEventPosition,
  lastLogEvents,
  lastStreamEvents,
  readLogPage,
} from './log-reads';
import { StreamGates } from './stream-gates';

export interface EsdbEventStoreOptions {
  /** EventStoreDB connection string, e.g. `esdb://127.0.0.1:2113?tls=false`. */
  url: string;
  /** The PostgreSQL pool whose transactions `withinTransaction` opens (idempotency records). */
  pool?: Pool;
  /** Fallback poll of an idle subscription (the live watch wakes it sooner). Default 500. */
  pollIntervalMs?: number;
  /** Refuse appends over this many bytes of data and metadata. Default 1 MiB, the server's. */
  maxAppendBytes?: number;
}

/**
 * A transaction of the EventStoreDB store: a PostgreSQL transaction (its connection lets
 * the idempotency records join it) with EventStoreDB appends made IN BETWEEN, each durable
 * when it returns. See `withinTransaction`.
 */
export interface EsdbTransaction extends StoreTransaction {
  readonly client: PoolClient;
}

/** The event-store port on EventStoreDB: the log there, everything else in PostgreSQL. */
export class EsdbEventStore implements TransactionalEventStore<EsdbTransaction> {
  private readonly client: EsdbClient;
  private readonly watcher: LogWatcher;
  private readonly gates = new StreamGates();
  private readonly subscriptions = new Set<FoldSubscription>();

  constructor(private readonly options: EsdbEventStoreOptions) {
    this.client = EsdbClient.connect(options.url);
    this.watcher = new LogWatcher(this.client);
  }

  /**
   * One atomic append. Conditions are checked by reading each context stream's revision
   * right before the append, with appends to those streams from THIS process held back
   * until it is done; another process may still append to a context in between (README).
   */
  async append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    options?: AppendOptions,
  ): Promise<AppendResult> {
    assertStreamId(streamId);
    assertUserStream(streamId);
    assertExpectedRevision(expected);
    const conditions = appendConditions(streamId, options);
    serialiseEvents(events);
    const writes = toWrites(events, this.options.maxAppendBytes ?? ESDB_MAX_APPEND_BYTES);
    const leave = await this.gates.enter([
      { streamId, mode: 'append' },
      ...conditions.map((c) => ({ streamId: c.streamId, mode: 'condition' as const })),
    ]);
    try {
      await this.checkConditions(conditions);
      return await this.client.append(streamId, writes, expected);
    } finally {
      leave();
    }
  }

  /**
   * `work` runs in a PostgreSQL transaction; its appends go to EventStoreDB at once (there is
   * no transaction spanning both). A rejected `work`, or `commit: false`, rolls back the
   * PostgreSQL part only: an append already made stays (the pipeline ends a transaction
   * without committing only when it appended nothing). What that means for Idempotency-Keys
   * is in README.md: a crash between the append and the commit leaves the key unrecorded,
   * and its retry appends the same (key-derived) event ids, which EventStoreDB takes as
   * the same append when it is made at the same expected revision.
   */
  async withinTransaction<T>(
    scope: TransactionScope,
    work: (tx: EsdbTransaction) => Promise<TransactionEnd<T>>,
  ): Promise<T> {
    const pool = this.options.pool;
    if (!pool) throw new Error('EsdbEventStore.withinTransaction needs the PostgreSQL pool');
    const client = await pool.connect();
    const tx: EsdbTransaction = {
      client,
      append: (streamId, events, expected, options) => {
        if (!scope.streams.includes(streamId)) {
          return Promise.reject(
            new InvalidArgument(`stream ${streamId} is outside the transaction's scope`),
          );
        }
        return this.append(streamId, events, expected, options);
      },
    };
    try {
      await client.query('BEGIN');
      const end = await work(tx);
      await client.query(end.commit ? 'COMMIT' : 'ROLLBACK');
      return end.value;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertStreamId(streamId);
    const fromRevision = options.fromRevision ?? 0;
    const maxCount = options.maxCount ?? 1000;
    if (!Number.isSafeInteger(fromRevision) || fromRevision < 0) {
      throw new InvalidArgument('fromRevision must be an integer >= 0');
    }
    assertLimit(maxCount, 'maxCount');
    if (streamId.startsWith('$')) return [];
    const records = await this.client.readStream(streamId, fromRevision, maxCount);
    return records.map(toRecordedEvent);
  }

  async streamState(streamId: string): Promise<StreamState> {
    assertStreamId(streamId);
    const last = streamId.startsWith('$') ? undefined : await this.client.lastOfStream(streamId);
    return last
      ? { revision: last.revision, position: last.position }
      : { revision: -1, position: 0n };
  }

  async readAll(fromPosition: bigint, limit: number): Promise<RecordedEvent[]> {
    assertPosition(fromPosition, 'fromPosition');
    assertLimit(limit, 'limit');
    const page = await readLogPage(
      this.client,
      fromPosition,
      limit,
      null,
      toRecordedEvent,
      Infinity,
    );
    return [...page.events];
  }

  headPosition(): Promise<bigint> {
    return lastEventPosition(this.client);
  }

  /** Counts by reading `$all`: at most ESDB_MAX_COUNT (100,000) events, then `capped`. */
  async countEvents(
    after: bigint,
    through: bigint,
    options: CountEventsOptions = {},
  ): Promise<EventCount> {
    assertPosition(after, 'afterPosition');
    assertPosition(through, 'throughPosition');
    assertCountLimit(options.limit);
    return countLogEvents(this.client, after, through, options);
  }

  async readAllBackwards(
    through: bigint,
    limit: number,
    options: ReadBackwardsOptions = {},
  ): Promise<RecordedEvent[]> {
    assertPosition(through, 'throughPosition');
    assertLimit(limit, 'limit');
    const { streamId } = options;
    if (streamId !== undefined) assertStreamId(streamId);
    if (streamId?.startsWith('$')) return [];
    const records =
      streamId === undefined
        ? await lastLogEvents(this.client, through, limit)
        : await lastStreamEvents(this.client, streamId, through, limit);
    return records.map(toRecordedEvent);
  }

  subscribeToAll(fromPosition: bigint, options: SubscribeOptions = {}): EventSubscription {
    const subscription: AllSubscription = new AllSubscription({
      ...this.subscription(fromPosition, options, toRecordedEvent),
      onClose: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  subscribeToFold(fromPosition: bigint, options: SubscribeOptions = {}): FoldSubscription {
    const subscription: PageSubscription<FoldEvent> = new PageSubscription<FoldEvent>({
      ...this.subscription(fromPosition, options, toFoldEvent),
      onClose: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.watcher.close();
    await this.client.close();
  }

  private subscription<E extends FoldEvent>(
    fromPosition: bigint,
    options: SubscribeOptions,
    decode: (record: LogRecord) => E,
  ) {
    assertPosition(fromPosition, 'fromPosition');
    const batchSize = options.batchSize ?? 500;
    assertLimit(batchSize, 'batchSize');
    const types = options.types === undefined ? null : [...options.types];
    return {
      from: fromPosition,
      batchSize,
      pollIntervalMs: this.options.pollIntervalMs ?? 500,
      listener: this.watcher,
      readPage: (from: bigint, limit: number) =>
        readLogPage(this.client, from, limit, types, decode),
    };
  }

  /** Each context stream's current revision against its condition: the first that moved refuses. */
  private async checkConditions(conditions: readonly StreamCondition[]): Promise<void> {
    const actual = await Promise.all(
      conditions.map(async (c) => (await this.client.lastOfStream(c.streamId))?.revision ?? -1),
    );
    conditions.forEach((condition, index) => {
      if (actual[index] !== condition.revision) {
        throw new ContextStreamMoved(condition.streamId, condition.revision, actual[index]!);
      }
    });
  }
}
