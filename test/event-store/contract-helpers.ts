import type { EventStoreHarness, HarnessFactory } from './event-store.harness';
import type { EventStore, NewEvent } from '../../libs/event-store/src';

export const event = (type: string, n: number, extra: Partial<NewEvent> = {}): NewEvent => ({
  type,
  data: { n },
  ...extra,
});

export const events = (count: number, type = 'Counted'): NewEvent[] =>
  Array.from({ length: count }, (_, n) => event(type, n));

let counter = 0;
/** Stream ids unique per test, and shaped like the ids Tally really uses. */
export const streamId = (prefix = 'test'): string =>
  `${prefix}-${process.pid}.${Date.now()}:${counter++}|x`;

/** One harness per test, closed afterwards. */
export function useHarness(factory: HarnessFactory, pollIntervalMs = 200): () => EventStoreHarness {
  let harness: EventStoreHarness | undefined;
  beforeEach(async () => {
    harness = await factory({ pollIntervalMs });
  });
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });
  return () => {
    if (!harness) throw new Error('harness used outside a test');
    return harness;
  };
}

/**
 * Waits until readers can see `position`. The visibility bound is server-wide: a transaction
 * of another test file on the same server briefly holds readers back (they wait, never skip).
 */
export async function visible(store: EventStore, position: bigint): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await store.headPosition()) < position) {
    if (Date.now() > deadline) throw new Error(`position ${position} never became visible`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
