import {
  MAX_STREAM_ID_LENGTH,
  textProblem,
  type EventMetadata,
  type EventStore,
  type JsonValue,
} from '@tally/event-store';
import { validationFailed, type FieldProblem } from '../http/api-error';

export interface EventQuery {
  stream?: string;
  type?: string;
  limit: number;
  /** Only events before this position (the previous page's `next`). */
  before?: bigint;
}

export interface BrowsedEvent {
  position: string;
  streamId: string;
  revision: number;
  type: string;
  recordedAt: string;
  data: JsonValue;
  metadata: EventMetadata;
}

export interface EventPage {
  events: BrowsedEvent[];
  headPosition: string;
  /** Events read to find these (a type filter passes over the others). */
  scanned: number;
  /** `before` for the next (older) page; null at the start of the log. */
  next: string | null;
}

export const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 20;
/** A type filter reads at most this many events per page: a rare type answers fewer, with `next`. */
const MAX_SCAN = 5000;
const SCAN_PAGE = 500;
const TYPE = /^[A-Za-z][A-Za-z0-9_.:-]{0,127}$/;
const POSITION = /^\d{1,19}$/;
const KNOWN = new Set(['stream', 'type', 'limit', 'before', 'access_token']);

/** The event browser's query string, checked: each problem named, unknown parameters refused. */
export function parseEventQuery(query: Record<string, unknown>): EventQuery {
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(query))
    if (!KNOWN.has(key)) problems.push({ field: key, reason: 'is not a filter of this route' });
  const text = (field: string): string | undefined => {
    const value = query[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') problems.push({ field, reason: 'must be given once' });
    else if (value === '') problems.push({ field, reason: 'must not be empty' });
    else return value;
    return undefined;
  };
  const result: EventQuery = { limit: DEFAULT_LIMIT };
  const stream = text('stream');
  if (stream !== undefined) {
    const problem =
      stream.length > MAX_STREAM_ID_LENGTH
        ? `must be at most ${MAX_STREAM_ID_LENGTH} characters`
        : textProblem(stream);
    if (problem) problems.push({ field: 'stream', reason: problem });
    else result.stream = stream;
  }
  const type = text('type');
  if (type !== undefined) {
    if (TYPE.test(type)) result.type = type;
    else problems.push({ field: 'type', reason: 'must be an event type such as Voted' });
  }
  const limit = text('limit');
  if (limit !== undefined) {
    const n = /^\d{1,3}$/.test(limit) ? Number(limit) : 0;
    if (n >= 1 && n <= MAX_LIMIT) result.limit = n;
    else problems.push({ field: 'limit', reason: `must be an integer from 1 to ${MAX_LIMIT}` });
  }
  const before = text('before');
  if (before !== undefined) {
    const n = POSITION.test(before) ? BigInt(before) : 0n;
    if (n >= 1n && n <= 2n ** 63n - 1n) result.before = n;
    else problems.push({ field: 'before', reason: 'must be a position: a decimal integer string' });
  }
  if (problems.length > 0) throw validationFailed(problems);
  return result;
}

/** The newest events (of a stream, of a type), newest first, read backwards from the log. */
export async function browseEvents(store: EventStore, query: EventQuery): Promise<EventPage> {
  const head = await store.headPosition();
  let through = query.before === undefined ? head : query.before - 1n;
  if (through > head) through = head;
  const events: BrowsedEvent[] = [];
  let scanned = 0;
  let exhausted = through <= 0n;
  while (!exhausted && events.length < query.limit && scanned < MAX_SCAN) {
    const want = query.type === undefined ? query.limit - events.length : SCAN_PAGE;
    const page = await store.readAllBackwards(through, want, { streamId: query.stream });
    let read = 0;
    for (const e of page) {
      read += 1;
      scanned += 1;
      through = e.position - 1n;
      if (query.type !== undefined && e.type !== query.type) continue;
      events.push({
        position: e.position.toString(),
        streamId: e.streamId,
        revision: e.revision,
        type: e.type,
        recordedAt: e.recordedAt.toISOString(),
        data: e.data,
        metadata: e.metadata,
      });
      if (events.length === query.limit) break;
    }
    exhausted = (read === page.length && page.length < want) || through <= 0n;
  }
  return {
    events,
    headPosition: head.toString(),
    scanned,
    next: exhausted ? null : (through + 1n).toString(),
  };
}
