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

/**
 * What an adapter can be held to beyond the port. Only what cannot apply to a store is
 * turned off: a log without transactions has no append to hold open, and no reader that
 * could be naive about one.
 */
export interface HarnessCapabilities {
  /** `appendHeldOpen` really holds a low position uncommitted (a transactional log). */
  heldOpenAppend: boolean;
  /** `naiveReadAll` exists (a store whose plain reads can miss late commits). */
  naiveReader: boolean;
  /** One append's events have consecutive positions (not byte offsets). */
  consecutivePositions: boolean;
}

export interface HarnessFactory {
  (options: { pollIntervalMs: number }): Promise<EventStoreHarness>;
  /** Unset: all true. */
  capabilities?: Partial<HarnessCapabilities>;
}

export const capable = (factory: HarnessFactory, capability: keyof HarnessCapabilities): boolean =>
  factory.capabilities?.[capability] ?? true;
