export interface CachedStream {
  state: unknown;
  /** -1 when the stream does not exist. */
  revision: number;
  position: bigint;
}

interface Entry {
  stream: CachedStream;
  /** Read since it was last passed over for eviction. */
  used: boolean;
}

/**
 * Last known state per stream, the least recently used evicted (second chance): the hot SKU
 * is never re-read whole. A read only marks its entry: moving it to the end of the map on
 * every read (a delete and an insert) cost a hot context stream, read by every vote, more
 * than everything else the cache does.
 */
export class StreamStateCache {
  private readonly entries = new Map<string, Entry>();
  /**
   * Where eviction looks next. A fresh iterator per eviction starts at the front of the map,
   * and a Map keeps the slots of deleted entries until it is rebuilt: under a stream of new
   * streams each eviction walked past all the ones before it.
   */
  private cursor: Iterator<[string, Entry]> | undefined;

  constructor(private readonly capacity = 10_000) {}

  get(streamId: string): CachedStream | undefined {
    const entry = this.entries.get(streamId);
    if (!entry) return undefined;
    entry.used = true;
    return entry.stream;
  }

  set(streamId: string, stream: CachedStream): void {
    const entry = this.entries.get(streamId);
    if (entry) {
      entry.stream = stream;
      entry.used = true;
      return;
    }
    this.entries.set(streamId, { stream, used: false });
    while (this.entries.size > this.capacity) this.evictOne();
  }

  delete(streamId: string): void {
    this.entries.delete(streamId);
  }

  /** The oldest entry not read since it was last looked at goes; the read ones get another round. */
  private evictOne(): void {
    for (;;) {
      this.cursor ??= this.entries.entries();
      const next = this.cursor.next();
      if (next.done === true) {
        this.cursor = undefined;
        continue;
      }
      const [streamId, entry] = next.value;
      this.entries.delete(streamId);
      if (!entry.used) return;
      entry.used = false;
      // Appended behind the cursor, so it is looked at again after everything else.
      this.entries.set(streamId, entry);
    }
  }
}
