import type { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import type { LogRecord } from './event-log';

/**
 * The server-side `$all` filter of a read or subscription (ReadReq.Options.FilterOptions): on the
 * event type or on the stream name, by prefixes or by a regular expression. Like the server, a
 * filter with prefixes uses them and ignores the regex. Also carries the checkpoint interval: the
 * server multiplies the client's multiplier by the search window (32 when the client sends
 * `count`, its default), and counts *considered* events, matching or not.
 */
export interface AllFilter {
  matches(record: LogRecord): boolean;
  /** Considered events between two checkpoints. */
  readonly checkpointInterval: number;
}

/** The server's read batch size, which is also the default max search window. */
const DEFAULT_SEARCH_WINDOW = 32;

export function filterFrom(options: ReadReq.Options): AllFilter | undefined {
  if (!options.hasFilter()) return undefined;
  const filter = options.getFilter() as ReadReq.Options.FilterOptions;
  const onType = filter.hasEventType();
  const expression = onType ? filter.getEventType() : filter.getStreamIdentifier();
  const prefixes = expression?.getPrefixList() ?? [];
  const regex = expression?.getRegex() ?? '';
  const test = matcher(prefixes, regex);
  const window = filter.hasMax() ? filter.getMax() : DEFAULT_SEARCH_WINDOW;
  const multiplier = Math.max(1, filter.getCheckpointintervalmultiplier());
  return {
    matches: (record) => test(onType ? record.type : record.streamId),
    checkpointInterval: multiplier * window,
  };
}

function matcher(prefixes: readonly string[], regex: string): (value: string) => boolean {
  if (prefixes.length > 0) return (value) => prefixes.some((prefix) => value.startsWith(prefix));
  if (regex === '') return () => true;
  const pattern = new RegExp(regex);
  return (value) => pattern.test(value);
}
