import type { RecordedEvent } from '../../libs/event-store/src';
import type { HarnessFactory } from './event-store.harness';
import { events, streamId, useHarness } from './contract-helpers';

async function take(
  iterable: AsyncIterable<RecordedEvent>,
  count: number,
): Promise<RecordedEvent[]> {
  const taken: RecordedEvent[] = [];
  for await (const e of iterable) {
    taken.push(e);
    if (taken.length === count) break;
  }
  return taken;
}

export function describeSubscriptionContract(factory: HarnessFactory): void {
  describe('subscribeToAll', () => {
    describe('with notifications (polling set to an hour)', () => {
      const harness = useHarness(factory, 3_600_000);

      it('starts after the given position and wakes on new appends', async () => {
        const { store } = harness();
        const first = await store.append(streamId(), events(3), 'any');
        const subscription = store.subscribeToAll(first.position, { batchSize: 2 });
        const received = take(subscription, 5);
        // Appended after the subscriber went idle: only a notification can wake it in time.
        await new Promise((resolve) => setTimeout(resolve, 200));
        const id = streamId();
        await store.append(id, events(5), 'no_stream');
        const got = await received;
        expect(got.map((e) => [e.streamId, e.revision])).toEqual(
          [0, 1, 2, 3, 4].map((r) => [id, r]),
        );
        await subscription.close();
      });
    });

    describe('without notifications', () => {
      const harness = useHarness(factory, 50);

      it('finds events by polling when nobody notifies', async () => {
        const h = harness();
        const subscription = h.store.subscribeToAll(0n);
        const received = take(subscription, 2);
        await new Promise((resolve) => setTimeout(resolve, 100));
        await h.appendSilently(streamId(), events(2));
        expect((await received).map((e) => e.revision)).toEqual([0, 1]);
        await subscription.close();
      });

      it('close ends an idle iteration', async () => {
        const { store } = harness();
        const subscription = store.subscribeToAll(0n);
        const done = take(subscription, 1);
        await new Promise((resolve) => setTimeout(resolve, 100));
        await subscription.close();
        expect(await done).toEqual([]);
      });
    });
  });
}
