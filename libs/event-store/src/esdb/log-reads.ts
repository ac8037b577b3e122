import type { FoldEvent, LogPage } from '../event-store.port';
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
