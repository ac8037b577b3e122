import type { EventStore, RecordedEvent } from '@tally/event-store';
import { UsageError } from '../context';

/**
 * Which events `events tail` shows. The category of a stream is its id up to the first '-'
 * (the domain names streams `{category}-{id}`: poll-, ballot-, thread-, post-, item-,
 * reaction-, username-); a stream id without '-' is its own category.
 */
export interface EventFilter {
  stream?: string;
  types?: ReadonlySet<string>;
  categories?: ReadonlySet<string>;
}

export function categoryOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(0, dash);
}

/** `--type A --type B,C` → {A, B, C}; an empty name is a usage error. */
export function namesOf(
  values: readonly string[] | undefined,
  option: string,
): Set<string> | undefined {
  if (values === undefined || values.length === 0) return undefined;
  const names = values.flatMap((v) => v.split(',')).map((v) => v.trim());
  const wrong = names.find((n) => !/^[^\s,]{1,200}$/.test(n));
  if (wrong !== undefined)
    throw new UsageError(`${option} takes names separated by commas, got '${values.join(',')}'`);
  return new Set(names);
}

export function matches(filter: EventFilter, event: RecordedEvent): boolean {
  return (
    (filter.stream === undefined || event.streamId === filter.stream) &&
    (filter.types === undefined || filter.types.has(event.type)) &&
    (filter.categories === undefined || filter.categories.has(categoryOf(event.streamId)))
  );
}

const PAGE = 1000;

/**
 * The last `limit` matching events at or before `through`, oldest first. The log (or the
 * stream) is read backwards a page at a time until enough matched or it begins.
 */
export async function lastMatching(
  store: EventStore,
  through: bigint,
  limit: number,
  filter: EventFilter,
): Promise<RecordedEvent[]> {
  const found: RecordedEvent[] = [];
  let upTo = through;
  while (found.length < limit && upTo > 0n) {
    const page = await store.readAllBackwards(upTo, PAGE, { streamId: filter.stream });
    for (const event of page) {
      if (matches(filter, event)) found.push(event);
      if (found.length === limit) break;
    }
    if (page.length < PAGE) break;
    upTo = page[page.length - 1]!.position - 1n;
  }
  return found.reverse();
}
