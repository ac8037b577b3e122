import type { Pool } from 'pg';
import { MicroBatcher } from './micro-batcher';
import { EVENT_COLUMNS, EVENT_TYPES, type EventRow } from './row-mapping';

interface PendingRead {
  key: string;
  streamId: string;
  fromRevision: number;
  maxCount: number;
  resolve(rows: EventRow[]): void;
  reject(error: unknown): void;
}

const READ_STREAM_SQL = `SELECT ${EVENT_COLUMNS} FROM tally_events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`;

const READ_STREAMS_SQL = `SELECT r.i::int AS i, e.* FROM unnest($1::text[], $2::bigint[], $3::int[]) WITH ORDINALITY AS r(stream_id, from_rev, max_count, i)
  CROSS JOIN LATERAL (SELECT ${EVENT_COLUMNS} FROM tally_events t
                       WHERE t.stream_id = r.stream_id AND t.revision >= r.from_rev
                       ORDER BY t.revision LIMIT r.max_count) e
  ORDER BY r.i, e.revision`;

/**
 * Stream reads that queue up while earlier ones are in flight go to the database as one
 * query (identical reads once). Each read is sent after it was asked for, so it sees every
 * append that committed before.
 */
export class StreamReadBatcher {
  private readonly batcher: MicroBatcher<PendingRead>;

  constructor(
    private readonly pool: Pool,
    concurrency: number,
    maxReads: number,
  ) {
    this.batcher = new MicroBatcher<PendingRead>(
      concurrency,
      (queue) => Math.min(queue.length, maxReads),
      (batch) => this.send(batch),
    );
  }

  read(streamId: string, fromRevision: number, maxCount: number): Promise<EventRow[]> {
    const key = `${fromRevision}:${maxCount}:${streamId}`;
    return new Promise((resolve, reject) =>
      this.batcher.add({ key, streamId, fromRevision, maxCount, resolve, reject }),
    );
  }

  private async send(batch: PendingRead[]): Promise<void> {
    const unique = new Map<string, PendingRead[]>();
    for (const read of batch) {
      const same = unique.get(read.key);
      if (same) same.push(read);
      else unique.set(read.key, [read]);
    }
    const groups = [...unique.values()];
    try {
      if (groups.length === 1) {
        const first = batch[0]!;
        const { rows } = await this.pool.query<EventRow>({
          name: 'tally_read_stream',
          types: EVENT_TYPES,
          text: READ_STREAM_SQL,
          values: [first.streamId, first.fromRevision, first.maxCount],
        });
        for (const read of batch) read.resolve(rows);
        return;
      }
      const { rows } = await this.pool.query<EventRow & { i: number }>({
        name: 'tally_read_streams',
        types: EVENT_TYPES,
        text: READ_STREAMS_SQL,
        values: [
          groups.map((g) => g[0]!.streamId),
          groups.map((g) => g[0]!.fromRevision),
          groups.map((g) => g[0]!.maxCount),
        ],
      });
      const byGroup: EventRow[][] = groups.map(() => []);
      for (const row of rows) byGroup[row.i - 1]?.push(row);
      groups.forEach((group, g) => {
        for (const read of group) read.resolve(byGroup[g]!);
      });
    } catch (error) {
      for (const read of batch) read.reject(error);
    }
  }
}
