import type { Pool, PoolClient } from 'pg';
import { InvalidArgument } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  CountEventsOptions,
  EventCount,
  EventSubscription,
  ExpectedRevision,
  FoldEvent,
  FoldSubscription,
  LogPage,
  NewEvent,
  ReadBackwardsOptions,
  ReadStreamOptions,
  RecordedEvent,
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
import { AllSubscription, PageSubscription } from './all-subscription';
import { AppendBatcher } from './append-batcher';
import { AppendNotifier } from './append-notifier';
import { appendResult, encodeExpected } from './append-sql';
import { FOLD_PAGE_SQL, PAGE_SQL, countEvents, readAllFrom, readBackwards } from './log-queries';
import { LogListener } from './log-listener';
import { runTransaction, type PostgresTransaction } from './postgres-transaction';
import { appendInTransaction, lockStreams } from './transaction-append';
import { EVENT_TYPES, toFoldEvent, toRecordedEvent, type FoldRow } from './row-mapping';
import { StreamReadBatcher } from './stream-read-batcher';

export interface PostgresEventStoreOptions {
  pool: Pool;
  /** Connection string for the LISTEN connection (kept out of the pool). */
  url: string;
  pollIntervalMs?: number;
  /**
   * `append` calls batched into one transaction (cross-stream group commit): how many such
   * transactions may be in flight at once. Fewer make larger batches. Default 2.
   */
  appendConcurrency?: number;
  /** `readStream` calls batched into one query: how many in flight at once. Default 2. */
  readConcurrency?: number;
  /** At most one NOTIFY to subscribers every this many ms (coalesced). Default 5. */
  notifyIntervalMs?: number;
  /** Appends per batched transaction (and stream reads per batched query). Default 256. */
  maxBatch?: number;
}

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** Appends (and their events) per cross-stream transaction. */
const MAX_BATCH_APPENDS = 256;
const MAX_BATCH_EVENTS = 10_000;
const MAX_BATCH_READS = 256;

export class PostgresEventStore implements TransactionalEventStore<PostgresTransaction> {
  private readonly notifier: AppendNotifier;
  private readonly listener: LogListener;
  private readonly subscriptions = new Set<FoldSubscription>();
  private readonly appends: AppendBatcher;
  private readonly streamReads: StreamReadBatcher;

  constructor(private readonly options: PostgresEventStoreOptions) {
    this.notifier = new AppendNotifier(options.pool, options.notifyIntervalMs ?? 5);
    this.listener = new LogListener(options.url);
    this.appends = new AppendBatcher(
      options.pool,
      {
        concurrency: options.appendConcurrency ?? 2,
        maxAppends: options.maxBatch ?? MAX_BATCH_APPENDS,
        maxEvents: MAX_BATCH_EVENTS,
      },
      () => this.notifier.poke(),
    );
    this.streamReads = new StreamReadBatcher(
      options.pool,
      options.readConcurrency ?? 2,
      options.maxBatch ?? MAX_BATCH_READS,
    );
  }

  /**
   * One append, one transaction of its own, or shared with appends to other streams that
   * were asked for meanwhile (each checked and answered on its own).
   */
  async append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    options?: AppendOptions,
  ): Promise<AppendResult> {
    assertStreamId(streamId);
    assertExpectedRevision(expected);
    const conditions = appendConditions(streamId, options);
    const payload = serialiseEvents(events);
    const row = await this.appends.submit(
      streamId,
      encodeExpected(expected),
      payload,
      events.length,
      conditions,
    );
    return appendResult(streamId, expected, conditions, row);
  }

  /**
   * Appends inside the caller's transaction (group commit, idempotency records). The caller
   * commits, then calls `notifyAppended`. If the transaction wrote anything before (which
   * gives it its xid), it must have called `lockForAppend` first, before that write.
   */
  async appendWithin(
    db: Queryable,
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    options?: AppendOptions,
  ): Promise<AppendResult> {
    return appendInTransaction(db, streamId, events, expected, options);
  }

  /**
   * Takes the stream locks of the appends a caller-held transaction will make (`streams`,
   * exclusive) and of their conditions (`contexts`, shared). Call it FIRST in the transaction
   * (READ COMMITTED), before any write (an idempotency claim) gives it an xid: log order is
   * xid order, and only locks taken before the xid keep conditioned appends before the
   * context's next event (see append-conditions.migration.ts).
   */
  lockForAppend(
    db: Queryable,
    streams: readonly string[],
    contexts: readonly (StreamCondition | string)[] = [],
  ): Promise<void> {
    return lockStreams(db, streams, contexts);
  }

  notifyAppended(): void {
    this.notifier.poke();
  }

  withinTransaction<T>(
    scope: TransactionScope,
    work: (tx: PostgresTransaction) => Promise<TransactionEnd<T>>,
  ): Promise<T> {
    const appendOn = this.appendWithin.bind(this);
    return runTransaction(this.options.pool, scope, appendOn, () => this.notifyAppended(), work);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertStreamId(streamId);
    const fromRevision = options.fromRevision ?? 0;
    const maxCount = options.maxCount ?? 1000;
    if (!Number.isSafeInteger(fromRevision) || fromRevision < 0) {
      throw new InvalidArgument('fromRevision must be an integer >= 0');
    }
    assertLimit(maxCount, 'maxCount');
    const rows = await this.streamReads.read(streamId, fromRevision, maxCount);
    return rows.map(toRecordedEvent);
  }

  async streamState(streamId: string): Promise<StreamState> {
    assertStreamId(streamId);
    const { rows } = await this.options.pool.query<{ revision: string; position: string }>(
      'SELECT revision, position FROM tally_streams WHERE stream_id = $1',
      [streamId],
    );
    const row = rows[0];
    return row
      ? { revision: Number(row.revision), position: BigInt(row.position) }
      : { revision: -1, position: 0n };
  }

  async readAll(fromPosition: bigint, limit: number): Promise<RecordedEvent[]> {
    assertPosition(fromPosition, 'fromPosition');
    assertLimit(limit, 'limit');
    return readAllFrom(this.options.pool, fromPosition, limit);
  }

  async headPosition(): Promise<bigint> {
    const { rows } = await this.options.pool.query<{ head: string | null }>(
      'SELECT max(position) AS head FROM tally_events WHERE position < tally_visible_bound()',
    );
    return BigInt(rows[0]?.head ?? 0);
  }

  async countEvents(
    after: bigint,
    through: bigint,
    options: CountEventsOptions = {},
  ): Promise<EventCount> {
    assertPosition(after, 'afterPosition');
    assertPosition(through, 'throughPosition');
    assertCountLimit(options.limit);
    return countEvents(this.options.pool, after, through, options);
  }

  async readAllBackwards(
    through: bigint,
    limit: number,
    options: ReadBackwardsOptions = {},
  ): Promise<RecordedEvent[]> {
    assertPosition(through, 'throughPosition');
    assertLimit(limit, 'limit');
    if (options.streamId !== undefined) assertStreamId(options.streamId);
    return readBackwards(this.options.pool, through, limit, options);
  }

  subscribeToAll(fromPosition: bigint, options: SubscribeOptions = {}): EventSubscription {
    const settings = this.subscription(fromPosition, options);
    const subscription = new AllSubscription({
      ...settings,
      readPage: (from, limit) =>
        this.readPage(from, limit, settings.types, PAGE_SQL, toRecordedEvent),
      onClose: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  subscribeToFold(fromPosition: bigint, options: SubscribeOptions = {}): FoldSubscription {
    const settings = this.subscription(fromPosition, options);
    const subscription = new PageSubscription<FoldEvent>({
      ...settings,
      readPage: (from, limit) =>
        this.readPage(from, limit, settings.types, FOLD_PAGE_SQL, toFoldEvent),
      onClose: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  private subscription(fromPosition: bigint, options: SubscribeOptions) {
    assertPosition(fromPosition, 'fromPosition');
    const batchSize = options.batchSize ?? 500;
    assertLimit(batchSize, 'batchSize');
    return {
      from: fromPosition,
      batchSize,
      pollIntervalMs: this.options.pollIntervalMs ?? 500,
      listener: this.listener,
      types: options.types === undefined ? null : [...options.types],
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.notifier.drain();
    await this.listener.close();
  }

  /**
   * Up to `limit` events after `from` (of `types`, unless null) below the visible bound, and
   * how far that reaches: the last event returned when the page is full, else the last
   * visible event of any type (never less than `from`).
   */
  private async readPage<E extends FoldEvent, R extends FoldRow>(
    from: bigint,
    limit: number,
    types: string[] | null,
    sql: { name: string; text: string },
    decode: (row: R) => E,
  ): Promise<LogPage<E>> {
    const { rows } = await this.options.pool.query<{ head: string | null } & R>({
      ...sql,
      types: EVENT_TYPES,
      values: [from.toString(), limit, types],
    });
    const events = rows.filter((row) => row.position !== null).map(decode);
    const last = events[events.length - 1];
    if (last && events.length >= limit) return { events, through: last.position };
    const head = BigInt(rows[0]?.head ?? 0);
    return { events, through: head > from ? head : from };
  }
}
