import type { RecordedEvent } from '@tally/event-store';
import { UsageError, withContext } from '../context';

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
    const head = await context.store.headPosition();
    const last =
      limit === 0
        ? []
        : await context.store.readAllBackwards(head, limit, { streamId: options.stream });
    for (const e of last.reverse()) print(e, options.json);
    const matches = (e: RecordedEvent): boolean =>
      options.stream === undefined || e.streamId === options.stream;
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
