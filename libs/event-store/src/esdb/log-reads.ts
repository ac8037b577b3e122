import type { CountEventsOptions, EventCount, FoldEvent, LogPage } from '../event-store.port';
import type { EsdbClient, LogRecord } from './esdb-client';

/** Round trips one page may take to scan past other types and system records. */
const MAX_SCANS_PER_PAGE = 20;
const HEAD_SCAN = 32;

/**
 * Records strictly after `from`. The server's `$all` read is inclusive of its start (the
 * event AT `from` comes back first) while a Tally position means "everything up to here
 * is done", so it is dropped here; subscriptions are built on these reads too, so neither
 * ever repeats nor skips the event at a checkpoint.
 */
async function recordsAfter(client: EsdbClient, from: bigint, count: number) {
  const records = await client.readAllFrom(from, count + 1);
  const after = records.filter((record) => record.position > from);
  // Read one more than asked, for the inclusive start: a short read is the end of the log.
  return { records: after.slice(0, count), atEnd: records.length < count + 1 };
}

/**
 * Up to `limit` Tally events (of `types`, null: all) after `from`, and how far the log was
 * scanned for them: `through` is the position of the last record read, of any type (a real
 * record position, so a subscription may resume from it). The node client cannot filter a
 * `$all` read on the server, so types and system records are passed over here. A page
 * stops after `maxScans` round trips (then `through` still moved on); readAll passes
 * Infinity, as an empty answer there means the end of the log.
 */
export async function readLogPage<E extends FoldEvent>(
  client: EsdbClient,
  from: bigint,
  limit: number,
  types: readonly string[] | null,
  decode: (record: LogRecord) => E,
  maxScans = MAX_SCANS_PER_PAGE,
): Promise<LogPage<E>> {
  const wanted = types && new Set(types);
  const events: E[] = [];
  let through = from;
  for (let scan = 0; scan < maxScans && events.length < limit; scan++) {
    const { records, atEnd } = await recordsAfter(client, through, limit - events.length);
    for (const record of records) {
      if (!record.system && (!wanted || wanted.has(record.type))) events.push(decode(record));
      through = record.position;
    }
    if (atEnd || records.length === 0) break;
  }
  return { events, through };
}

/** Position of the newest non-system event, 0n when there is none: reads `$all` backwards. */
export async function lastEventPosition(client: EsdbClient): Promise<bigint> {
  let before: bigint | 'end' = 'end';
  for (;;) {
    const records = await client.readAllBackwards(before, HEAD_SCAN);
    const bound: bigint | 'end' = before;
    const older: LogRecord[] =
      bound === 'end' ? records : records.filter((r) => r.position < bound);
    const event = older.find((record) => !record.system);
    if (event) return event.position;
    const oldest: LogRecord | undefined = older[older.length - 1];
    if (!oldest || records.length < HEAD_SCAN) return 0n;
    before = oldest.position;
  }
}

/**
 * Most events one count reads: `$all` is read (and decoded) event by event, so a lag over
 * this many is reported as capped rather than read whole at every status poll.
 */
export const ESDB_MAX_COUNT = 100_000;
const COUNT_PAGE = 1000;

/** Tally events in (after, through] of `types`: `$all` read forwards, system records passed over. */
export async function countLogEvents(
  client: EsdbClient,
  after: bigint,
  through: bigint,
  options: CountEventsOptions,
): Promise<EventCount> {
  const cap = Math.min(options.limit ?? ESDB_MAX_COUNT, ESDB_MAX_COUNT);
  const wanted = options.types && new Set(options.types);
  let events = 0;
  let first: EventCount['first'];
  let from = after;
  while (from < through) {
    const { records, atEnd } = await recordsAfter(client, from, COUNT_PAGE);
    for (const record of records) {
      if (record.position > through) return { events, capped: false, first };
      from = record.position;
      if (record.system || (wanted && !wanted.has(record.type))) continue;
      if (events === cap) return { events, capped: true, first };
      events++;
      first ??= { position: record.position, recordedAt: record.created };
    }
    if (atEnd || records.length === 0) break;
  }
  return { events, capped: false, first };
}

/**
 * The last `limit` Tally events at or before `through`, newest first, read backwards from
 * `through`; the event AT `through` is read forwards (a forward read includes its start).
 */
export async function lastLogEvents(
  client: EsdbClient,
  through: bigint,
  limit: number,
): Promise<LogRecord[]> {
  if (through <= 0n) return [];
  const [at] = await client.readAllFrom(through, 1);
  const found: LogRecord[] = at && at.position === through && !at.system ? [at] : [];
  const page = Math.min(Math.max(limit, HEAD_SCAN), COUNT_PAGE);
  let before = through;
  while (found.length < limit) {
    const records = await client.readAllBackwards(before, page);
    const older = records.filter((r) => r.position < before);
    for (const record of older) if (!record.system && found.length < limit) found.push(record);
    const oldest = older[older.length - 1];
    if (!oldest || records.length < page) break;
    before = oldest.position;
  }
  return found;
}

/** The last `limit` events of a stream at or before `through`, newest first. */
export async function lastStreamEvents(
  client: EsdbClient,
  streamId: string,
  through: bigint,
  limit: number,
): Promise<LogRecord[]> {
  const found: LogRecord[] = [];
  let from: number | 'end' = 'end';
  while (found.length < limit) {
    const records = await client.readStreamBackwards(streamId, from, COUNT_PAGE);
    for (const r of records) if (r.position <= through && found.length < limit) found.push(r);
    const oldest = records[records.length - 1];
    if (!oldest || records.length < COUNT_PAGE || oldest.revision === 0) break;
    from = oldest.revision - 1;
  }
  return found;
}
