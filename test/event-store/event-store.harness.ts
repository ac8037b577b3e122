import type { EventStore, NewEvent } from '../../libs/event-store/src';

/** What the contract suite needs from an adapter beyond the port itself. */
export interface EventStoreHarness {
  store: EventStore;
  /**
   * Starts an append whose transaction stays open until `commit` — the event holding a low
   * position that commits last.
   */
  appendHeldOpen(
    streamId: string,
    events: readonly NewEvent[],
  ): Promise<{ commit(): Promise<void> }>;
  /** A deliberately naive reader: `position > checkpoint` with no visibility bound. */
  naiveReadAll(fromPosition: bigint, limit: number): Promise<{ id: string; position: bigint }[]>;
  /** Appends through a path that sends no notification, so only polling can find it. */
  appendSilently(streamId: string, events: readonly NewEvent[]): Promise<void>;
  close(): Promise<void>;
}

export type HarnessFactory = (options: { pollIntervalMs: number }) => Promise<EventStoreHarness>;
