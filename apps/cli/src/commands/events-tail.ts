import type { RecordedEvent } from '@tally/event-store';
import { parsePosition, UsageError, withContext } from '../context';

interface TailOptions {
  stream?: string;
  limit: string;
  follow: boolean;
  json?: boolean;
}

function print(event: RecordedEvent, json: boolean | undefined): void {
  if (json) {
    console.log(
      JSON.stringify({
        position: event.position.toString(),
        streamId: event.streamId,
        revision: event.revision,
        type: event.type,
        id: event.id,
        recordedAt: event.recordedAt.toISOString(),
        data: event.data,
        metadata: event.metadata,
      }),
    );
    return;
  }
  console.log(
    `${event.position}  ${event.recordedAt.toISOString()}  ${event.streamId}@${event.revision}  ${event.type}  ${JSON.stringify(event.data)}`,
  );
}

/** The last events of the log (or of one stream), then, with --follow, new ones as they commit. */
export async function eventsTail(options: TailOptions): Promise<void> {
  const limit = Number(options.limit);
  if (!Number.isSafeInteger(limit) || limit < 0 || limit > 10_000)
    throw new UsageError('--limit must be an integer from 0 to 10000');
  await withContext(async (context) => {
    const { pool } = context.database;
    const { rows } = await pool.query<{ position: string }>(
      `SELECT position FROM tally_events
        WHERE position < tally_visible_bound() AND ($1::text IS NULL OR stream_id = $1)
        ORDER BY position DESC OFFSET $2 LIMIT 1`,
      [options.stream ?? null, Math.max(0, limit - 1)],
    );
    const head = await context.store.headPosition();
    // Start just before the limit-th last event (or at 0 when there are fewer).
    let from = rows[0] ? parsePosition(rows[0].position, 'position') - 1n : 0n;
    if (limit === 0) from = head;
    const matches = (e: RecordedEvent): boolean =>
      options.stream === undefined || e.streamId === options.stream;
    while (from < head) {
      const events = (await context.store.readAll(from, 1000)).filter((e) => e.position <= head);
      const last = events[events.length - 1];
      if (!last) break;
      for (const e of events) if (matches(e)) print(e, options.json);
      from = last.position;
    }
    if (!options.follow) return;
    const subscription = context.store.subscribeToAll(head);
    // On stderr, like all progress: stdout stays the events alone.
    console.error(`following the log after position ${head} (Ctrl-C to stop)`);
    const stop = (): void => void subscription.close();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      for await (const event of subscription) if (matches(event)) print(event, options.json);
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  });
}
