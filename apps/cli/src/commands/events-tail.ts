import type { RecordedEvent } from '@tally/event-store';
import { parseIntegerOption, withContext } from '../context';
import { lastMatching, matches, namesOf, type EventFilter } from './event-filter';

interface TailOptions {
  stream?: string;
  type?: string[];
  category?: string[];
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

/**
 * The last events of the log (or of one stream, of some types, of some stream categories),
 * then, unless --no-follow, new ones as they commit.
 */
export async function eventsTail(options: TailOptions): Promise<void> {
  const limit = parseIntegerOption(options.limit, '--limit', 0, 10_000);
  const filter: EventFilter = {
    stream: options.stream,
    types: namesOf(options.type, '--type'),
    categories: namesOf(options.category, '--category'),
  };
  await withContext(async (context) => {
    if (filter.stream !== undefined) {
      const state = await context.store.streamState(filter.stream);
      // A name with no event is a typo far more often than a stream yet to come: exit 1.
      if (state.revision === -1)
        throw new Error(
          `stream '${filter.stream}' does not exist (no event was ever appended to it)`,
        );
    }
    const head = await context.store.headPosition();
    const last = limit === 0 ? [] : await lastMatching(context.store, head, limit, filter);
    for (const e of last) print(e, options.json);
    if (!options.follow) return;
    const subscription = context.store.subscribeToAll(head, {
      types: filter.types === undefined ? undefined : [...filter.types],
    });
    // On stderr, like all progress: stdout stays the events alone.
    console.error(`following the log after position ${head} (Ctrl-C to stop)`);
    const stop = (): void => void subscription.close();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      for await (const event of subscription)
        if (matches(filter, event)) print(event, options.json);
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  });
}
