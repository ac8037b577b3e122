import type { EventStoreHarness, HarnessFactory } from './event-store.harness';
import type { NewEvent } from '../../libs/event-store/src';

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
