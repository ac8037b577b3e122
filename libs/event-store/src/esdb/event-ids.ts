import { createHash } from 'node:crypto';
import type { NewEvent } from '../event-store.port';

/** Tally's UUIDv5 namespace for event ids derived from Idempotency-Keys (a fixed random UUID). */
export const IDEMPOTENT_EVENT_NAMESPACE = '8d3c5f0e-6a1b-4f7e-9c2d-5e4b3a2f1d0c';

/** RFC 9562 UUIDv5: SHA-1 of namespace and name, version and variant bits set. */
export function uuidV5(name: string, namespace: string = IDEMPOTENT_EVENT_NAMESPACE): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of the `index`-th event a command with Idempotency-Key `key` appends: the same for
 * every retry of that command, so EventStoreDB's idempotent append (same ids at the same
 * expected revision) turns a retried append into a no-op instead of a second write.
 */
export const idempotentEventId = (key: string, index: number): string =>
  uuidV5(JSON.stringify([key, index]));

/**
 * The batch with ids filled in: an explicit id is kept; an event whose metadata carries an
 * Idempotency-Key gets the id derived from the key and its index among that key's events
 * in this append (a batch holds several commands' events); any other event gets none here.
 */
export function withIdempotentIds(events: readonly NewEvent[]): NewEvent[] {
  const counts = new Map<string, number>();
  return events.map((event) => {
    const key = event.metadata?.idempotencyKey;
    if (event.id !== undefined || typeof key !== 'string') return event;
    const index = counts.get(key) ?? 0;
    counts.set(key, index + 1);
    return { ...event, id: idempotentEventId(key, index) };
  });
}
