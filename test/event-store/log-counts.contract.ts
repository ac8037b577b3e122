import { InvalidArgument } from '../../libs/event-store/src';
import type { HarnessFactory } from './event-store.harness';
import { events, streamId, useHarness, visible } from './contract-helpers';

/** countEvents and readAllBackwards: what lag figures and `events tail` read. */
export function describeLogCountsContract(factory: HarnessFactory): void {
  describe('counting and reading backwards', () => {
    const harness = useHarness(factory);

    /** Six events after `before`: s1 gets 3 X, s2 2 Y, s1 1 X. */
    async function appendSix() {
      const { store } = harness();
      const before = await store.headPosition();
      const [s1, s2] = [streamId('count'), streamId('count')];
      await store.append(s1, events(3, 'X'), 'no_stream');
      const b = await store.append(s2, events(2, 'Y'), 'no_stream');
      const c = await store.append(s1, events(1, 'X'), 2);
      await visible(store, c.position);
      const all = await store.readAll(before, 6);
      return { store, before, s1, s2, head: c.position, midway: b.position, all };
    }

    it('counts the events in (after, through], of some types, up to a limit', async () => {
      const { store, before, head, all } = await appendSix();
      const started = Date.now();
      const count = await store.countEvents(before, head);
      expect(count).toMatchObject({ events: 6, capped: false });
      expect(count.first?.position).toBe(all[0]!.position);
      expect(count.first?.recordedAt).toEqual(all[0]!.recordedAt);
      expect(Math.abs(count.first!.recordedAt.getTime() - started)).toBeLessThan(60_000);
      expect(await store.countEvents(before, head, { types: ['X'] })).toMatchObject({
        events: 4,
        capped: false,
      });
      const ys = await store.countEvents(before, head, { types: ['Y'] });
      expect(ys).toMatchObject({ events: 2, capped: false });
      expect(ys.first?.position).toBe(all[3]!.position);
      expect(await store.countEvents(before, head, { limit: 3 })).toMatchObject({
        events: 3,
        capped: true,
      });
      expect(await store.countEvents(before, head, { limit: 6 })).toMatchObject({
        events: 6,
        capped: false,
      });
      expect(await store.countEvents(all[1]!.position, all[4]!.position)).toMatchObject({
        events: 3,
        capped: false,
      });
      expect(await store.countEvents(head, head)).toEqual({ events: 0, capped: false });
      expect(await store.countEvents(head, before)).toEqual({ events: 0, capped: false });
      expect(await store.countEvents(before, head, { types: ['Z'] })).toEqual({
        events: 0,
        capped: false,
      });
    });

    it('refuses a negative position or a limit under 1', async () => {
      const { store } = harness();
      await expect(store.countEvents(-1n, 0n)).rejects.toBeInstanceOf(InvalidArgument);
      await expect(store.countEvents(0n, 0n, { limit: 0 })).rejects.toBeInstanceOf(InvalidArgument);
      await expect(store.readAllBackwards(0n, 0)).rejects.toBeInstanceOf(InvalidArgument);
      await expect(store.readAllBackwards(-1n, 5)).rejects.toBeInstanceOf(InvalidArgument);
    });

    it('reads the last events of the log, newest first, at or before a position', async () => {
      const { store, head, midway, all } = await appendSix();
      const positions = all.map((e) => e.position);
      const last4 = await store.readAllBackwards(head, 4);
      expect(last4.map((e) => e.position)).toEqual(positions.slice(2).reverse());
      expect(last4[0]).toEqual(all[5]);
      const untilMidway = await store.readAllBackwards(midway, 2);
      expect(untilMidway.map((e) => e.position)).toEqual([positions[4], positions[3]]);
    });

    it('reads the last events of one stream, newest first', async () => {
      const { store, s1, s2, midway } = await appendSix();
      const s1Events = await store.readAllBackwards(await store.headPosition(), 10, {
        streamId: s1,
      });
      expect(s1Events.map((e) => [e.streamId, e.revision])).toEqual(
        [3, 2, 1, 0].map((r) => [s1, r]),
      );
      const early = await store.readAllBackwards(midway, 2, { streamId: s1 });
      expect(early.map((e) => e.revision)).toEqual([2, 1]);
      const s2Last = await store.readAllBackwards(midway, 1, { streamId: s2 });
      expect(s2Last.map((e) => e.revision)).toEqual([1]);
      expect(await store.readAllBackwards(midway, 5, { streamId: streamId('none') })).toEqual([]);
    });
  });
}
