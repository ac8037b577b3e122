import { WrongExpectedRevision, type ExpectedRevision } from '../../libs/event-store/src';
import type { HarnessFactory } from './event-store.harness';
import { streamId, useHarness } from './contract-helpers';

const APPENDERS = 50;

export function describeConcurrencyContract(factory: HarnessFactory): void {
  describe('concurrent appenders on one stream', () => {
    const harness = useHarness(factory);

    it(`${APPENDERS} appenders racing with no_stream: exactly one creates the stream`, async () => {
      const { store } = harness();
      const id = streamId('username');
      const outcomes = await Promise.allSettled(
        Array.from({ length: APPENDERS }, (_, n) =>
          store.append(id, [{ type: 'Claimed', data: { n } }], 'no_stream'),
        ),
      );
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(APPENDERS - 1);
      for (const reason of lost)
        expect(reason).toMatchObject({ name: 'WrongExpectedRevision', actual: 0 });
      expect(await store.readStream(id)).toHaveLength(1);
    });

    it(`${APPENDERS} appenders each appending at the revision it read: one winner per revision, no gap, no duplicate`, async () => {
      const { store } = harness();
      const id = streamId('item');
      const winsByRevision = new Map<number, number>();
      let conflicts = 0;

      const appender = async (worker: number): Promise<void> => {
        for (;;) {
          const { revision } = await store.streamState(id);
          const expected: ExpectedRevision = revision === -1 ? 'no_stream' : revision;
          try {
            const result = await store.append(
              id,
              [{ type: 'Appended', data: { worker } }],
              expected,
            );
            expect(result.revision).toBe(revision + 1);
            winsByRevision.set(result.revision, (winsByRevision.get(result.revision) ?? 0) + 1);
            return;
          } catch (error) {
            if (!(error instanceof WrongExpectedRevision)) throw error;
            expect(error.actual).toBeGreaterThan(revision);
            conflicts++;
          }
        }
      };
      await Promise.all(Array.from({ length: APPENDERS }, (_, worker) => appender(worker)));

      const stored = await store.readStream(id, { maxCount: 1000 });
      expect(stored.map((e) => e.revision)).toEqual(Array.from({ length: APPENDERS }, (_, r) => r));
      expect([...winsByRevision.values()].every((wins) => wins === 1)).toBe(true);
      expect(winsByRevision.size).toBe(APPENDERS);
      const workers = stored
        .map((e) => (e.data as { worker: number }).worker)
        .sort((a, b) => a - b);
      expect(workers).toEqual(Array.from({ length: APPENDERS }, (_, w) => w));
      const positions = stored.map((e) => e.position);
      expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
      // The race must really have happened for the test to mean anything.
      expect(conflicts).toBeGreaterThan(0);
    });
  });
}
