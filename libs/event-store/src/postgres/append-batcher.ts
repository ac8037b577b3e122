import type { Pool } from 'pg';
import type { StreamCondition } from '../event-store.port';
import { APPEND_MANY_SQL, APPEND_SQL, encodeConditions, type AppendRow } from './append-sql';
import { MicroBatcher } from './micro-batcher';

interface PendingAppend {
  streamId: string;
  expected: number;
  /** The events as the JSON array the append functions take. */
  payload: string;
  events: number;
  /** Context streams that must still be at these revisions (see tally_append_many). */
  conditions: readonly StreamCondition[];
  resolve(row: AppendRow): void;
  reject(error: unknown): void;
}

export interface AppendBatcherOptions {
  /** Batches in flight at once, each one transaction on its own connection. */
  concurrency: number;
  /** Appends per batch. */
  maxAppends: number;
  /** Events per batch (a transaction numbers at most 2^20). */
  maxEvents: number;
}

/**
 * Stream locks per batch (an append's stream and its conditions' streams, before dedup):
 * advisory locks share the server's lock table (max_locks_per_transaction per connection).
 */
const MAX_BATCH_LOCKS = 1024;

/**
 * Cross-stream group commit: appends that queue up while earlier batches are in flight go
 * to the database together, one round trip, one transaction and one commit for many
 * streams. Every append keeps its own expected-revision check and its own result.
 */
export class AppendBatcher {
  private readonly batcher: MicroBatcher<PendingAppend>;

  constructor(
    private readonly pool: Pool,
    options: AppendBatcherOptions,
    /** Called after each transaction that committed at least one append. */
    private readonly committed: () => void,
  ) {
    this.batcher = new MicroBatcher<PendingAppend>(
      options.concurrency,
      (queue) => {
        let events = 0;
        let locks = 0;
        let n = 0;
        while (n < queue.length && n < options.maxAppends) {
          const next = queue[n]!;
          const nextLocks = 1 + next.conditions.length;
          if (n > 0 && events + next.events > options.maxEvents) break;
          if (n > 0 && locks + nextLocks > MAX_BATCH_LOCKS) break;
          events += next.events;
          locks += nextLocks;
          n++;
        }
        return n;
      },
      (batch) => this.send(batch),
    );
  }

  submit(
    streamId: string,
    expected: number,
    payload: string,
    events: number,
    conditions: readonly StreamCondition[] = [],
  ): Promise<AppendRow> {
    return new Promise((resolve, reject) =>
      this.batcher.add({ streamId, expected, payload, events, conditions, resolve, reject }),
    );
  }

  private async send(batch: PendingAppend[]): Promise<void> {
    if (batch.length === 1) return this.sendOne(batch[0]!);
    // Stream order is row-lock order (the stream locks taken first are in key order anyway).
    // The sort is stable, so appends to one stream keep the order they were asked in.
    const sorted = [...batch].sort((a, b) =>
      a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0,
    );
    let rows: AppendRow[];
    try {
      ({ rows } = await this.pool.query<AppendRow>({
        name: 'tally_append_many',
        text: APPEND_MANY_SQL,
        values: [
          sorted.map((a) => a.streamId),
          sorted.map((a) => a.expected),
          `[${sorted.map((a) => a.payload).join(',')}]`,
          sorted.map((a) => a.conditions.length),
          sorted.flatMap((a) => a.conditions.map((c) => c.streamId)),
          sorted.flatMap((a) => a.conditions.map((c) => c.revision)),
        ],
      }));
    } catch {
      // One bad append (a duplicate event id, say) fails the whole transaction, which then
      // committed nothing: retry each alone, so that only the culprit sees its error. The
      // payloads carry their event ids, so nothing can be appended twice.
      await Promise.all(sorted.map((a) => this.sendOne(a)));
      return;
    }
    if (rows.length !== sorted.length) {
      const error = new Error(
        `tally_append_many returned ${rows.length} rows for ${sorted.length}`,
      );
      for (const a of sorted) a.reject(error);
      return;
    }
    if (rows.some((row) => row.ok)) this.committed();
    sorted.forEach((a, i) => a.resolve(rows[i]!));
  }

  private async sendOne(append: PendingAppend): Promise<void> {
    try {
      const { rows } = await this.pool.query<AppendRow>({
        name: 'tally_append',
        text: APPEND_SQL,
        values: [
          append.streamId,
          append.expected,
          append.payload,
          ...encodeConditions(append.conditions),
        ],
      });
      const row = rows[0];
      if (!row) throw new Error('tally_append returned no row');
      if (row.ok) this.committed();
      append.resolve(row);
    } catch (error) {
      append.reject(error);
    }
  }
}
